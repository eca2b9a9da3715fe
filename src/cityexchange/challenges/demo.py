"""Demo challenges for `cityexchange init --demo`: `data/demo_challenges.json`, imported through the challenges'
content kit like any file, as the demo secretariat. Idempotent by external id; skipped while the file does not
exist."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from cityexchange.core.content_kit import load_demo

from .importer import CHALLENGES

DATA = Path(__file__).parent / "data" / "demo_challenges.json"


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    return load_demo(CHALLENGES, DATA, stdout)
