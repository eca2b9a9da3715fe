from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cityexchange.core.forms import KeepsWork

from .models import City, Sector
from .selectors import POPULATION_BANDS, country_choices


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    bloc_status = forms.CharField(label=_("Bloc status"), required=False)
    membership = forms.ChoiceField(
        label=_("Membership"),
        required=False,
        choices=[
            ("members", _("Members")),
            ("active", _("Active")),
            ("suspended", _("Suspended")),
            ("ended", _("Ended")),
            ("all", _("All cities")),
        ],
    )
    population = forms.ChoiceField(
        label=_("Population"),
        required=False,
        choices=[("", _("Any size")), *[(c, label) for c, label, _l, _h in POPULATION_BANDS]],
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        country: forms.ChoiceField = self.fields["country"]  # type: ignore[assignment]
        country.choices = [("", _("All countries")), *country_choices()]


class ApplicationForm(KeepsWork):
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose your city from the list."),
            "invalid_choice": _("Choose your city from the list."),
        },
    )
    letter = forms.CharField(label=_("Application letter"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10_000)
    contact_name = forms.CharField(label=_("Contact person"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    priority_sectors = forms.ModelMultipleChoiceField(
        label=_("Priority sectors"), queryset=Sector.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000)


class CityProfileForm(KeepsWork):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    about = forms.CharField(
        label=_("About the city"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=10_000
    )
