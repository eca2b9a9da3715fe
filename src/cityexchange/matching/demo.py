"""`init --demo` builds the search index of the demo practices (the vectors are stored, so it is done once)."""

from __future__ import annotations

from typing import TextIO

from . import challenge_matches, store


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    searchable, _removed = store.reindex_all()
    store.reset()
    stdout.write(f"Search index: {searchable} practices searchable.")
    matches = challenge_matches.rematch_all()
    stdout.write(f"Challenges: {matches} strong matches stored.")
    return []
