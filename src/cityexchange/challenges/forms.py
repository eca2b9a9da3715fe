from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityexchange.core.forms import KeepsWork
from cityexchange.registry.models import City, Language, Sector

from .document import MAX_TEXT
from .models import Challenge

# The short constraints (budget, timeframe), as challenges/document.py limits them.
MAX_SHORT = 2_000


class ChallengeForm(KeepsWork):
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none(), required=False)
    language = forms.ModelChoiceField(
        label=_("Language it is written in"), queryset=Language.objects.all(), to_field_name="code"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the city needs"),
        widget=forms.Textarea(attrs={"rows": 6, "data-markdown": "1"}),
        max_length=MAX_TEXT,
        help_text=_("Markdown; lines typed one under the other stay that way."),
    )
    desired_outcome = forms.CharField(
        label=_("Desired outcome"),
        widget=forms.Textarea(attrs={"rows": 3, "data-markdown": "1"}),
        max_length=MAX_TEXT,
        required=False,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), to_field_name="code", widget=forms.CheckboxSelectMultiple
    )
    budget = forms.CharField(
        label=_("Budget"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_SHORT, required=False
    )
    timeframe = forms.CharField(
        label=_("Timeframe"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_SHORT, required=False
    )
    conditions = forms.CharField(
        label=_("City conditions"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT, required=False
    )
    is_public = forms.BooleanField(
        label=_("Public"), required=False, help_text=_("Visible to everyone, not only to member cities.")
    )

    def __init__(self, *args: Any, cities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city: forms.ModelChoiceField = self.fields["city"]  # type: ignore[assignment]
        if cities is None:
            del self.fields["city"]
        else:
            city.queryset = cities
            city.required = True

    def to_document(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "language": d["language"].code,
            "title": d["title"],
            "description": d["description"],
            "desired_outcome": d["desired_outcome"],
            "sectors": [s.code for s in d["sectors"]],
            "constraints": {"budget": d["budget"], "timeframe": d["timeframe"], "conditions": d["conditions"]},
            "is_public": d["is_public"],
        }

    @staticmethod
    def initial_from(doc: dict[str, Any]) -> dict[str, Any]:
        return {
            **{k: doc[k] for k in ("language", "title", "description", "desired_outcome", "sectors", "is_public")},
            **doc["constraints"],
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Challenge.Status.choices)
