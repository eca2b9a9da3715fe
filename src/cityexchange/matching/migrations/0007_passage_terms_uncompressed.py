from collections.abc import Callable
from typing import Any

from django.db import migrations


def _storage(mode: str) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":  # the passage table exists there only
            schema_editor.execute(f"ALTER TABLE matching_passage ALTER COLUMN terms SET STORAGE {mode}")

    return run


class Migration(migrations.Migration):
    """A search reads every candidate passage's tokens (up to ~1,200 tsvectors). Compressed, a large one (Thai and
    Chinese passages: 5–10 kB) is decompressed on each read, most of a search's time on those languages; stored
    uncompressed (EXTERNAL) the p95 of a search at 100,000 practices fell from 40 to 33 ms for ~15 % more disk
    (benchmarks/summary_notes.md). Rows written before this keep their compression until their practice is
    indexed again (docs/operations.md says how to convert them at once)."""

    dependencies = [
        ("matching", "0006_passage_facet_indexes"),
    ]

    operations = [migrations.RunPython(_storage("EXTERNAL"), _storage("EXTENDED"))]
