from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityexchange.registry.models import City, Language

from .models import MeetingRequest, Registration


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the person (organisers registering a guest)"),
        required=False,
        help_text=_("Leave empty to register yourself."),
    )
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none())
    role = forms.CharField(label=_("Position"), max_length=150, help_text=_("For example: Mayor, Deputy mayor."))
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you speak"), queryset=Language.objects.all(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    needs_interpreter = forms.BooleanField(label=_("I need an interpreter"), required=False)
    interpreter_note = forms.CharField(label=_("Interpreting needs"), max_length=300, required=False)
    arrival = forms.DateTimeField(label=_("Arrival"), widget=DateTimeInput())
    departure = forms.DateTimeField(label=_("Departure"), widget=DateTimeInput())
    join_delegation = forms.BooleanField(
        label=_("I travel with my city's delegation (we meet together, with one shared schedule)"), required=False
    )

    def __init__(self, *args: Any, cities: Any, organiser: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city: forms.ModelChoiceField = self.fields["city"]  # type: ignore[assignment]
        city.queryset = cities
        if not organiser:
            del self.fields["email"]


class DelegateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user} — {obj.role}, {obj.city.name}"


class MeetingRequestForm(forms.Form):
    target = DelegateChoiceField(label=_("Delegate"), queryset=Registration.objects.none(), required=False)
    target_city = forms.ModelChoiceField(
        label=_("…or a city"), queryset=City.objects.none(), required=False, help_text=_("Its delegation receives it.")
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=MeetingRequest.Priority.choices, coerce=int, initial=2
    )
    topic = forms.CharField(label=_("Topic"), max_length=300)

    def __init__(self, *args: Any, targets: Any, cities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target: forms.ModelChoiceField = self.fields["target"]  # type: ignore[assignment]
        target.queryset = targets
        city: forms.ModelChoiceField = self.fields["target_city"]  # type: ignore[assignment]
        city.queryset = cities


class BuildForm(forms.Form):
    time_limit = forms.IntegerField(label=_("Time limit (seconds)"), min_value=1, max_value=600, initial=20)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome and next steps"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000, required=False
    )
