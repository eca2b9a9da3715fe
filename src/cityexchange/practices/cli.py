"""What the import and export commands share: reading the file, choosing the actor, printing every error."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from cityexchange.accounts.models import User
from cityexchange.core.progress import progress_bars

from .tabular import ImportFailed, SourceRow, decode, detect_format


def add_import_arguments(parser: CommandParser, what: str) -> None:
    parser.add_argument("file", nargs="?", help=f"The CSV or JSON file of {what} ('-' reads standard input).")
    parser.add_argument("--format", choices=["csv", "json"], help="Default: from the file name or its content.")
    parser.add_argument("--as", dest="as_user", default="", help="E-mail of the secretariat user to act as.")
    parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
    parser.add_argument("--schema", action="store_true", help="Print the JSON Schema of the format and exit.")


def secretariat_user(email: str) -> User:
    qs = User.objects.filter(is_active=True, is_secretariat=True)
    user = qs.filter(email__iexact=email).first() if email else qs.order_by("pk").first()
    if user is None:
        raise CommandError(
            f"No active secretariat user {email}." if email else "There is no secretariat user yet; pass --as EMAIL."
        )
    return user


def read_source(path: str, fmt: str | None) -> tuple[str, str]:
    if path == "-":
        raw = sys.stdin.buffer.read()
        name = ""
    else:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        raw, name = file.read_bytes(), file.name
    text = decode(raw)
    return text, fmt or detect_format(name, text)


def run_import(
    command: Any,
    options: dict[str, Any],
    *,
    parse: Callable[[str, str], list[SourceRow]],
    check: Callable[..., Any],
    write: Callable[..., Any],
    schema: Callable[[], dict[str, Any]],
    label: str,
) -> None:
    if options["schema"]:
        command.stdout.write(json.dumps(schema(), ensure_ascii=False, indent=2))
        return
    if not options["file"]:
        raise CommandError("Give the file to import (or --schema).")
    actor = secretariat_user(options["as_user"])
    try:
        text, fmt = read_source(options["file"], options["format"])
        rows = parse(text, fmt)
        with progress_bars() as bars:
            if options["dry_run"]:
                plans = check(rows, fmt, bars(f"checking {label}", len(rows)))
                command.stdout.write(f"{len(plans)} {label} are valid; nothing was written (--dry-run).")
                return
            report = write(actor=actor, rows=rows, fmt=fmt, progress=bars(f"importing {label}", 2 * len(rows)))
    except ImportFailed as exc:
        for error in exc.errors:
            command.stderr.write(str(error))
        raise CommandError(exc.message) from exc
    command.stdout.write(
        command.style.SUCCESS(
            f"{report.total} {label}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
        )
    )


def add_export_arguments(parser: CommandParser) -> None:
    parser.add_argument("--format", choices=["csv", "json"], default="json")
    parser.add_argument("-o", "--output", default="-", help="File to write ('-', the default, is standard output).")


def write_output(command: Any, body: str, output: str) -> None:
    if output == "-":
        command.stdout.write(body, ending="")
    else:
        Path(output).write_text(body, encoding="utf-8")
        command.stderr.write(f"Written to {output}.")
