"""Import and export of challenges: the challenges' content kit, in the practices' file format (practices.
content_rows) and driven by core (core.content_kit) with the same guarantees: all or nothing, every error with row
and column, idempotent by `external_id`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from cityexchange.core.audit import audit
from cityexchange.core.content_kit import ImportReport, Progress, export_file, import_rows
from cityexchange.practices.content_rows import Row, content_kit
from cityexchange.practices.reading import FieldError
from cityexchange.practices.tabular import SourceRow
from cityexchange.registry.models import City

from .document import (
    CSV_COLUMNS,
    LIST_COLUMNS,
    ChallengeInput,
    challenge_document,
    document,
    json_schema,
    parse_challenge,
)
from .models import Challenge
from .services import write_content
from .signals import send_challenge_changed

ALLOWED_KEYS: dict[str, set[str] | None] = {
    **{c: None for c in CSV_COLUMNS if "." not in c},
    "constraints": {"budget", "timeframe", "conditions"},
}


@dataclass
class Plan:
    external_id: str
    city: City
    data: ChallengeInput


def _validate(row: Row) -> tuple[Plan | None, list[FieldError]]:
    data, errors = parse_challenge(row.source.data, row.vocab)
    if data is None or row.city is None:
        return None, errors
    return Plan(row.external_id, row.city, data), errors


def _wanted(plan: Plan) -> dict[str, Any]:
    return document(plan.data, external_id=plan.external_id, city_geonames_id=plan.city.geonames_id)


def _write(actor: Any, challenge: Challenge | None, plan: Plan, before: dict[str, Any]) -> Challenge:
    if challenge is None:
        challenge = Challenge(city=plan.city, external_id=plan.external_id, created_by=actor)
    write_content(challenge, plan.data, with_status=True)
    audit(actor, "challenge.import", challenge, after=_wanted(plan))
    send_challenge_changed(challenge.pk)
    return challenge


def _for_export(qs: QuerySet[Challenge]) -> QuerySet[Challenge]:
    return qs.select_related("city").prefetch_related("sectors").order_by("external_id")


CHALLENGES = content_kit(
    label="challenges",
    model=Challenge,
    columns=CSV_COLUMNS,
    list_columns=LIST_COLUMNS,
    json_columns=set(),
    allowed_keys=ALLOWED_KEYS,
    taken=gettext_lazy("This id belongs to a challenge of another city."),
    validate=_validate,
    document=challenge_document,
    wanted=_wanted,
    write=_write,
    for_export=_for_export,
    refused=gettext_lazy("Only the secretariat can import challenges."),
    schema=json_schema,
)


def parse_file(text: str, fmt: str) -> list[SourceRow]:
    return CHALLENGES.read(text, fmt)


def challenges_import(
    *, actor: Any, rows: list[SourceRow], fmt: str = "json", progress: Progress | None = None
) -> ImportReport:
    return import_rows(CHALLENGES, actor=actor, rows=rows, fmt=fmt, progress=progress)


def export_challenges(qs: QuerySet[Challenge], fmt: str) -> str:
    return export_file(CHALLENGES, qs, fmt)
