"""A stand-in translation for strings a catalogue does not translate yet: the msgid with its words replaced by
'ж' (placeholders, markup and entities kept, so formatting still works). With it, a page shows English only where a
string was never marked for translation or comes from data: the part of the check that does not wait for the
translators."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import translation

KEEP = re.compile(r"(%\(\w+\)[sdfi]|%[sdfi%]|<[^>]*>|&#?\w+;|\{[^}]*\})")


def pseudo(message: str) -> str:
    parts = KEEP.split(message)
    return "".join(p if i % 2 else re.sub(r"[A-Za-z]", "ж", p) for i, p in enumerate(parts))


def _english() -> bool:
    return (translation.get_language() or "en").split("-")[0] == "en"


@contextmanager
def pseudo_translations() -> Iterator[None]:
    trans: Any = translation._trans  # type: ignore[attr-defined]
    real: dict[str, Callable[..., str]] = {
        name: getattr(trans, name) for name in ("gettext", "ngettext", "pgettext", "npgettext")
    }

    def gettext(message: str) -> str:
        result = real["gettext"](message)
        return pseudo(message) if result == message and not _english() else result

    def ngettext(singular: str, plural: str, number: int) -> str:
        result = real["ngettext"](singular, plural, number)
        return pseudo(result) if result in (singular, plural) and not _english() else result

    def pgettext(context: str, message: str) -> str:
        result = real["pgettext"](context, message)
        return pseudo(message) if result == message and not _english() else result

    def npgettext(context: str, singular: str, plural: str, number: int) -> str:
        result = real["npgettext"](context, singular, plural, number)
        return pseudo(result) if result in (singular, plural) and not _english() else result

    fakes = {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
    for name, fake in fakes.items():
        setattr(trans, name, fake)
    try:
        yield
    finally:
        for name, function in real.items():
            setattr(trans, name, function)
