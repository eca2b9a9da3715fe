"""Which text a reader sees on a challenge's page: the original, or the translation approved on the desk into the
reader's interface language (unless they asked for the original), marked as a translation."""

from __future__ import annotations

from dataclasses import dataclass

from cityexchange.registry.models import Language

from .models import Challenge, ChallengeTranslation

ORIGINAL_PARAM = "original"


@dataclass
class Reading:
    lang: str
    title: str
    description: str
    desired_outcome: str
    translation: ChallengeTranslation | None  # set when the text shown is a translation
    available: ChallengeTranslation | None  # the approved translation into the reader's language, shown or not
    out_of_date: bool  # the original changed after `available` was approved
    original_language: Language


def reading_for(challenge: Challenge, code: str, *, want_original: bool) -> Reading:
    available = None
    if code != challenge.language_id:
        available = challenge.translations.filter(language_id=code).select_related("translated_for", "language").first()
    out_of_date = available is not None and available.is_out_of_date
    t = None if want_original else available
    if t is None:
        c = challenge
        return Reading(
            c.language_id, c.title, c.description, c.desired_outcome, None, available, out_of_date, c.language
        )
    return Reading(
        t.language_id, t.title, t.description, t.desired_outcome, t, available, out_of_date, challenge.language
    )
