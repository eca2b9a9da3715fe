"""Files in and out: CSV and JSON documents, flattened and unflattened, with row and column for every error.

CSV holds the JSON format flattened: a nested object's fields become dotted columns
(`transfer_conditions.min_population`), lists are `;`-separated (or a JSON array when an item contains `;`), and
the columns named in `json_columns` hold JSON text. Rows are numbered as a spreadsheet shows them (the header is
row 1); items of a JSON array from 1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cityexchange.core.csv_export import SafeWriter, restore_cell
from cityexchange.core.errors import InvalidInput

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.column or _('file')}: {self.message}"
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class ImportFailed(InvalidInput):
    """Nothing was written; `errors` lists every problem with its row and column."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(_("The file has %(n)d error(s); nothing was imported.") % {"n": len(errors)}, field="file")
        self.errors = errors


@dataclass
class SourceRow:
    number: int
    data: Any


def detect_format(name: str, text: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    return "json" if text.lstrip().startswith(("[", "{")) else "csv"


def _unflatten(flat: dict[str, str], list_columns: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        cell: Any = value
        if key in list_columns and value.strip().startswith("["):
            try:
                cell = json.loads(value)
            except ValueError:
                cell = value  # the reader reports it, naming the column
        node = out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = cell
    return out


def read_rows(text: str, fmt: str, *, columns: list[str], list_columns: set[str]) -> list[SourceRow]:
    """Parse a whole file into rows; raises ImportFailed for a file that cannot be read at all."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ImportFailed([RowError(0, "", _("Not valid JSON: %(e)s") % {"e": exc})]) from exc
        if isinstance(data, dict):
            data = [data]
        if not isinstance(data, list):
            raise ImportFailed([RowError(0, "", _("Expected a JSON array of objects."))])
        return [SourceRow(i, item) for i, item in enumerate(data, start=1)]
    if fmt != "csv":
        raise ImportFailed([RowError(0, "", _("Unknown format “%(f)s”; use csv or json.") % {"f": fmt})])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    unknown = [c for c in header if c not in columns]
    if not header:
        raise ImportFailed([RowError(0, "", _("The CSV file has no header row."))])
    if unknown:
        raise ImportFailed(
            [RowError(1, c, _("Unknown column; expected: %(cols)s.") % {"cols": ", ".join(columns)}) for c in unknown]
        )
    rows = []
    try:
        for i, flat in enumerate(reader, start=2):
            if None in flat:
                raise ImportFailed([RowError(i, "", _("This row has more cells than the header."))])
            cells = {k: restore_cell(v or "") for k, v in flat.items() if (v or "").strip()}
            if cells:
                rows.append(SourceRow(i, _unflatten(cells, list_columns)))
    except csv.Error as exc:
        raise ImportFailed([RowError(reader.line_num, "", str(exc))]) from exc
    return rows


def decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFailed([RowError(0, "", _("The file is too large (50 MB at most)."))])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([RowError(0, "", _("The file is not UTF-8 text."))]) from exc


def _flatten(doc: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in ("translations",):
            yield from _flatten(value, f"{name}.")
        else:
            yield name, value


def _cell(name: str, value: Any, json_columns: set[str]) -> str:
    if value is None:
        return ""
    if name in json_columns:
        return json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, list):
        items = [str(v) for v in value]
        if any(";" in v or v != v.strip() for v in items):
            return json.dumps(items, ensure_ascii=False)
        return ";".join(items)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(docs: Iterable[dict[str, Any]], *, columns: list[str], json_columns: set[str]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    writer.writerow(columns)
    for doc in docs:
        flat = dict(_flatten(doc))
        writer.writerow([_cell(c, flat.get(c), json_columns) for c in columns])
    return out.getvalue()


def write_json(docs: Iterable[dict[str, Any]]) -> str:
    return json.dumps(list(docs), ensure_ascii=False, indent=2) + "\n"


def unknown_keys(raw: Any, allowed: dict[str, set[str] | None]) -> list[str]:
    """Keys of `raw` (and of its nested objects named in `allowed`) that the format does not have."""
    if not isinstance(raw, dict):
        return []
    out = [k for k in raw if k not in allowed]
    for key, sub in allowed.items():
        value = raw.get(key)
        if sub is not None and isinstance(value, dict):
            out += [f"{key}.{k}" for k in value if k not in sub]
    return out
