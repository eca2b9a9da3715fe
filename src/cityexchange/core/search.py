"""Index-friendly prefix filters on folded keys."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

# The highest code point: every string that starts with `key` sorts between key and key + this.
_MAX = "\U0010ffff"


def prefix_q(field: str, key: str) -> Q:
    """`field` starts with `key`, in a form each database answers from its index.

    SQLite's LIKE is case-insensitive and so cannot use a plain index; a range on the BINARY-collated column
    can. PostgreSQL answers LIKE 'key%' from the varchar_pattern_ops index Django creates for indexed fields.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": key, f"{field}__lt": key + _MAX})
    return Q(**{f"{field}__startswith": key})
