from __future__ import annotations

import io
import json

import pytest

from cityexchange.practices import demo
from cityexchange.practices.models import Practice
from cityexchange.registry.demo import SECRETARIAT_EMAIL
from tests.practices.factories import import_row
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_missing_file_is_skipped(reference, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DATA", tmp_path / "nope.json")
    out = io.StringIO()
    assert demo.load(out) == []
    assert "skipped" in out.getvalue()


def test_demo_file_is_imported_idempotently(kazan, tmp_path, monkeypatch):
    UserFactory(email=SECRETARIAT_EMAIL, is_secretariat=True)
    path = tmp_path / "demo.json"
    path.write_text(json.dumps([import_row("demo-kazan-001", kazan)]), encoding="utf-8")
    monkeypatch.setattr(demo, "DATA", path)
    assert demo.load(io.StringIO()) == []
    out = io.StringIO()
    demo.load(out)
    assert Practice.objects.count() == 1 and "1 unchanged" in out.getvalue()


def test_shipped_demo_file_is_valid_if_present(reference):
    if not demo.DATA.exists():
        pytest.skip("The demo practices are not written yet.")
    from cityexchange.practices.importer import parse_file

    rows = parse_file(demo.DATA.read_text(encoding="utf-8"), "json")
    assert len(rows) >= 120
    assert len({r.data["language"] for r in rows}) >= 8
