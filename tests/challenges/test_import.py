from __future__ import annotations

import io
import json

import pytest

from cityexchange.challenges import demo
from cityexchange.challenges.importer import challenges_import, export_challenges, parse_file
from cityexchange.challenges.models import Challenge
from cityexchange.practices.tabular import ImportFailed
from cityexchange.registry.demo import SECRETARIAT_EMAIL
from tests.challenges.factories import challenge_doc
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(actor, text, fmt="json"):
    return challenges_import(actor=actor, rows=parse_file(text, fmt), fmt=fmt)


@pytest.fixture
def rows(sao_paulo, kazan):
    return [
        {**challenge_doc(), "external_id": "ch-sp-1", "city_geonames_id": sao_paulo.geonames_id, "status": "open"},
        {
            **challenge_doc(language="ru", title="Снег", is_public=True),
            "external_id": "ch-kzn-1",
            "city_geonames_id": kazan.geonames_id,
            "status": "in_progress",
        },
    ]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_import_rerun_and_round_trip(secretariat, rows, fmt):
    assert run(secretariat, json.dumps(rows)).created == 2
    assert run(secretariat, json.dumps(rows)).unchanged == 2
    exported = export_challenges(Challenge.objects.all(), fmt)
    assert run(secretariat, exported, fmt).unchanged == 2
    Challenge.objects.all().delete()
    assert run(secretariat, exported, fmt).created == 2
    assert export_challenges(Challenge.objects.all(), fmt) == exported
    assert Challenge.objects.get(external_id="ch-kzn-1").status == "in_progress"


def test_bad_rows_write_nothing(secretariat, rows):
    rows.append({**rows[0], "external_id": "ch-bad", "status": "lost", "is_public": "maybe", "extra": 1})
    with pytest.raises(ImportFailed) as err:
        run(secretariat, json.dumps(rows))
    assert {(e.row, e.column) for e in err.value.errors} == {(3, "status"), (3, "is_public"), (3, "extra")}
    assert not Challenge.objects.exists()


def test_demo_loader(sao_paulo, kazan, rows, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DATA", tmp_path / "none.json")
    assert demo.load(io.StringIO()) == []
    UserFactory(email=SECRETARIAT_EMAIL, is_secretariat=True)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    monkeypatch.setattr(demo, "DATA", path)
    demo.load(io.StringIO())
    out = io.StringIO()
    demo.load(out)
    assert Challenge.objects.count() == 2 and "2 unchanged" in out.getvalue()
