"""The edge between the database and the engine: practices as engine records, cities as peer records."""

from __future__ import annotations

from typing import Any

from cityexchange.practices.models import Practice
from cityexchange.registry.models import City

from . import peers
from .engine import Doc

# The practice form's climates (Köppen-like groups) → the latitude bands the engine reasons with.
CLIMATE_BANDS: dict[str, set[str]] = {
    "tropical": {"tropical"},
    "arid": {"tropical", "subtropical"},
    "temperate": {"subtropical", "temperate"},
    "continental": {"temperate", "boreal"},
    "polar": {"boreal", "polar"},
}


def practice_key(practice_id: int) -> str:
    return f"practice:{practice_id}"


def practice_id_of(key: str) -> int:
    return int(key.split(":", 1)[1])


def practice_doc(practice: Practice) -> Doc:
    """Title and searchable text in the original language; human translations are appended as extra passages
    (title and summary, and for those approved on the translation desk the whole text with indicator names), so a
    query in their language also finds it (the original stays the primary text)."""
    lang, text = practice.searchable_text()
    translations = ["\n".join(_translation_parts(t)) for t in practice.translations.all()]
    meta: dict[str, Any] = {
        "sectors": [s.code for s in practice.sectors.all()],
        "country": practice.city.country_id,
        "maturity": practice.maturity,
        "cost_band": practice.cost_band,
        "sdgs": [g.goal for g in practice.goals.all()],
        "city_id": practice.city_id,
        "language": lang,
    }
    body = "\n\n".join([text, *translations])
    return Doc(id=practice_key(practice.pk), title=practice.title, text=body, lang=lang, meta=meta)


def _translation_parts(t: Any) -> list[str]:
    parts = [t.title, t.summary, t.problem, t.solution, t.results_text, *(t.indicator_names or [])]
    return [p for p in parts if p]


def city_record(city: City, sectors: frozenset[str] = frozenset()) -> peers.City:
    return peers.City(
        id=city.pk,
        name=city.name,
        country=city.country_id,
        population=city.population or None,
        latitude=city.latitude,
        longitude=city.longitude,
        sectors=sectors,
    )


def practice_conditions(practice: Practice) -> peers.Conditions:
    bands: set[str] = set()
    for climate in practice.climates or []:
        bands |= CLIMATE_BANDS.get(climate, set())
    return peers.Conditions(
        min_population=practice.min_population,
        max_population=practice.max_population,
        latitude=practice.city.latitude,
        climate_bands=frozenset(bands),
    )
