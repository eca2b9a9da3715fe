"""Which text of a contact message its reader sees: the original, or the translation approved on the translation
desk into the reader's interface language (unless they asked for the original), marked as a translation — as on a
practice's or challenge's page (the notice is practices/_translation_notice.html)."""

from __future__ import annotations

from dataclasses import dataclass

from cityexchange.registry.models import Language

from .models import ContactRequest, ContactRequestTranslation

ORIGINAL_PARAM = "original"


@dataclass
class Reading:
    lang: str  # "" when the message's language was never recorded
    message: str
    translation: ContactRequestTranslation | None  # set when the text shown is a translation
    available: ContactRequestTranslation | None  # the approved translation into the reader's language, shown or not
    out_of_date: bool
    original_language: Language | None


def reading_for(request: ContactRequest, code: str, *, want_original: bool) -> Reading:
    available = None
    if request.language_id and code != request.language_id:
        available = request.translations.filter(language_id=code).select_related("translated_for", "language").first()
    out_of_date = available is not None and available.is_out_of_date
    t = None if want_original else available
    if t is None:
        return Reading(request.language_id or "", request.message, None, available, out_of_date, request.language)
    return Reading(t.language_id, t.message, t, available, out_of_date, request.language)
