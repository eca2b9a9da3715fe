"""Demo challenges for `cityexchange init --demo`: `data/demo_challenges.json`, imported through the same import
as any file, as the demo secretariat. Idempotent by external id; skipped while the file does not exist."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from cityexchange.accounts.models import User
from cityexchange.practices.tabular import ImportFailed
from cityexchange.registry.demo import SECRETARIAT_EMAIL

from .importer import challenges_import, parse_file

DATA = Path(__file__).parent / "data" / "demo_challenges.json"


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    if not DATA.exists():
        stdout.write(f"Demo challenges skipped: {DATA.name} is not there yet.")
        return []
    actor = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if actor is None:
        stdout.write("Demo challenges skipped: the demo secretariat user does not exist.")
        return []
    try:
        report = challenges_import(actor=actor, rows=parse_file(DATA.read_text(encoding="utf-8"), "json"))
    except ImportFailed as exc:
        for error in exc.errors[:50]:
            stdout.write(f"  {error}")
        raise
    stdout.write(f"Demo challenges: {report.created} created, {report.updated} updated, {report.unchanged} unchanged.")
    return []
