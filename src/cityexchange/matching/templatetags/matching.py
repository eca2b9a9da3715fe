from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from cityexchange.core.sdgs import sdg_label
from cityexchange.matching import peers
from cityexchange.matching.explain import population_range, reason_text, score_text, sector_names
from cityexchange.matching.search import Result
from cityexchange.matching.search import percent as _percent
from cityexchange.matching.snippet import highlight, plain_text
from cityexchange.practices.models import Indicator, Practice
from cityexchange.practices.translated import approved_translation

register = template.Library()


@register.filter
def explain(score: peers.Score | None) -> str:
    return score_text(score)


@register.filter
def reasons(score: peers.Score | None) -> list[str]:
    return [reason_text(r) for r in score.reasons] if score else []


@register.filter
def percent(value: float) -> int:
    return _percent(value)


@register.filter
def passage_html(result: Result) -> SafeString:
    """The matched passage as plain text with the query's words marked (escaped)."""
    return highlight(result.passage, result.query, title=result.practice.title)


@register.filter
def plain(text: str) -> str:
    """Markdown content as plain text, for a one-line mention."""
    return plain_text(text or "")


@register.filter
def sector_words(result: Result) -> list[str]:
    """The sectors shared with the challenge when there are any, else the practice's own, by name."""
    if result.shared_sectors:
        return sector_names(result.shared_sectors)
    return [s.label for s in result.practice.sectors.all()]


@register.filter
def sdg_words(practice: Practice) -> list[str]:
    return [sdg_label(g.goal) for g in practice.goals.all()]


@register.filter
def key_indicator(practice: Practice) -> Indicator | None:
    """The first result indicator the authors listed: what the practice achieved, with its numbers."""
    indicators = list(practice.indicators.all())
    return indicators[0] if indicators else None


@register.filter
def population_span(practice: Practice) -> str:
    return population_range(practice)


@dataclass(frozen=True)
class Shown:
    """A practice's title and summary as a result card shows them, with the language they are in."""

    title: str
    summary: str
    lang: str  # of the title
    summary_lang: str
    translated: bool


@register.filter
def in_reader_language(practice: Practice) -> Shown:
    """The approved translation into the reader's interface language when there is one, else the original.
    Uses the practice's prefetched translations (no query per card)."""
    code = (get_language() or "en").split("-")[0].lower()
    t = approved_translation(practice, code)
    if t is None:
        return Shown(practice.title, practice.summary, practice.language_id, practice.language_id, False)
    if t.summary:
        return Shown(t.title, t.summary, t.language_id, t.language_id, True)
    return Shown(t.title, practice.summary, t.language_id, practice.language_id, True)
