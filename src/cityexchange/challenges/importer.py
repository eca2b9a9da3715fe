"""Import and export of challenges: the same guarantees as practices (all or nothing, every error with row and
column, idempotent by `external_id`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.core.audit import audit
from cityexchange.core.errors import require
from cityexchange.practices.document import Vocabulary
from cityexchange.practices.importer import EXTERNAL_ID, MEMBER, column_of
from cityexchange.practices.reading import FieldError, Reader
from cityexchange.practices.tabular import (
    ImportFailed,
    RowError,
    SourceRow,
    read_rows,
    unknown_keys,
    write_csv,
    write_json,
)
from cityexchange.registry.models import City

from .document import CSV_COLUMNS, LIST_COLUMNS, ChallengeInput, challenge_document, document, parse_challenge
from .models import Challenge
from .services import write_content
from .signals import send_challenge_changed

Progress = Callable[[int], None]
ALLOWED_KEYS: dict[str, set[str] | None] = {
    **{c: None for c in CSV_COLUMNS if "." not in c},
    "constraints": {"budget", "timeframe", "conditions"},
}


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


@dataclass
class Plan:
    external_id: str
    city: City
    data: ChallengeInput


def parse_file(text: str, fmt: str) -> list[SourceRow]:
    return read_rows(text, fmt, columns=CSV_COLUMNS, list_columns=LIST_COLUMNS)


def check_rows(rows: list[SourceRow], fmt: str, progress: Progress | None = None) -> list[Plan]:
    vocab = Vocabulary.load()
    errors: list[RowError] = []
    plans: list[Plan] = []
    geonames = {
        int(r.data["city_geonames_id"])
        for r in rows
        if isinstance(r.data, dict)
        and str(r.data.get("city_geonames_id", "")).strip().isdigit()
        and len(str(r.data.get("city_geonames_id", "")).strip()) < 12
    }
    cities = {c.geonames_id: c for c in City.objects.filter(geonames_id__in=geonames, membership__status__in=MEMBER)}
    ext_ids = [str(r.data.get("external_id", "")) for r in rows if isinstance(r.data, dict)]
    owners = dict(Challenge.objects.filter(external_id__in=ext_ids).values_list("external_id", "city_id"))
    seen: dict[str, int] = {}
    for row in rows:
        r = Reader(row.data)
        problems = [FieldError(k, _("Unknown field.")) for k in unknown_keys(row.data, ALLOWED_KEYS)]
        external_id = r.text("external_id", required=True, max_len=100)
        if external_id and not EXTERNAL_ID.match(external_id):
            r.error("external_id", _("Use letters, digits and . _ : - only, starting with a letter or digit."))
        elif external_id in seen:
            r.error("external_id", _("Duplicate of row %(row)d.") % {"row": seen[external_id]})
        seen.setdefault(external_id, row.number)
        geonames_id = r.integer("city_geonames_id", required=True, low=1, high=10**11)
        city = cities.get(geonames_id) if geonames_id else None
        if geonames_id and city is None:
            r.error("city_geonames_id", _("No member city has GeoNames id %(id)s.") % {"id": geonames_id})
        if city and external_id in owners and owners[external_id] != city.pk:
            r.error("external_id", _("This id belongs to a challenge of another city."))
        data, content_errors = parse_challenge(row.data, vocab)
        problems += r.errors + content_errors
        for p in dict.fromkeys(problems):
            errors.append(RowError(row.number, column_of(p.field, fmt), p.message))
        if not problems and data is not None and city is not None:
            plans.append(Plan(external_id, city, data))
        if progress:
            progress(1)
    if errors:
        raise ImportFailed(errors)
    return plans


@transaction.atomic
def challenges_import(
    *, actor: Any, rows: list[SourceRow], fmt: str = "json", progress: Progress | None = None
) -> ImportReport:
    require(is_secretariat(actor), _("Only the secretariat can import challenges."))
    plans = check_rows(rows, fmt, progress)
    report = ImportReport(total=len(plans))
    existing = {
        c.external_id: c
        for c in Challenge.objects.filter(external_id__in=[p.external_id for p in plans])
        .select_related("city")
        .prefetch_related("sectors")
    }
    for plan in plans:
        challenge = existing.get(plan.external_id)
        wanted = document(plan.data, external_id=plan.external_id, city_geonames_id=plan.city.geonames_id)
        if challenge is not None and challenge_document(challenge) == wanted:
            report.unchanged += 1
        else:
            created = challenge is None
            if challenge is None:
                challenge = Challenge(city=plan.city, external_id=plan.external_id, created_by=actor)
            write_content(challenge, plan.data, with_status=True)
            audit(actor, "challenge.import", challenge, after=wanted)
            send_challenge_changed(challenge.pk)
            report.created += created
            report.updated += not created
        report.ids.append(challenge.pk)
        if progress:
            progress(1)
    return report


def export_challenges(qs: QuerySet[Challenge], fmt: str) -> str:
    docs = (
        challenge_document(c) for c in qs.select_related("city").prefetch_related("sectors").order_by("external_id")
    )
    if fmt == "csv":
        return write_csv(docs, columns=CSV_COLUMNS, json_columns=set())
    return write_json(docs)
