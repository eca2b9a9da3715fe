from __future__ import annotations

from django import template

from cityexchange.matching import peers
from cityexchange.matching.explain import reason_text, score_text
from cityexchange.matching.search import percent as _percent

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
