"""Exports neutralise spreadsheet formulas in every CSV, and the Atom feed marks summaries as plain text."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cityexchange.core.csv_export import csv_text, restore_cell, safe_cell
from cityexchange.practices.models import Practice
from tests.practices.factories import PracticeFactory

FORMULA = '=HYPERLINK("http://evil.example","Click")'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("text", [FORMULA, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_are_written_as_text_and_read_back(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert restore_cell(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["-3.5", "+4", "1e-3", 12, -7.25, "Kazan", "", None])
def test_numbers_and_plain_text_are_left_alone(value: Any) -> None:
    assert safe_cell(value) == value


def test_csv_text_neutralises_every_cell() -> None:
    rows = list(csv.reader(io.StringIO(csv_text(["=title"], [[FORMULA]]))))
    assert rows == [["'=title"], ["'" + FORMULA]]


@pytest.fixture
def formula_practice(kazan: Any) -> Practice:
    return PracticeFactory(
        city=kazan, title=FORMULA, summary='<img src=x onerror="alert(1)">', status=Practice.Status.PUBLISHED,
        published_at=timezone.now(),
    )  # fmt: skip


def _cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/practices/export?format=csv",
        "/en/practices/export/?format=csv",
        "/api/v1/cooperation/open-data/practices.csv",
    ],
)
def test_practice_csv_exports_do_not_start_a_cell_with_a_formula(
    client: Client, formula_practice: Practice, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    cells = _cells(response.content)
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@")) or (c.startswith("-") and not c[1:2].isdigit())]


@pytest.mark.django_db
def test_practice_export_imports_back_unchanged(formula_practice: Practice) -> None:
    from cityexchange.practices.importer import export_practices, parse_file

    body = export_practices(Practice.objects.filter(pk=formula_practice.pk), "csv", with_contacts=True)
    rows = parse_file(body, "csv")
    assert rows[0].data["title"] == FORMULA


@pytest.mark.django_db
def test_atom_summaries_are_text(client: Client, formula_practice: Practice) -> None:
    response = client.get("/api/v1/cooperation/open-data/feed.atom")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    summaries = feed.findall(f"{ATOM}entry/{ATOM}summary")
    assert summaries
    assert {s.get("type") for s in summaries} == {"text"}
    assert any(s.text == '<img src=x onerror="alert(1)">' for s in summaries)
