"""The content kit (core.content_kit) drives every content app alike: practices and challenges are imported,
re-imported, exported, refused and demo-loaded through the same code, with the same guarantees."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from cityexchange.challenges.importer import CHALLENGES
from cityexchange.core.content_kit import ContentKit, export_file, import_rows, load_demo
from cityexchange.practices.importer import PRACTICES
from cityexchange.practices.tabular import ImportFailed
from cityexchange.registry.demo import SECRETARIAT_EMAIL
from tests.challenges.factories import challenge_doc
from tests.practices.factories import import_row
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def _practices(city: Any) -> list[dict[str, Any]]:
    return [import_row("kit-1", city), import_row("kit-2", city, title="Second")]


def _challenges(city: Any) -> list[dict[str, Any]]:
    return [
        {**challenge_doc(), "external_id": f"kit-{n}", "city_geonames_id": city.geonames_id, "status": "open"}
        for n in (1, 2)
    ]


KITS = [(PRACTICES, _practices, "title"), (CHALLENGES, _challenges, "title")]


@pytest.fixture(params=KITS, ids=lambda k: k[0].label)
def kit_and_rows(request: Any, kazan: Any) -> tuple[ContentKit, list[dict[str, Any]], str]:
    kit, make_rows, required = request.param
    return kit, make_rows(kazan), required


def _run(kit: ContentKit, actor: Any, docs: Any, fmt: str = "json") -> Any:
    text = docs if isinstance(docs, str) else json.dumps(docs)
    return import_rows(kit, actor=actor, rows=kit.read(text, fmt), fmt=fmt)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_import_is_idempotent_and_an_export_reimports_unchanged(secretariat, kit_and_rows, fmt):
    kit, rows, _required = kit_and_rows
    assert _run(kit, secretariat, rows).created == 2
    again = _run(kit, secretariat, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    exported = export_file(kit, kit.model._default_manager.all(), fmt)
    assert _run(kit, secretariat, exported, fmt).unchanged == 2
    changed = [{**rows[0], "title": "A new title"}, rows[1]]
    assert _run(kit, secretariat, changed).updated == 1


def test_a_bad_row_names_row_and_column_and_nothing_is_written(secretariat, kit_and_rows):
    kit, rows, required = kit_and_rows
    bad = [*rows, {**rows[0], "external_id": "kit-3", required: ""}, {**rows[1], "external_id": "kit-1"}]
    with pytest.raises(ImportFailed) as failed:
        _run(kit, secretariat, bad)
    assert {(e.row, e.column) for e in failed.value.errors} == {(3, required), (4, "external_id")}
    assert not kit.model._default_manager.exists()


def test_only_the_secretariat_imports(kazan_coordinator, kit_and_rows):
    kit, rows, _required = kit_and_rows
    with pytest.raises(PermissionDenied):
        _run(kit, kazan_coordinator, rows)
    assert not kit.model._default_manager.exists()


def test_demo_loader_and_commands(kit_and_rows, tmp_path, capsys):
    kit, rows, _required = kit_and_rows
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    out = io.StringIO()
    assert load_demo(kit, path, out) == [] and "skipped" in out.getvalue()  # no demo secretariat yet
    UserFactory(email=SECRETARIAT_EMAIL, is_secretariat=True)
    load_demo(kit, path, out)
    assert kit.model._default_manager.count() == 2
    call_command(f"import-{kit.label}", str(path))
    assert f"2 {kit.label}: 0 created, 0 updated, 2 unchanged." in capsys.readouterr().out
    exported = tmp_path / "out.json"
    call_command(f"export-{kit.label}", output=str(exported))
    assert {d["external_id"] for d in json.loads(exported.read_text(encoding="utf-8"))} == {"kit-1", "kit-2"}
