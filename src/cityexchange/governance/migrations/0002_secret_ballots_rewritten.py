"""Secret ballots written before this release sit in the order they were cast (SQLite rowid, PostgreSQL physical
order), next to an audit log that says which city voted when. Each vote's anonymous ballots are written again in a
random order under new random keys, as every cast and change now does.

Their codes were hashed without the city (`sha256(vote:code)`); nothing stored says which city a hash belongs to,
so they cannot be bound now. They no longer match: those ballots still count but can no longer be changed (the
holder of such a code gets the same refusal as for any wrong code). docs/governance.md says so.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import migrations


def rewrite(apps: Any, schema_editor: Any) -> None:
    SecretBallot = apps.get_model("governance", "SecretBallot")
    shuffle = secrets.SystemRandom().shuffle
    vote_ids = SecretBallot.objects.values_list("vote_id", flat=True).distinct()
    for vote_id in list(vote_ids):
        rows = list(SecretBallot.objects.filter(vote_id=vote_id).values_list("option_id", "token_hash"))
        shuffle(rows)
        SecretBallot.objects.filter(vote_id=vote_id).delete()
        SecretBallot.objects.bulk_create(
            [SecretBallot(id=uuid.uuid4(), vote_id=vote_id, option_id=o, token_hash=h) for o, h in rows]
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
