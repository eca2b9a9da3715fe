"""Names held as data in every UI language (`names` JSON fields: {"ru": "Правление", "zh": "理事会"}): one form
field per language for the people who enter them, and one cleaning rule for the services that store them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from cityexchange.core.errors import InvalidInput
from cityexchange.core.locale_names import language_name


def name_languages() -> list[str]:
    """The base codes of the UI languages other than English ("pt" for pt-br, "zh" for zh-hans): the keys of a
    `names` field, read back by `pick_translation`. English is the object's own name."""
    codes: list[str] = []
    for code, _label in settings.LANGUAGES:
        base = code.split("-")[0]
        if base != "en" and base not in codes:
            codes.append(base)
    return codes


def clean_names(names: dict[str, Any], max_length: int = 200) -> dict[str, str]:
    """Names by language, stripped; empty ones dropped. A language that is not a UI language, or a name too long,
    is a clear error naming the field."""
    known = set(name_languages())
    cleaned: dict[str, str] = {}
    for code, value in names.items():
        if code not in known:
            raise InvalidInput(_("Unknown language: %(v)s.") % {"v": code}, field=f"name_{code}")
        text = " ".join(str(value or "").split())
        if len(text) > max_length:
            raise InvalidInput(_("Keep the name under %(n)s characters.") % {"n": max_length + 1}, field=f"name_{code}")
        if text:
            cleaned[code] = text
    return cleaned


class NamesForm(forms.Form):
    """One field per UI language, each labelled with the language's name in the reader's language and marked
    with the language it is written in (so the browser lays it out and spell-checks it right)."""

    def __init__(self, *args: Any, names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in name_languages():
            self.fields[f"name_{code}"] = forms.CharField(
                label=language_name(code),
                required=False,
                max_length=200,
                initial=(names or {}).get(code, ""),
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code in name_languages()}
