"""Forms of the cooperation pages. They only parse types; the services decide what is valid and say why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityexchange.core.forms import KeepsWork
from cityexchange.practices.models import Indicator
from cityexchange.registry.models import City, Language

from .models import Cooperation
from .stages import AGREEMENT_KIND_CHOICES, REQUIRES, Evidence, Result, Signatory, Stage


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"


def _documents_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Documents"), required=False, help_text=_("PDF or images; seen only by the cities taking part.")
    )


class ContactRequestForm(KeepsWork):
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("Who you are, what your city needs, what you would like to learn."),
    )
    from_city = forms.TypedChoiceField(label=_("On behalf of"), coerce=int, required=False)
    # Kept with the message, so the translation desk knows what to translate it from.
    language = forms.ModelChoiceField(
        label=_("Language it is written in"), queryset=Language.objects.all(), to_field_name="code", required=False
    )

    def __init__(self, *args: Any, cities: list[City] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.TypedChoiceField = self.fields["from_city"]  # type: ignore[assignment]
        field.choices = [(c.pk, c.name) for c in cities or []]
        if len(cities or []) <= 1:
            field.widget = forms.HiddenInput()


class AnswerForm(KeepsWork):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000, required=False
    )


class NoteForm(KeepsWork):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
        help_text=_("Seen by everyone who may see the cooperation."),
    )
    private_note = forms.CharField(
        label=_("Private note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
        help_text=_("Seen only by the cities taking part and the secretariat."),
    )
    documents = _documents_field()


class MoveForm(KeepsWork):
    """The evidence for one target stage; the fields shown depend on the stage."""

    occurred_on = forms.DateField(label=_("Date"), widget=DateInput, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000, required=False)
    private_note = forms.CharField(
        label=_("Private note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
        help_text=_("Seen only by the cities taking part and the secretariat."),
    )

    def __init__(self, *args: Any, stage: str, cooperation: Cooperation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stage = Stage(stage)
        needs = REQUIRES[self.stage]
        self.fields["note"].required = False
        if "note" in needs:
            self.fields["note"].label = _("What happened")
        self.participants = [p.city for p in cooperation.participants.select_related("city")]
        self.indicators = (
            list(Indicator.objects.filter(practice_id=cooperation.practice_id)) if cooperation.practice_id else []
        )
        if self.stage == Stage.AGREEMENT:
            self.fields["agreement_kind"] = forms.ChoiceField(
                label=_("Kind of agreement"), choices=[("", "—"), *AGREEMENT_KIND_CHOICES], required=False
            )
            self.fields["agreement_title"] = forms.CharField(
                label=_("Title of the agreement"), max_length=300, required=False
            )
            self.fields["signed_on"] = forms.DateField(label=_("Signed on"), widget=DateInput, required=False)
            for city in self.participants:
                self.fields[f"signatory_{city.pk}_name"] = forms.CharField(
                    label=_("Signatory for %(city)s") % {"city": city.name}, max_length=200, required=False
                )
                self.fields[f"signatory_{city.pk}_role"] = forms.CharField(
                    label=_("Position of the signatory for %(city)s") % {"city": city.name},
                    max_length=200,
                    required=False,
                )
        if self.stage == Stage.EVALUATED:
            for ind in self.indicators:
                self.fields[f"result_{ind.pk}"] = forms.FloatField(
                    label=_("%(indicator)s, measured (%(unit)s)") % {"indicator": ind.name, "unit": ind.unit or "—"},
                    required=False,
                    help_text=_("The practice reached %(achieved)s from %(baseline)s.")
                    % {"achieved": ind.achieved, "baseline": "—" if ind.baseline is None else ind.baseline},
                )
            if not self.indicators:
                self.fields["result_name"] = forms.CharField(
                    label=_("What was measured"), max_length=200, required=False
                )
                self.fields["result_value"] = forms.FloatField(label=_("Measured value"), required=False)
                self.fields["result_unit"] = forms.CharField(label=_("Unit"), max_length=40, required=False)
        if self.stage == Stage.CLOSED:
            self.fields["reason"] = forms.CharField(
                label=_("Why it closes without adoption"), widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
        self.fields["documents"] = _documents_field()

    def evidence(self) -> Evidence:
        d = self.cleaned_data
        signatories = [
            Signatory(
                city.pk, d.get(f"signatory_{city.pk}_name", "") or "", d.get(f"signatory_{city.pk}_role", "") or ""
            )
            for city in self.participants
            if self.stage == Stage.AGREEMENT and (d.get(f"signatory_{city.pk}_name") or "").strip()
        ]
        results: list[Result] = []
        if self.stage == Stage.EVALUATED:
            results = [
                Result(value=d[f"result_{ind.pk}"], indicator_id=ind.pk)
                for ind in self.indicators
                if d.get(f"result_{ind.pk}") is not None
            ]
            if not self.indicators and (d.get("result_name") or d.get("result_value") is not None):
                results = [
                    Result(
                        value=d.get("result_value"), name=d.get("result_name") or "", unit=d.get("result_unit") or ""
                    )
                ]
        return Evidence(
            occurred_on=d.get("occurred_on"),
            note=d.get("note") or "",
            private_note=d.get("private_note") or "",
            agreement_kind=d.get("agreement_kind") or "",
            agreement_title=d.get("agreement_title") or "",
            signed_on=d.get("signed_on"),
            signatories=signatories,
            results=results,
            reason=d.get("reason") or "",
        )
