from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from cityexchange.core.errors import PermissionDenied
from cityexchange.practices.importer import export_practices, parse_file, practices_import
from cityexchange.practices.models import Practice, PracticeVersion
from cityexchange.practices.selectors import published_practices
from cityexchange.practices.tabular import ImportFailed
from tests.practices.factories import import_row

pytestmark = pytest.mark.django_db


def run(actor, text, fmt="json"):
    return practices_import(actor=actor, rows=parse_file(text, fmt), fmt=fmt)


@pytest.fixture
def rows(kazan, sao_paulo):
    return [
        import_row("demo-kazan-001", kazan, translations={"en": {"title": "One window", "summary": "All in one."}}),
        import_row(
            "demo-sp-001",
            sao_paulo,
            language="pt",
            title="Bilhete Único",
            summary="Uma tarifa; várias viagens",
            partners=["SPTrans", "Metrô; CPTM"],
            status="draft",
            indicators=[],
            **{"transfer_conditions.max_population": 20_000_000, "contact.email": ""},
        ),
    ]


def test_good_file_then_rerun_changes_nothing(secretariat, rows, django_capture_on_commit_callbacks):
    report = run(secretariat, json.dumps(rows))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    kazan_practice = Practice.objects.get(external_id="demo-kazan-001")
    assert kazan_practice.status == "published" and kazan_practice.published_at is not None
    assert kazan_practice.translations.get().title == "One window"
    assert Practice.objects.get(external_id="demo-sp-001").partners == ["SPTrans", "Metrô; CPTM"]
    versions = PracticeVersion.objects.count()
    report = run(secretariat, json.dumps(rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert PracticeVersion.objects.count() == versions


def test_changed_row_updates_with_a_version(secretariat, rows):
    run(secretariat, json.dumps(rows))
    rows[1]["title"] = "Bilhete Único 2"
    report = run(secretariat, json.dumps(rows))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    version = Practice.objects.get(external_id="demo-sp-001").versions.order_by("-number").first()
    assert version.action == "import" and version.changes == {"title": ["Bilhete Único", "Bilhete Único 2"]}


def test_bad_rows_report_row_and_column_and_write_nothing(secretariat, rows, kazan):
    bad = [
        *rows,
        import_row("bad-1", kazan, sdgs=[11, 99], maturity="ripe", **{"transfer_conditions.climates": ["lunar"]}),
        {**import_row("demo-kazan-001", kazan), "colour": "red"},
        {**import_row("bad-3", kazan), "city_geonames_id": 123},
        import_row("bad-4", kazan, indicators=[{"name": "x", "achieved": "lots"}], translations={"ru": {"title": "t"}}),
    ]
    with pytest.raises(ImportFailed) as err:
        run(secretariat, json.dumps(bad))
    found = {(e.row, e.column) for e in err.value.errors}
    assert {
        (3, "sdgs[1]"),
        (3, "maturity"),
        (3, "transfer_conditions.climates"),
        (4, "colour"),
        (4, "external_id"),  # duplicate of row 1
        (5, "city_geonames_id"),
        (6, "indicators[0].achieved"),
        (6, "translations.ru"),
    } <= found
    assert all(e.row not in (1, 2) for e in err.value.errors)
    assert not Practice.objects.exists()


def test_csv_errors_name_spreadsheet_rows_and_columns(secretariat, rows):
    run(secretariat, json.dumps(rows))
    csv_text = export_practices(Practice.objects.all(), "csv")
    lines = csv_text.splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["external_id", "city_geonames_id", "language"]
    broken = csv_text.replace(",operational,", ",evergreen,", 1)
    with pytest.raises(ImportFailed) as err:
        run(secretariat, broken, "csv")
    assert [(e.row, e.column) for e in err.value.errors] == [(2, "maturity")]
    with pytest.raises(ImportFailed) as err:
        run(secretariat, "external_id,colour\nx,red\n", "csv")
    assert (err.value.errors[0].row, err.value.errors[0].column) == (1, "colour")
    for text, fmt in [("[{]", "json"), ('{"a": 1}', "json"), ("", "csv"), ("42", "json")]:
        with pytest.raises(ImportFailed):
            run(secretariat, text, fmt)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_reproduces_the_practices(secretariat, rows, fmt):
    for row in rows:
        row["status"] = "published"
    run(secretariat, json.dumps(rows))
    first = export_practices(published_practices(), fmt)
    # Into the same database: nothing changes.
    report = run(secretariat, first, fmt)
    assert report.unchanged == 2 and report.created == report.updated == 0
    # Into an empty one: the same practices again.
    Practice.objects.all().delete()
    report = run(secretariat, first, fmt)
    assert report.created == 2
    assert export_practices(published_practices(), fmt) == first
    assert json.loads(export_practices(published_practices(), "json"))[0]["translations"] == {
        "en": {"title": "One window", "summary": "All in one."}
    }


def test_only_the_secretariat_imports(kazan_coordinator, rows):
    with pytest.raises(PermissionDenied):
        run(kazan_coordinator, json.dumps(rows))
    assert not Practice.objects.exists()


def test_cli_import_export_and_errors(secretariat, rows, kazan, tmp_path, capsys):
    good = tmp_path / "practices.json"
    good.write_text(json.dumps(rows), encoding="utf-8")
    call_command("import-practices", str(good))
    assert Practice.objects.count() == 2
    call_command("import-practices", str(good))
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    call_command("export-practices", format="csv", output=str(out))
    assert "demo-kazan-001" in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([*rows, import_row("x-1", kazan, title="")]), encoding="utf-8")
    with pytest.raises(CommandError, match="1 error"):
        call_command("import-practices", str(bad))
    assert "row 3, column title" in capsys.readouterr().err
    with pytest.raises(CommandError, match="No such file"):
        call_command("import-practices", str(tmp_path / "missing.json"))
    call_command("import-practices", schema=True)
    assert json.loads(capsys.readouterr().out)["type"] == "array"
    call_command("import-practices", str(good), dry_run=True)
    assert "nothing was written" in capsys.readouterr().out


def test_json_schema_accepts_what_the_importer_accepts(client, secretariat, rows):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    schema = client.get("/api/v1/practices/schema").json()
    validator = jsonschema_rs.validator_for(schema)
    run(secretariat, json.dumps(rows))
    assert validator.is_valid(json.loads(export_practices(Practice.objects.all(), "json")))
    assert not validator.is_valid([{**rows[0], "maturity": "ripe"}])
