"""The one CSV writer of every export (practices, challenges, open data, insights figures).

A cell that starts with =, +, -, @, a tab or a carriage return is read as a formula by spreadsheet programs
(`=HYPERLINK("http://evil", "Click")` in a practice title would become a live link, or worse). Such cells are
written with a leading apostrophe, which spreadsheets show as text; plain numbers ("-3.5") are left alone. The
importers read the apostrophe back off (`restore_cell`), so an export imports again unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """`value`, with an apostrophe in front when a spreadsheet would otherwise run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The text `safe_cell` was given (an importer reading an export back)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START) and not NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


class SafeWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any]], **options: Any) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, **options)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
