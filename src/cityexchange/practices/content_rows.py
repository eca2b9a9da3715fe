"""The content file format every content app shares (practices first, challenges on it): one `content_kit(...)`
builds an app's core.content_kit.ContentKit from what is its own (columns, row validator, document, service).

Shared here, not in core, because it is domain (a row names its member city by GeoNames id, the secretariat
imports) and its messages are this catalogue's: every row's natural key (`external_id`, unique in the file, owned
by one city), its city, unknown fields, and each error named by row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from cityexchange.accounts.models import User
from cityexchange.accounts.permissions import is_secretariat
from cityexchange.core.content_kit import ContentKit, Progress
from cityexchange.registry.demo import SECRETARIAT_EMAIL
from cityexchange.registry.models import City, Membership

from .document import Vocabulary
from .reading import FieldError, Reader
from .tabular import (
    ImportFailed,
    RowError,
    SourceRow,
    decode,
    detect_format,
    read_rows,
    unknown_keys,
    write_csv,
    write_json,
)

EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
MEMBER = (Membership.Status.ACTIVE, Membership.Status.SUSPENDED)


@dataclass(frozen=True)
class Row:
    """A row past the shared checks, for the app's validator: `reader` collects the app's errors too."""

    source: SourceRow
    reader: Reader
    external_id: str
    city: City | None
    vocab: Vocabulary


# (row) → (what to write, or None when the row has errors; the errors found besides the reader's)
Validator = Callable[[Row], tuple[Any, list[FieldError]]]


def column_of(path: str, fmt: str, nested: Iterable[str] = ()) -> str:
    """The column an error belongs to: in CSV the cell holding it (`indicators`), in JSON the full path."""
    if fmt != "csv":
        return path
    for prefix in nested:
        if path == prefix or path.startswith((f"{prefix}[", f"{prefix}.")):
            return prefix
    return path


def _detail(path: str, column: str, message: str) -> str:
    return message if path == column else f"{path[len(column) :].lstrip('.')}: {message}"


def _member_cities(rows: list[SourceRow]) -> dict[int, City]:
    geonames = set()
    for row in rows:
        value = row.data.get("city_geonames_id") if isinstance(row.data, dict) else None
        if isinstance(value, int | str) and str(value).strip().isdigit() and len(str(value).strip()) < 12:
            geonames.add(int(value))
    return {c.geonames_id: c for c in City.objects.filter(geonames_id__in=geonames, membership__status__in=MEMBER)}


def check_content_rows(
    rows: list[SourceRow],
    fmt: str,
    *,
    model: type[Model],
    allowed_keys: dict[str, set[str] | None],
    nested: Iterable[str],
    taken: Any,
    validate: Validator,
    progress: Progress | None = None,
) -> list[Any]:
    """Validate every row; raises ImportFailed with all errors (row and column each), else returns what to write.
    `taken` is the message for a natural key that belongs to another city's object."""
    vocab = Vocabulary.load()
    errors: list[RowError] = []
    plans: list[Any] = []
    cities = _member_cities(rows)
    ext_ids = [str(r.data.get("external_id", "")) for r in rows if isinstance(r.data, dict)]
    owners = dict(model._default_manager.filter(external_id__in=ext_ids).values_list("external_id", "city_id"))
    seen: dict[str, int] = {}
    for row in rows:
        r = Reader(row.data)
        problems = [FieldError(k, _("Unknown field.")) for k in unknown_keys(row.data, allowed_keys)]
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
            r.error("external_id", str(taken))
        plan, found = validate(Row(row, r, external_id, city, vocab))
        problems += r.errors + found
        for p in dict.fromkeys(problems):
            column = column_of(p.field, fmt, nested)
            errors.append(RowError(row.number, column, _detail(p.field, column, p.message)))
        if not problems and plan is not None and city is not None:
            plans.append(plan)
        if progress:
            progress(1)
    if errors:
        raise ImportFailed(errors)
    return plans


def secretariat_user(email: str) -> User | None:
    """Who an import command acts as: the active secretariat user with this e-mail, or the first one."""
    qs = User.objects.filter(is_active=True, is_secretariat=True)
    return qs.filter(email__iexact=email).first() if email else qs.order_by("pk").first()


def demo_secretariat() -> User | None:
    return User.objects.filter(email=SECRETARIAT_EMAIL).first()


def content_kit(
    *,
    label: str,
    model: type[Model],
    columns: list[str],
    list_columns: set[str],
    json_columns: set[str],
    allowed_keys: dict[str, set[str] | None],
    taken: Any,
    validate: Validator,
    document: Callable[[Any], dict[str, Any]],
    wanted: Callable[[Any], dict[str, Any]],
    write: Callable[[Any, Any, Any, dict[str, Any]], Any],
    for_export: Callable[[QuerySet[Any]], QuerySet[Any]],
    refused: Any,
    schema: Callable[[], dict[str, Any]],
) -> ContentKit:
    """A content kit in the shared file format, imported by the secretariat, keyed by `external_id`."""
    nested = (*sorted(json_columns), *sorted(list_columns))

    def check(rows: list[SourceRow], fmt: str, progress: Progress | None = None) -> list[Any]:
        return check_content_rows(
            rows, fmt, model=model, allowed_keys=allowed_keys, nested=nested, taken=taken, validate=validate,
            progress=progress,
        )  # fmt: skip

    def write_file(docs: Iterable[dict[str, Any]], fmt: str) -> str:
        return write_csv(docs, columns=columns, json_columns=json_columns) if fmt == "csv" else write_json(docs)

    return ContentKit(
        label=label,
        model=model,
        decode=decode,
        detect=detect_format,
        read=lambda text, fmt: read_rows(text, fmt, columns=columns, list_columns=list_columns),
        check=check,
        key=lambda plan: plan.external_id,
        current=lambda keys: {
            o.external_id: o for o in for_export(model._default_manager.filter(external_id__in=keys))
        },
        document=document,
        wanted=wanted,
        write=write,
        write_file=write_file,
        for_export=for_export,
        may_import=is_secretariat,
        refused=refused,
        schema=schema,
        actor=secretariat_user,
        demo_actor=demo_secretariat,
    )
