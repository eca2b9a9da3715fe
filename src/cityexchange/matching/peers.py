""" "Cities like mine" and "does this practice fit my city": scores with reasons, over plain data.

Both return a score in [0, 1] and the reasons behind it, as (code, text-parameters) pairs the UI translates,
so nothing here imports Django or decides wording. Weights are explicit constants: they encode the
association's judgement of what makes a practice transferable (size and climate first, then shared interests,
then the same national framework), not a fitted model, and a reviewer can read and argue with them.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A factor of 10 in population counts as "not alike at all" on the size criterion.
SIZE_SPAN_DECADES = 1.0
# Climate is approximated by absolute latitude: 15 degrees apart is a different climate band.
LATITUDE_SPAN = 15.0

PEER_WEIGHTS = {"size": 0.35, "climate": 0.25, "sectors": 0.25, "country": 0.15}
FIT_WEIGHTS = {"size": 0.35, "climate": 0.25, "budget": 0.25, "country": 0.15}


@dataclass(frozen=True)
class City:
    id: int | str
    name: str
    country: str  # ISO 3166-1 alpha-2
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    sectors: frozenset[str] = frozenset()  # sectors of interest (its practices and challenges)
    annual_budget: float | None = None  # what the city can spend on one practice, in the practice's currency


@dataclass(frozen=True)
class Reason:
    code: str  # e.g. "similar_size", "same_climate_band", "shared_sectors", "same_country"
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    score: float
    reasons: tuple[Reason, ...]
    parts: Mapping[str, float]  # each criterion's 0..1 value, before weighting


def size_similarity(a: int | None, b: int | None) -> float | None:
    """1 for equal populations, 0 at a factor of ten (log10 ratio) or more; None when unknown."""
    if not a or not b or a <= 0 or b <= 0:
        return None
    return max(0.0, 1.0 - abs(math.log10(a / b)) / SIZE_SPAN_DECADES)


def climate_band(latitude: float) -> str:
    lat = abs(latitude)
    if lat < 23.5:
        return "tropical"
    if lat < 35:
        return "subtropical"
    if lat < 55:
        return "temperate"
    if lat < 66.5:
        return "boreal"
    return "polar"


def climate_similarity(a: float | None, b: float | None) -> float | None:
    """By absolute latitude: the southern and northern temperate zones share heating, snow-free seasons, etc."""
    if a is None or b is None:
        return None
    return max(0.0, 1.0 - abs(abs(a) - abs(b)) / LATITUDE_SPAN)


def jaccard(a: Collection[str], b: Collection[str]) -> float | None:
    if not a or not b:
        return None
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb)


def _combine(parts: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """Weighted mean over the criteria that are known: a city without a recorded population is judged on
    the rest rather than punished for missing data."""
    known = {k: v for k, v in parts.items() if v is not None}
    total = sum(weights[k] for k in known)
    if not total:
        return 0.0
    return sum(weights[k] * v for k, v in known.items()) / total


def peer_similarity(mine: City, other: City) -> Score:
    shared = sorted(set(mine.sectors) & set(other.sectors))
    parts: dict[str, float | None] = {
        "size": size_similarity(mine.population, other.population),
        "climate": climate_similarity(mine.latitude, other.latitude),
        "sectors": jaccard(mine.sectors, other.sectors),
        "country": 1.0 if mine.country == other.country else 0.0,
    }
    reasons: list[Reason] = []
    if parts["size"] is not None and parts["size"] >= 0.7:
        reasons.append(Reason("similar_size", {"population": other.population}))
    if (
        mine.latitude is not None
        and other.latitude is not None
        and (climate_band(mine.latitude) == climate_band(other.latitude))
    ):
        reasons.append(Reason("same_climate_band", {"band": climate_band(other.latitude)}))
    if shared:
        reasons.append(Reason("shared_sectors", {"sectors": shared}))
    if parts["country"]:
        reasons.append(Reason("same_country", {"country": other.country}))
    return Score(_combine(parts, PEER_WEIGHTS), tuple(reasons), {k: v for k, v in parts.items() if v is not None})


def similar_cities(mine: City, others: Iterable[City], k: int = 10) -> list[tuple[City, Score]]:
    """The ``k`` most similar cities to ``mine`` (itself excluded), best first; ties by name for stability."""
    scored = [(c, peer_similarity(mine, c)) for c in others if c.id != mine.id]
    scored.sort(key=lambda pair: (-pair[1].score, pair[0].name))
    return scored[:k]


@dataclass(frozen=True)
class Conditions:
    """A practice's conditions for transfer, as the publishing city states them."""

    min_population: int | None = None
    max_population: int | None = None
    latitude: float | None = None  # of the origin city: the climate the practice is proven in
    climate_bands: frozenset[str] = frozenset()  # explicit bands it works in, if the author says so
    cost: float | None = None  # one-off cost of implementing it
    countries: frozenset[str] = frozenset()  # legal framework: works only in these countries, if any


def _range_fit(value: int | None, low: int | None, high: int | None) -> float | None:
    """1 inside [low, high]; decays by log distance outside, 0 at a factor of ten beyond a bound."""
    if value is None or value <= 0 or (low is None and high is None):
        return None
    if low is not None and value < low:
        return max(0.0, 1.0 - math.log10(low / value) / SIZE_SPAN_DECADES)
    if high is not None and value > high:
        return max(0.0, 1.0 - math.log10(value / high) / SIZE_SPAN_DECADES)
    return 1.0


def transfer_fit(conditions: Conditions, city: City) -> Score:
    """How well a practice's conditions match a candidate city, with the reasons for and against."""
    parts: dict[str, float | None] = {
        "size": _range_fit(city.population, conditions.min_population, conditions.max_population),
        "climate": None,
        "budget": None,
        "country": None,
    }
    reasons: list[Reason] = []
    if city.latitude is not None:
        band = climate_band(city.latitude)
        if conditions.climate_bands:
            parts["climate"] = 1.0 if band in conditions.climate_bands else 0.0
        else:
            parts["climate"] = climate_similarity(conditions.latitude, city.latitude)
        if parts["climate"] is not None:
            code = "climate_matches" if parts["climate"] >= 0.7 else "climate_differs"
            reasons.append(Reason(code, {"band": band}))
    if conditions.cost is not None and city.annual_budget is not None:
        budget = 1.0 if city.annual_budget >= conditions.cost else city.annual_budget / conditions.cost
        parts["budget"] = budget
        code = "within_budget" if budget >= 1.0 else "over_budget"
        reasons.append(Reason(code, {"cost": conditions.cost, "budget": city.annual_budget}))
    if conditions.countries:
        parts["country"] = 1.0 if city.country in conditions.countries else 0.0
        code = "country_allowed" if parts["country"] else "country_not_covered"
        reasons.append(Reason(code, {"country": city.country}))
    if parts["size"] is not None:
        code = "size_in_range" if parts["size"] >= 1.0 else "size_out_of_range"
        reasons.insert(0, Reason(code, {"population": city.population}))
    # A hard legal condition is not a matter of degree: outside the countries it names, the practice
    # cannot be adopted as it is, whatever else fits.
    score = _combine(parts, FIT_WEIGHTS)
    if parts["country"] == 0.0:
        score = min(score, 0.2)
    return Score(score, tuple(reasons), {k: v for k, v in parts.items() if v is not None})
