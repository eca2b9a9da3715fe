"""Import and export of practices (CSV or JSON, the format of `document.py`): the practices' content kit.

Core drives it (core.content_kit): an import is all or nothing, every error reported with its row and column, and
idempotent by `external_id` (a row whose practice already holds the same content changes nothing, so a rerun after
a crash or a second run is safe). What is the practices' own is here: the row validator (status, content,
translations), the document a row asks for, and the write (status dates, translations, a version, the audit row).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cityexchange.core.audit import audit
from cityexchange.core.content_kit import ImportReport, Progress, import_rows
from cityexchange.registry.models import City

from .content_rows import Row, content_kit
from .document import (
    CSV_COLUMNS,
    IMPORT_STATUSES,
    JSON_TEXT_COLUMNS,
    LIST_COLUMNS,
    PracticeInput,
    TranslationInput,
    document,
    json_schema,
    parse_practice,
    parse_translations,
    practice_document,
)
from .models import Practice
from .reading import FieldError
from .services import record_version, write_content, write_translations
from .signals import send_practice_changed
from .tabular import SourceRow

ALLOWED_KEYS: dict[str, set[str] | None] = {
    **{c: None for c in CSV_COLUMNS if "." not in c},
    "transfer_conditions": {"min_population", "max_population", "climates", "budget_note", "prerequisites"},
    "contact": {"name", "email", "role"},
}


@dataclass
class Plan:
    row: int
    external_id: str
    city: City
    data: PracticeInput
    translations: dict[str, TranslationInput]
    status: str


def _validate(row: Row) -> tuple[Plan | None, list[FieldError]]:
    r, raw = row.reader, row.source.data
    status = r.choice("status", IMPORT_STATUSES, required=False, default="draft")
    data, content_errors = parse_practice(raw, row.vocab)
    language = data.language if data else str(r.get("language") or "")
    translations, translation_errors = parse_translations(
        raw.get("translations") if isinstance(raw, dict) else None, language, row.vocab
    )
    if data is None or row.city is None:
        return None, content_errors + translation_errors
    plan = Plan(row.source.number, row.external_id, row.city, data, translations, status)
    return plan, content_errors + translation_errors


def _wanted(plan: Plan) -> dict[str, Any]:
    return document(
        plan.data,
        external_id=plan.external_id,
        city_geonames_id=plan.city.geonames_id,
        translations=plan.translations,
        status=plan.status,
    )


def _write(actor: Any, practice: Practice | None, plan: Plan, before: dict[str, Any]) -> Practice:
    was_published = practice is not None and practice.status == Practice.Status.PUBLISHED
    if practice is None:
        practice = Practice(city=plan.city, external_id=plan.external_id, created_by=actor)
    if practice.status != plan.status or practice.pk is None:
        now = timezone.now()
        practice.status = plan.status
        if plan.status == Practice.Status.PUBLISHED and practice.published_at is None:
            practice.published_at = now
        if plan.status == Practice.Status.SUBMITTED:
            practice.submitted_at = now
    write_content(practice, plan.data)
    write_translations(practice, plan.translations, actor)
    record_version(practice, actor, "import", before)
    audit(actor, "practice.import", practice, after={"external_id": plan.external_id, "status": plan.status})
    if was_published or practice.status == Practice.Status.PUBLISHED:
        send_practice_changed(practice.pk)
    return practice


def export_queryset(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return (
        qs.select_related("city")
        .prefetch_related("sectors", "goals", "indicators", "translations")
        .order_by("external_id")
    )


PRACTICES = content_kit(
    label="practices",
    model=Practice,
    columns=CSV_COLUMNS,
    list_columns=LIST_COLUMNS,
    json_columns=JSON_TEXT_COLUMNS,
    allowed_keys=ALLOWED_KEYS,
    taken=gettext_lazy("This id belongs to a practice of another city."),
    validate=_validate,
    document=practice_document,
    wanted=_wanted,
    write=_write,
    for_export=export_queryset,
    refused=gettext_lazy("Only the secretariat can import practices."),
    schema=json_schema,
)


def parse_file(text: str, fmt: str) -> list[SourceRow]:
    return PRACTICES.read(text, fmt)


def practices_import(
    *, actor: Any, rows: list[SourceRow], fmt: str = "json", progress: Progress | None = None
) -> ImportReport:
    """Import practices as the secretariat. `progress(n)` is called once per row checked and once per row written."""
    return import_rows(PRACTICES, actor=actor, rows=rows, fmt=fmt, progress=progress)


def _contact_filtered(doc: dict[str, Any], with_contacts: bool) -> dict[str, Any]:
    if not with_contacts:
        doc["contact"] = {"name": "", "email": "", "role": ""}
    return doc


def export_practices(qs: QuerySet[Practice], fmt: str, *, with_contacts: bool = True) -> str:
    """The practices as a file in the import format: importing it reproduces them. Pages and the API pass
    `with_contacts=can_see_contacts(reader)` (practices.permissions): without it the contact person is left empty."""
    docs = (_contact_filtered(practice_document(p), with_contacts) for p in export_queryset(qs))
    return PRACTICES.write_file(docs, fmt)
