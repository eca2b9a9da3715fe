"""Reads of the engine with visibility applied: search, recommendations for a challenge, cities like mine.

The index holds published practices only (drafts never enter it); every result is still intersected with
`practices_visible_to(user)`, so a rule added there applies here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, prefetch_related_objects

from cityexchange.challenges.models import Challenge
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import PracticeFilters, practices_visible_to
from cityexchange.registry.models import City, Membership

from . import peers, store
from .documents import city_record, practice_conditions, practice_id_of
from .engine import Hit
from .filters import engine_filters
from .relevance import Strength, strength

FILTER_KEYS = ("sectors", "country", "maturity", "sdgs", "language", "cost_band", "city_id")


@dataclass
class Result:
    practice: Practice
    score: float
    passage: str
    dense: float
    lexical: float
    shared_sectors: list[str] = field(default_factory=list)
    peer: peers.Score | None = None
    fit: peers.Score | None = None
    rank: int = 0
    # The engine's relevance alone (for recommendations, ``score`` also weighs transfer fit): what the
    # strong / possible label is read from.
    relevance: float | None = None
    strength: Strength = "possible"
    query: str = ""  # the words to mark in the passage

    def __post_init__(self) -> None:
        self.strength = strength(self.score if self.relevance is None else self.relevance, self.query or None)


def strong_and_possible(results: list[Result]) -> tuple[list[Result], list[Result]]:
    """The results split by their label, each part in rank order."""
    return [r for r in results if r.strength == "strong"], [r for r in results if r.strength != "strong"]


def _clean_filters(filters: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items() if k in FILTER_KEYS and v not in (None, "", [])}


# The related rows a result card shows (search page, library): sectors, goals, its key result and the approved
# translation into the reader's language. The API's results carry none of them (sectors only to compare cities).
CARD = ("sectors", "goals", "indicators", "translations")


def _practices(
    user: Any, hits: list[Hit], limit: int | None = None, related: tuple[str, ...] = CARD
) -> dict[int, Practice]:
    """The practices of ``hits`` the user may see, with the ``related`` rows; with ``limit``, only the first
    ``limit`` of them in the hits' order (more hits are asked of the engine than are shown, for those the user
    may not see), so related rows are read for the shown ones alone."""
    ids = [practice_id_of(h.id) for h in hits]
    qs = practices_visible_to(user).filter(pk__in=ids, status=Practice.Status.PUBLISHED)
    found = {p.pk: p for p in qs.select_related("city", "city__country", "language")}
    shown = [found[i] for i in ids if i in found][:limit]
    if related:
        prefetch_related_objects(shown, *related)
    return {p.pk: p for p in shown}


def city_sectors(city_ids: list[int]) -> dict[int, frozenset[str]]:
    """A city's sectors of interest: those of its practices and challenges."""
    out: dict[int, set[str]] = {c: set() for c in city_ids}
    for city_id, code in Practice.objects.filter(city_id__in=city_ids).values_list("city_id", "sectors__code"):
        if code:
            out[city_id].add(code)
    for city_id, code in Challenge.objects.filter(city_id__in=city_ids).values_list("city_id", "sectors__code"):
        if code:
            out[city_id].add(code)
    return {k: frozenset(v) for k, v in out.items()}


def search(
    user: Any,
    query: str,
    *,
    filters: dict[str, Any] | None = None,
    k: int = 20,
    viewer_city: City | None = None,
    related: tuple[str, ...] = CARD,
) -> list[Result]:
    """Published practices in any language for a query in any language, best first, with why they matched; each
    practice with its ``related`` rows (what a result card shows, by default)."""
    hits = store.search_hits(query, filters=_clean_filters(filters), k=k * 2)
    practices = _practices(user, hits, limit=k, related=(*related, "sectors") if viewer_city else related)
    mine = city_record(viewer_city, city_sectors([viewer_city.pk])[viewer_city.pk]) if viewer_city else None
    results = []
    for hit in hits:
        practice = practices.get(practice_id_of(hit.id))
        if practice is None:
            continue
        result = Result(practice, hit.score, hit.passage, hit.dense, hit.lexical, query=query)
        if mine is not None:
            other = city_record(practice.city, frozenset(s.code for s in practice.sectors.all()))
            result.peer = peers.peer_similarity(mine, other)
            result.fit = peers.transfer_fit(practice_conditions(practice), mine)
        results.append(result)
        if len(results) == k:
            break
    for rank, r in enumerate(results, start=1):
        r.rank = rank
    return results


