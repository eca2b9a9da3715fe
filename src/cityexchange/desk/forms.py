"""Page forms of the desk. They shape input only; the services validate it, so the page and the service apply the
same rules and name the same fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityexchange.registry.models import City

from .languages import enabled_languages
from .subjects import Text


class LanguagesForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages I read and write"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["languages"]
        field.choices = [(lang.code, lang.native_name) for lang in enabled_languages()]


def indicator_field(i: int) -> str:
    return f"indicator_{i}"


class TranslateForm(forms.Form):
    """The translated texts of a practice or a challenge (fields from its kind's `texts`); they sit next to the
    original's on the page. A practice's indicator names are added per indicator (`indicator_0`, `indicator_1` …)."""

    city = forms.ModelChoiceField(label=_("Translated for"), queryset=City.objects.none(), required=False)

    def __init__(
        self, *args: Any, texts: Sequence[Text], indicators: list[str], cities: Any, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        city: Any = self.fields["city"]
        city.queryset = cities
        if cities.count() <= 1:
            city.widget = forms.HiddenInput()
        for text in texts:
            widget = forms.Textarea(attrs={"rows": 8}) if text.markdown else None
            if text.name == "summary":
                widget = forms.Textarea(attrs={"rows": 3})
            self.fields[text.name] = forms.CharField(label=text.label, required=False, widget=widget)
        for i, _name in enumerate(indicators):
            self.fields[indicator_field(i)] = forms.CharField(
                label=_("Indicator %(n)d") % {"n": i + 1}, required=False, max_length=400
            )
        for name, field in self.fields.items():
            if name != "city":  # the translation's own language, so spell-checkers and input methods follow it
                field.widget.attrs.update({"lang": language, "dir": "auto"})
        self.text_names = [t.name for t in texts]
        self.indicator_count = len(indicators)

    def document(self) -> dict[str, Any]:
        data = self.cleaned_data
        doc: dict[str, Any] = {k: data.get(k, "") for k in self.text_names}
        doc["indicator_names"] = [data.get(indicator_field(i), "") for i in range(self.indicator_count)]
        return doc

    @staticmethod
    def form_field(path: str | None) -> str | None:
        """A service's error path (`indicator_names[2]`) → the form field that shows it."""
        if path and path.startswith("indicator_names[") and path.endswith("]"):
            return indicator_field(int(path[len("indicator_names[") : -1]))
        return path


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should the translator change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
