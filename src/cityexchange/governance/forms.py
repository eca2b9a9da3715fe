from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityexchange.core.forms import KeepsWork
from cityexchange.registry.models import Language

from . import selectors
from .models import Body, MajorityRule, Vote

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class VoteForm(KeepsWork):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.exclude(kind=Body.Kind.SECRETARIAT))
    kind = forms.ChoiceField(label=_("Motion"), choices=Vote.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    # The limits are the services' (governance/services.py), shown here so the form says them before sending.
    motion = forms.CharField(
        label=_("Text of the motion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000, required=False
    )
    subject_city = forms.ModelChoiceField(
        label=_("City to admit"),
        queryset=selectors.admission_candidates(),
        required=False,
        help_text=_("For an admission: a city whose application is under review."),
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line, for an election or a choice. Leave empty for yes / no / abstain."),
    )
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, max_value=100, initial=1)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)
    majority_rule = forms.ChoiceField(label=_("Majority rule"))
    quorum_percent = forms.IntegerField(label=_("Quorum (%)"), min_value=1, max_value=100)
    opens_at = forms.DateTimeField(
        label=_("Opens"), required=False, widget=DATETIME, help_text=_("Empty: now. Times are UTC.")
    )
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DATETIME, help_text=_("Times are UTC."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = selectors.statutes_settings()
        rule: forms.ChoiceField = self.fields["majority_rule"]  # type: ignore[assignment]
        rule.choices = [(r.value, r.label) for r in MajorityRule if r.value in rules.allowed_majority_rules]
        self.fields["majority_rule"].initial = rules.default_majority_rule
        self.fields["quorum_percent"].initial = rules.default_quorum_percent


class DelegateForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the delegate"), help_text=_("A member of the city's team."))


class GroupDocumentForm(KeepsWork):
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ModelChoiceField(label=_("Language"), queryset=Language.objects.all(), to_field_name="code")
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=200_000, required=False
    )


class MinutesForm(KeepsWork):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), max_length=100_000)
