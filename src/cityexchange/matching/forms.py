from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cityexchange.core.sdgs import sdg_label
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import PracticeFilters
from cityexchange.registry.models import Country, Language, Sector

from .filters import engine_filters, practice_filters


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search in any language"), max_length=300, required=False)
    sector = forms.ModelChoiceField(Sector.objects.all(), label=_("Sector"), required=False, to_field_name="code")
    # Countries of member cities only (practices come from members): a list the reader can use, and none of the
    # dissolved countries GeoNames still carries, which CLDR no longer names in any language.
    country = forms.ModelChoiceField(
        Country.objects.filter(cities__membership__isnull=False).distinct(), label=_("Country"), required=False
    )
    maturity = forms.ChoiceField(label=_("Maturity"), required=False, choices=[("", "—"), *Practice.Maturity.choices])
    sdg = forms.TypedChoiceField(
        label=_("SDG"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(i, lazy(sdg_label, str)(i)) for i in range(1, 18)]],
    )
    language = forms.ModelChoiceField(Language.objects.all(), label=_("Written in"), required=False)
    cost_band = forms.ChoiceField(label=_("Cost band"), required=False, choices=[("", "—"), *Practice.CostBand.choices])
    # Practices of one city (a city page's link); kept across searches as a hidden field.
    city = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def practice_filters(self) -> PracticeFilters:
        """The shared filter set (`filters.py`) the library and the API use too, from the validated form."""
        data = self.cleaned_data
        return practice_filters(
            {
                "q": data.get("q") or "",
                "sector": data["sector"].code if data.get("sector") else "",
                "country": data["country"].pk if data.get("country") else "",
                "maturity": data.get("maturity") or "",
                "sdg": data.get("sdg") or "",
                "language": data["language"].pk if data.get("language") else "",
                "cost_band": data.get("cost_band") or "",
                "city": data.get("city") or "",
            }
        )

    def engine_filters(self) -> dict[str, object]:
        return engine_filters(self.practice_filters())


class AlertForm(forms.Form):
    query = forms.CharField(label=_("Search text"), max_length=300, required=False)
