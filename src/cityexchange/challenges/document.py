"""A challenge as a plain document: the import/export format and its parser (see docs/practices.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cityexchange.practices.document import Vocabulary
from cityexchange.practices.reading import FieldError, Reader

from .models import Challenge

CSV_COLUMNS = [
    "external_id",
    "city_geonames_id",
    "language",
    "title",
    "description",
    "sectors",
    "desired_outcome",
    "constraints.budget",
    "constraints.timeframe",
    "constraints.conditions",
    "status",
    "is_public",
]
LIST_COLUMNS = {"sectors"}
MAX_TEXT = 20_000


@dataclass(frozen=True)
class ChallengeInput:
    language: str
    title: str
    description: str
    desired_outcome: str = ""
    sectors: tuple[str, ...] = ()
    budget: str = ""
    timeframe: str = ""
    conditions: str = ""
    status: str = Challenge.Status.OPEN
    is_public: bool = False


def parse_challenge(raw: Any, vocabulary: Vocabulary | None = None) -> tuple[ChallengeInput | None, list[FieldError]]:
    vocab = vocabulary or Vocabulary.load()
    r = Reader(raw)
    if r.errors:
        return None, r.errors
    sectors = r.str_list("sectors", max_items=16, max_len=40)
    for code in sectors:
        if code not in vocab.sectors:
            r.error("sectors", _("Unknown sector “%(v)s”.") % {"v": code})
    if not sectors and not any(e.field.startswith("sectors") for e in r.errors):
        r.error("sectors", _("Choose at least one sector."))
    data = ChallengeInput(
        language=r.choice("language", sorted(vocab.languages)),
        title=r.text("title", required=True, max_len=200),
        description=r.text("description", required=True, max_len=MAX_TEXT),
        desired_outcome=r.text("desired_outcome", max_len=MAX_TEXT),
        sectors=tuple(sorted(sectors)),
        budget=r.text("constraints.budget", max_len=2_000),
        timeframe=r.text("constraints.timeframe", max_len=2_000),
        conditions=r.text("constraints.conditions", max_len=MAX_TEXT),
        status=r.choice("status", Challenge.Status.values, required=False, default=Challenge.Status.OPEN),
        is_public=r.boolean("is_public"),
    )
    if r.errors:
        return None, r.errors
    return data, []


def input_from_challenge(c: Challenge) -> ChallengeInput:
    return ChallengeInput(
        language=c.language_id,
        title=c.title,
        description=c.description,
        desired_outcome=c.desired_outcome,
        sectors=tuple(sorted(s.code for s in c.sectors.all())),
        budget=c.budget,
        timeframe=c.timeframe,
        conditions=c.conditions,
        status=c.status,
        is_public=c.is_public,
    )


def document(data: ChallengeInput, *, external_id: str, city_geonames_id: int) -> dict[str, Any]:
    return {
        "external_id": external_id,
        "city_geonames_id": city_geonames_id,
        "language": data.language,
        "title": data.title,
        "description": data.description,
        "sectors": list(data.sectors),
        "desired_outcome": data.desired_outcome,
        "constraints": {"budget": data.budget, "timeframe": data.timeframe, "conditions": data.conditions},
        "status": data.status,
        "is_public": data.is_public,
    }


def challenge_document(c: Challenge) -> dict[str, Any]:
    return document(input_from_challenge(c), external_id=c.external_id, city_geonames_id=c.city.geonames_id)


def json_schema(sector_codes: list[str] | None = None) -> dict[str, Any]:
    sector: dict[str, Any] = {"type": "string"}
    if sector_codes:
        sector["enum"] = sorted(sector_codes)
    text: dict[str, Any] = {"type": "string", "maxLength": 2_000}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cityexchange.org/schemas/challenges-import.json",
        "title": "cityexchange challenges import",
        "type": "array",
        "items": {
            "type": "object",
            "required": ["external_id", "city_geonames_id", "language", "title", "description", "sectors"],
            "properties": {
                "external_id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:-]*$", "maxLength": 100},
                "city_geonames_id": {"type": "integer"},
                "language": {"type": "string"},
                "title": {"type": "string", "maxLength": 200},
                "description": {"type": "string", "maxLength": MAX_TEXT},
                "sectors": {"type": "array", "items": sector, "minItems": 1},
                "desired_outcome": {"type": "string", "maxLength": MAX_TEXT},
                "constraints": {
                    "type": "object",
                    "properties": {"budget": text, "timeframe": text, "conditions": {"type": "string"}},
                    "additionalProperties": False,
                },
                "status": {"enum": Challenge.Status.values, "default": "open"},
                "is_public": {"type": "boolean", "default": False},
            },
            "additionalProperties": False,
        },
    }
