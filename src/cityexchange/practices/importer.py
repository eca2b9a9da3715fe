"""Import and export of practices (CSV or JSON, the format of `document.py`).

An import is all or nothing: every row is checked first and every error reported with its row and column; only
a file without errors is written, in one transaction. It is idempotent by `external_id`: a row whose practice
already holds the same content changes nothing, so a rerun after a crash or a second run is safe.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_secretariat
from cityexchange.core.audit import audit
from cityexchange.core.errors import require
from cityexchange.registry.models import City, Membership

from .document import (
    CSV_COLUMNS,
    IMPORT_STATUSES,
    JSON_TEXT_COLUMNS,
    LIST_COLUMNS,
    PracticeInput,
    TranslationInput,
    Vocabulary,
    document,
    parse_practice,
    parse_translations,
    practice_document,
)
from .models import Practice
from .reading import FieldError, Reader
from .services import record_version, write_content, write_translations
from .signals import send_practice_changed
from .tabular import ImportFailed, RowError, SourceRow, read_rows, unknown_keys, write_csv, write_json

Progress = Callable[[int], None]
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
ALLOWED_KEYS: dict[str, set[str] | None] = {
    **{c: None for c in CSV_COLUMNS if "." not in c},
    "transfer_conditions": {"min_population", "max_population", "climates", "budget_note", "prerequisites"},
    "contact": {"name", "email", "role"},
}
MEMBER = (Membership.Status.ACTIVE, Membership.Status.SUSPENDED)


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


def column_of(path: str, fmt: str) -> str:
    """The column an error belongs to: in CSV the cell holding it (`indicators`), in JSON the full path."""
    if fmt != "csv":
        return path
    for prefix in ("indicators", "translations", *LIST_COLUMNS):
        if path == prefix or path.startswith((f"{prefix}[", f"{prefix}.")):
            return prefix
    return path


def _detail(path: str, column: str, message: str) -> str:
    return message if path == column else f"{path[len(column) :].lstrip('.')}: {message}"


@dataclass
class Plan:
    row: int
    external_id: str
    city: City
    data: PracticeInput
    translations: dict[str, TranslationInput]
    status: str


def parse_file(text: str, fmt: str) -> list[SourceRow]:
    return read_rows(text, fmt, columns=CSV_COLUMNS, list_columns=LIST_COLUMNS)


def check_rows(rows: list[SourceRow], fmt: str, progress: Progress | None = None) -> list[Plan]:
    """Validate every row; raises ImportFailed with all errors, else returns what to write."""
    vocab = Vocabulary.load()
    errors: list[RowError] = []
    plans: list[Plan] = []
    geonames = set()
    for row in rows:
        value = row.data.get("city_geonames_id") if isinstance(row.data, dict) else None
        if isinstance(value, int | str) and str(value).strip().isdigit() and len(str(value).strip()) < 12:
            geonames.add(int(value))
    cities = {c.geonames_id: c for c in City.objects.filter(geonames_id__in=geonames, membership__status__in=MEMBER)}
    ext_ids = [str(r.data.get("external_id", "")) for r in rows if isinstance(r.data, dict)]
    owners = dict(Practice.objects.filter(external_id__in=ext_ids).values_list("external_id", "city_id"))
    seen: dict[str, int] = {}
    for row in rows:
        problems: list[FieldError] = []
        r = Reader(row.data)
        problems += [FieldError(k, _("Unknown field.")) for k in unknown_keys(row.data, ALLOWED_KEYS)]
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
            r.error("external_id", _("This id belongs to a practice of another city."))
        status = r.choice("status", IMPORT_STATUSES, required=False, default="draft")
        data, content_errors = parse_practice(row.data, vocab)
        language = data.language if data else str(r.get("language") or "")
        translations, translation_errors = parse_translations(
            row.data.get("translations") if isinstance(row.data, dict) else None, language, vocab
        )
        problems += r.errors + content_errors + translation_errors
        seen_fields: set[tuple[str, str]] = set()
        for p in problems:
            if (p.field, p.message) in seen_fields:
                continue
            seen_fields.add((p.field, p.message))
            column = column_of(p.field, fmt)
            errors.append(RowError(row.number, column, _detail(p.field, column, p.message)))
        if not problems and data is not None and city is not None:
            plans.append(Plan(row.number, external_id, city, data, translations, status))
        if progress:
            progress(1)
    if errors:
        raise ImportFailed(errors)
    return plans


@transaction.atomic
def practices_import(
    *, actor: Any, rows: list[SourceRow], fmt: str = "json", progress: Progress | None = None
) -> ImportReport:
    """Import practices as the secretariat. `progress(n)` is called once per row checked and once per row written."""
    require(is_secretariat(actor), _("Only the secretariat can import practices."))
    plans = check_rows(rows, fmt, progress)
    report = ImportReport(total=len(plans))
    existing = {
        p.external_id: p
        for p in Practice.objects.filter(external_id__in=[p.external_id for p in plans])
        .select_related("city")
        .prefetch_related("sectors", "goals", "indicators", "translations")
    }
    now = timezone.now()
    for plan in plans:
        practice = existing.get(plan.external_id)
        wanted = document(
            plan.data,
            external_id=plan.external_id,
            city_geonames_id=plan.city.geonames_id,
            translations=plan.translations,
            status=plan.status,
        )
        before: dict[str, Any] = {}
        was_published = False
        if practice is None:
            practice = Practice(city=plan.city, external_id=plan.external_id, created_by=actor)
        else:
            before = practice_document(practice)
            was_published = practice.status == Practice.Status.PUBLISHED
            if before == wanted:
                report.unchanged += 1
                report.ids.append(practice.pk)
                if progress:
                    progress(1)
                continue
        if practice.status != plan.status or practice.pk is None:
            practice.status = plan.status
            if plan.status == Practice.Status.PUBLISHED and practice.published_at is None:
                practice.published_at = now
            if plan.status == Practice.Status.SUBMITTED:
                practice.submitted_at = now
        write_content(practice, plan.data)
        write_translations(practice, plan.translations, actor)
        record_version(practice, actor, "import", before)
        audit(actor, "practice.import", practice, after={"external_id": plan.external_id, "status": plan.status})
        if before:
            report.updated += 1
        else:
            report.created += 1
        report.ids.append(practice.pk)
        if was_published or practice.status == Practice.Status.PUBLISHED:
            send_practice_changed(practice.pk)
        if progress:
            progress(1)
    return report


def export_queryset(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return (
        qs.select_related("city")
        .prefetch_related("sectors", "goals", "indicators", "translations")
        .order_by("external_id")
    )


def _contact_filtered(doc: dict[str, Any], with_contacts: bool) -> dict[str, Any]:
    if not with_contacts:
        doc["contact"] = {"name": "", "email": "", "role": ""}
    return doc


def export_practices(qs: QuerySet[Practice], fmt: str, *, with_contacts: bool = True) -> str:
    """The practices as a file in the import format: importing it reproduces them. Pages and the API pass
    `with_contacts=can_see_contacts(reader)` (practices.permissions): without it the contact person is left empty."""
    docs = (_contact_filtered(practice_document(p), with_contacts) for p in export_queryset(qs))
    if fmt == "csv":
        return write_csv(docs, columns=CSV_COLUMNS, json_columns=JSON_TEXT_COLUMNS)
    return write_json(docs)
