"""Page forms. They only shape input into the document format; `document.parse_practice` validates it, so the
page, the API and the import apply the same rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from cityexchange.core.forms import KeepsWork
from cityexchange.registry.models import City, Language, Sector

from .document import MAX_LONG_TEXT, MAX_SUMMARY, YEAR_MAX, YEAR_MIN
from .models import CLIMATES, SDG_GOALS, Practice
from .reading import FieldError

# Error paths of the document format → the form field that shows them.
FORM_FIELD = {
    "transfer_conditions.min_population": "min_population",
    "transfer_conditions.max_population": "max_population",
    "transfer_conditions.climates": "climates",
    "transfer_conditions.budget_note": "budget_note",
    "transfer_conditions.prerequisites": "prerequisites",
    "contact.name": "contact_name",
    "contact.email": "contact_email",
    "contact.role": "contact_role",
}


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PracticeForm(KeepsWork):
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none(), required=False)
    language = forms.ModelChoiceField(
        label=_("Language it is written in"), queryset=Language.objects.all(), to_field_name="code"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_SUMMARY,
        help_text=_("Plain text."),
    )
    problem = forms.CharField(
        label=_("The problem it addressed"),
        widget=forms.Textarea(attrs={"rows": 6, "data-markdown": "1"}),
        max_length=MAX_LONG_TEXT,
        help_text=_("Markdown; lines typed one under the other stay that way."),
    )
    solution = forms.CharField(
        label=_("The solution"),
        widget=forms.Textarea(attrs={"rows": 8, "data-markdown": "1"}),
        max_length=MAX_LONG_TEXT,
        help_text=_("Markdown; lines typed one under the other stay that way."),
    )
    results_text = forms.CharField(
        label=_("Results"),
        widget=forms.Textarea(attrs={"rows": 4, "data-markdown": "1"}),
        max_length=MAX_LONG_TEXT,
        required=False,
        help_text=_("Markdown; lines typed one under the other stay that way."),
    )
    cost_band = forms.ChoiceField(
        label=_("Cost band"),
        choices=[("", _("From the cost (enter it below)")), *Practice.CostBand.choices],
        required=False,
        help_text=_("In the practice's currency, like the cost; it must contain the cost when both are given."),
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="USD", help_text=_("ISO code, e.g. USD, RUB.")
    )
    cost_amount = forms.IntegerField(label=_("Cost"), required=False, min_value=0)
    period_start = forms.IntegerField(label=_("Started (year)"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    period_end = forms.IntegerField(label=_("Ended (year)"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    maturity = forms.ChoiceField(label=_("Maturity"), choices=Practice.Maturity.choices)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), to_field_name="code", widget=forms.CheckboxSelectMultiple
    )
    sdgs = forms.MultipleChoiceField(
        label=_("UN Sustainable Development Goals"),
        choices=[(str(g), str(g)) for g in SDG_GOALS],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
    )
    min_population = forms.IntegerField(label=_("Works in cities from (population)"), required=False, min_value=0)
    max_population = forms.IntegerField(label=_("up to (population)"), required=False, min_value=0)
    climates = forms.MultipleChoiceField(
        label=_("Climates it works in"), choices=CLIMATES, required=False, widget=forms.CheckboxSelectMultiple
    )
    budget_note = forms.CharField(
        label=_("Budget conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=MAX_SUMMARY
    )
    prerequisites = forms.CharField(
        label=_("Legal or governance prerequisites"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_SUMMARY,
    )
    partners = forms.CharField(
        label=_("Partner organisations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_role = forms.CharField(label=_("Contact's role"), max_length=150, required=False)
    links = forms.CharField(
        label=_("Links"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=_("One address per line.")
    )

    def __init__(self, *args: Any, cities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city: forms.ModelChoiceField = self.fields["city"]  # type: ignore[assignment]
        if cities is None:
            del self.fields["city"]
        else:
            city.queryset = cities
            city.required = True

    def to_document(self, indicators: list[dict[str, Any]]) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "language": d["language"].code,
            "title": d["title"],
            "summary": d["summary"],
            "problem": d["problem"],
            "solution": d["solution"],
            "results_text": d["results_text"],
            "indicators": indicators,
            "cost_band": d["cost_band"],
            "currency": d["currency"].upper(),
            "cost_amount": d["cost_amount"],
            "period_start": d["period_start"],
            "period_end": d["period_end"],
            "maturity": d["maturity"],
            "transfer_conditions": {
                "min_population": d["min_population"],
                "max_population": d["max_population"],
                "climates": d["climates"],
                "budget_note": d["budget_note"],
                "prerequisites": d["prerequisites"],
            },
            "sectors": [s.code for s in d["sectors"]],
            "sdgs": [int(g) for g in d["sdgs"]],
            "partners": _lines(d["partners"]),
            "contact": {"name": d["contact_name"], "email": d["contact_email"], "role": d["contact_role"]},
            "links": _lines(d["links"]),
        }

    @staticmethod
    def initial_from(doc: dict[str, Any]) -> dict[str, Any]:
        tc, contact = doc["transfer_conditions"], doc["contact"]
        return {
            **{k: doc[k] for k in ("title", "summary", "problem", "solution", "results_text", "cost_band")},
            **{k: doc[k] for k in ("currency", "cost_amount", "period_start", "period_end", "maturity")},
            "language": doc["language"],
            "sectors": doc["sectors"],
            "sdgs": [str(g) for g in doc["sdgs"]],
            "min_population": tc["min_population"],
            "max_population": tc["max_population"],
            "climates": tc["climates"],
            "budget_note": tc["budget_note"],
            "prerequisites": tc["prerequisites"],
            "partners": "\n".join(doc["partners"]),
            "contact_name": contact["name"],
            "contact_email": contact["email"],
            "contact_role": contact["role"],
            "links": "\n".join(doc["links"]),
        }


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    baseline = forms.FloatField(label=_("Baseline"), required=False)
    achieved = forms.FloatField(label=_("Achieved"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)


IndicatorFormSet = formset_factory(IndicatorForm, extra=2, can_delete=True, max_num=30, absolute_max=30)


def indicator_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled rows (a row with no name and no value is ignored; a half-filled one reaches the validator)."""
    rows = []
    for f in formset.forms:
        data = getattr(f, "cleaned_data", None) or {}
        if data.get("DELETE") or not any(data.get(k) not in (None, "") for k in ("name", "baseline", "achieved")):
            continue
        rows.append({k: data.get(k) for k in ("name", "baseline", "achieved", "unit", "year")})
    return rows


def show_errors(form: forms.Form, formset: Any, errors: list[FieldError]) -> None:
    """Put each document error next to its form field (or indicator row), the rest at the top."""
    for error in errors:
        path = FORM_FIELD.get(error.field, error.field)
        if path.startswith("indicators["):
            index, _sep, name = path[len("indicators[") :].partition("].")
            forms_ = [f for f in formset.forms if not (getattr(f, "cleaned_data", None) or {}).get("DELETE")]
            filled = [f for f in forms_ if any((f.cleaned_data or {}).get(k) for k in ("name", "achieved"))]
            if index.isdigit() and int(index) < len(filled) and name in filled[int(index)].fields:
                filled[int(index)].add_error(name, error.message)
                continue
        base = path.split("[")[0]
        if base in form.fields and base not in form.errors:
            form.add_error(base, error.message)
        elif base not in form.fields:
            form.add_error(None, f"{error.field}: {error.message}")


class TranslationForm(forms.Form):
    language = forms.ModelChoiceField(label=_("Language"), queryset=Language.objects.all(), to_field_name="code")
    title = forms.CharField(label=_("Translated title"), max_length=200)
    summary = forms.CharField(label=_("Translated summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2_000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("PDF or image"))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the city"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5_000
    )
