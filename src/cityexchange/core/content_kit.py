"""Importable, exportable, demo-loadable documents: one kit that a content app declares, driven the same way for
every kind of content (practices, challenges, and later others).

An app declares a `ContentKit`: its model, how a file becomes rows and documents become a file (its format), the
row validator (every row checked, every error with its row and column), the natural key, the document an object
holds and the one a row asks for, and the service that creates or updates one object. From it, core runs:

- `import_rows`: all or nothing (one transaction, nothing written unless every row is valid) and idempotent by the
  natural key (a row whose object already holds the same document changes nothing, so a rerun is safe);
- `export_file`: the objects as a file in the import format (importing it reproduces them);
- `load_demo`: the app's demo file imported through the same path, as the demo secretariat;
- `ImportCommand` / `ExportCommand` (core.content_commands): the `import-…` and `export-…` commands.

Core knows no domain: who may import, the user to act as and the user-facing texts come from the kit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Model, QuerySet

from .errors import InvalidInput, require

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ContentKit:
    label: str  # what the objects are called in the commands' output ("practices")
    model: type[Model]
    decode: Callable[[bytes], str]  # a file's bytes → text (refusing what is not its encoding)
    detect: Callable[[str, str], str]  # file name and text → format, when not given
    read: Callable[[str, str], list[Any]]  # file text and format ("csv", "json") → rows
    check: Callable[[list[Any], str, Progress | None], Sequence[Any]]  # rows → plans; raises naming row and column
    key: Callable[[Any], str]  # a plan's natural key
    current: Callable[[list[str]], dict[str, Model]]  # objects by natural key, with what `document` reads
    document: Callable[[Model], dict[str, Any]]  # the document an object holds (what an export writes)
    wanted: Callable[[Any], dict[str, Any]]  # the document a plan asks for
    write: Callable[[Any, Model | None, Any, dict[str, Any]], Model]  # (actor, object or None, plan, before) → object
    write_file: Callable[[Iterable[dict[str, Any]], str], str]  # documents → file text
    for_export: Callable[[QuerySet[Any]], QuerySet[Any]]  # what `document` reads, in the file's order
    may_import: Callable[[Any], bool]
    refused: Any  # the message for someone who may not (lazy: the app's catalogue carries it)
    schema: Callable[[], dict[str, Any]]  # JSON Schema of the format
    actor: Callable[[str], Any]  # who an import command acts as (by e-mail; "" for the default), or None
    demo_actor: Callable[[], Any]  # who the demo is imported as, or None while there is nobody


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)

    def counts(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged."


@transaction.atomic
def import_rows(
    kit: ContentKit, *, actor: Any, rows: list[Any], fmt: str = "json", progress: Progress | None = None
) -> ImportReport:
    """Check every row (`kit.check` raises with every error, nothing written), then create or update each object
    whose document differs. `progress(n)` is called once per row checked and once per row written."""
    require(kit.may_import(actor), str(kit.refused))
    plans = kit.check(rows, fmt, progress)
    report = ImportReport(total=len(plans))
    existing = kit.current([kit.key(plan) for plan in plans])
    for plan in plans:
        obj = existing.get(kit.key(plan))
        before = kit.document(obj) if obj is not None else {}
        if obj is not None and before == kit.wanted(plan):
            report.unchanged += 1
        else:
            obj = kit.write(actor, obj, plan, before)
            report.created += not before
            report.updated += bool(before)
        report.ids.append(obj.pk)
        if progress:
            progress(1)
    return report


def export_file(kit: ContentKit, qs: QuerySet[Any], fmt: str) -> str:
    """The objects of `qs` as a file in the import format: importing it reproduces them."""
    return kit.write_file((kit.document(obj) for obj in kit.for_export(qs)), fmt)


def load_demo(kit: ContentKit, path: Path, stdout: TextIO) -> list[tuple[str, str, str]]:
    """The app's demo file imported like any file, as the demo secretariat; skipped while the file or the user is
    not there. Idempotent (the import is). Returns no logins: the demo's people come from the registry."""
    name = f"Demo {kit.label}"
    if not path.exists():
        stdout.write(f"{name} skipped: {path.name} is not there yet.")
        return []
    actor = kit.demo_actor()
    if actor is None:
        stdout.write(f"{name} skipped: the demo secretariat user does not exist.")
        return []
    try:
        report = import_rows(kit, actor=actor, rows=kit.read(path.read_text(encoding="utf-8"), "json"))
    except InvalidInput as exc:
        for error in getattr(exc, "errors", [])[:50]:
            stdout.write(f"  {error}")
        raise
    stdout.write(f"{name}: {report.counts()}")
    return []