def find(
    user: Any,
    filters: PracticeFilters,
    *,
    k: int = 20,
    viewer_city: City | None = None,
    related: tuple[str, ...] = CARD,
) -> list[Result]:
    """The one search behind the practice library, the search page and the API: the query and the shared
    filters (`filters.py`) through the engine, strong matches first, then possible ones."""
    results = search(user, filters.q, filters=engine_filters(filters), k=k, viewer_city=viewer_city, related=related)
    strong, possible = strong_and_possible(results)
    return strong + possible


# How much transfer fit moves a recommendation: relevance decides, fit breaks near-ties and demotes misfits.
FIT_WEIGHT = 0.25


def recommend_for_challenge(user: Any, challenge: Challenge, *, k: int = 10) -> list[Result]:
    """Practices answering a challenge, from other cities, scored on relevance and on transfer fit to the
    challenge's city, with the reasons."""
    challenge_sectors = {s.code for s in challenge.sectors.all()}
    # Its original and its approved translations are searched: each hit comes with the text that found it.
    found = store.challenge_hits(challenge, exclude_city=challenge.city_id, k=k * 2)
    practices = _practices(user, [hit for hit, _text in found])
    city = city_record(challenge.city, frozenset(challenge_sectors))
    results = []
    for hit, text in found:
        practice = practices.get(practice_id_of(hit.id))
        if practice is None:
            continue
        fit = peers.transfer_fit(practice_conditions(practice), city)
        shared = sorted(challenge_sectors & {s.code for s in practice.sectors.all()})
        score = (1 - FIT_WEIGHT) * hit.score + FIT_WEIGHT * fit.score * max(hit.score, 0.0)
        results.append(
            Result(
                practice, score, hit.passage, hit.dense, hit.lexical, shared, fit=fit, relevance=hit.score,
                query=text,
            )
        )
    # Strong matches first: fit reorders within each label, it never lifts a possible match above a strong one.
    results.sort(key=lambda r: (r.strength != "strong", -r.score))
    results = results[:k]
    for rank, r in enumerate(results, start=1):
        r.rank = rank
    return results


@dataclass
class PeerCity:
    city: City
    score: peers.Score
    practices: int


def cities_like(city: City, *, k: int = 10) -> list[tuple[City, peers.Score]]:
    """Member cities most like this one: size, climate, country and sectors of interest."""
    members = list(
        City.objects.filter(membership__status=Membership.Status.ACTIVE).exclude(pk=city.pk).select_related("country")
    )
    sectors = city_sectors([city.pk, *[c.pk for c in members]])
    mine = city_record(city, sectors.get(city.pk, frozenset()))
    by_id = {c.pk: c for c in members}
    ranked = peers.similar_cities(mine, [city_record(c, sectors.get(c.pk, frozenset())) for c in members], k=k)
    return [(by_id[int(rec.id)], score) for rec, score in ranked]


def peer_cities_for_challenge(user: Any, challenge: Challenge, *, k: int = 5) -> list[dict[str, Any]]:
    """Cities that solved similar problems: the owners of the best recommendations, aggregated."""
    recs = recommend_for_challenge(user, challenge, k=30)
    by_city: dict[int, dict[str, Any]] = {}
    for r in recs:
        entry = by_city.setdefault(r.practice.city_id, {"city": r.practice.city, "score": 0.0, "practices": []})
        entry["score"] = max(entry["score"], r.score)
        entry["practices"].append(r.practice)
    ranked = sorted(by_city.values(), key=lambda e: -e["score"])[:k]
    mine = city_record(challenge.city)
    for e in ranked:
        e["peer"] = peers.peer_similarity(mine, city_record(e["city"]))
    return ranked


def practice_counts_by_city(city_ids: list[int]) -> dict[int, int]:
    rows = (
        Practice.objects.filter(city_id__in=city_ids, status=Practice.Status.PUBLISHED)
        .values("city_id")
        .annotate(n=Count("pk"))
    )
    return {r["city_id"]: r["n"] for r in rows}


def is_indexed(practice_id: int) -> bool:
    return store.is_indexed(practice_id)


def percent(value: float) -> int:
    return round(100 * max(0.0, min(1.0, value))) if math.isfinite(value) else 0
