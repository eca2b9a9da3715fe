"""Which text a reader sees on a practice page: the original, or the translation approved on the desk into the
reader's interface language (unless they asked for the original), marked as a translation."""

from __future__ import annotations

from dataclasses import dataclass

from cityexchange.registry.models import Language

from .models import Indicator, Practice, PracticeTranslation

ORIGINAL_PARAM = "original"


@dataclass
class Reading:
    lang: str
    title: str
    summary: str
    problem: str
    solution: str
    results_text: str
    indicators: list[Indicator]  # each with `shown_name`, the name in the language shown
    translation: PracticeTranslation | None  # set when the text shown is a translation
    available: PracticeTranslation | None  # the approved translation into the reader's language, shown or not
    out_of_date: bool  # the original changed after `available` was approved
    original_language: Language


def approved_translation(practice: Practice, code: str) -> PracticeTranslation | None:
    if code == practice.language_id:
        return None
    return next((t for t in practice.translations.all() if t.language_id == code and t.is_full), None)


def reading_for(practice: Practice, code: str, *, want_original: bool) -> Reading:
    """The text to show; each indicator row gets `shown_name` (its name in that language) for this page only."""
    available = approved_translation(practice, code)
    out_of_date = available is not None and available.is_out_of_date
    t = None if want_original else available
    indicators: list[Indicator] = list(practice.indicators.all())
    names = t.indicator_names if t is not None else []
    for n, indicator in enumerate(indicators):
        shown = names[n] if n < len(names) and names[n] else indicator.name
        indicator.shown_name = shown  # type: ignore[attr-defined]
    if t is None:
        return Reading(
            practice.language_id,
            practice.title,
            practice.summary,
            practice.problem,
            practice.solution,
            practice.results_text,
            indicators,
            None,
            available,
            out_of_date,
            practice.language,
        )
    return Reading(
        t.language_id,
        t.title,
        t.summary,
        t.problem,
        t.solution,
        t.results_text,
        indicators,
        t,
        available,
        out_of_date,
        practice.language,
    )
