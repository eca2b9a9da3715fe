"""The range of the database's integer columns. Every id or number that reaches a query must fit in it: SQLite
refuses a larger Python int with OverflowError and PostgreSQL with "bigint out of range", both 500s."""

from __future__ import annotations

MAX_ID = 2**63 - 1
MIN_INT = -(2**63)


def id_in_range(value: object) -> bool:
    """True when `value` is an int a primary key could have (1 … 2^63-1)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def safe_id(value: object) -> int:
    """`value` when it could be a primary key, else 0 (which matches no row): for lookups that answer 404."""
    if isinstance(value, str):
        value = int(value) if value.isdigit() and len(value) < 20 else 0
    return value if id_in_range(value) else 0  # type: ignore[return-value]
