"""The cost band becomes a facet of the PostgreSQL search index, as it is of the in-process one, so the library,
the search page and the API filter on it alike. Existing passages take their practice's band here; no
embedding is recomputed."""

from typing import Any

from django.db import migrations, models


def backfill(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # the passage table exists on PostgreSQL only
    schema_editor.execute(
        "UPDATE matching_passage AS p SET cost_band = pr.cost_band "
        "FROM practices_practice AS pr WHERE pr.id = p.practice_id"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_search_index_postgresql"),
        ("practices", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="passage",
            name="cost_band",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
