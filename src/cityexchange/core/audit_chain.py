"""The audit log as a hash chain: every row carries the hash of the row before it and its own hash over its content
and that link. Changing, deleting or inserting a row behind the application's back breaks the chain from that row
on, and `cityexchange audit verify` names the first row where it breaks.

The chain is per database, in id order. Appends are serialised by one lock row (`AuditChainHead`): the append first
*updates* that row, which takes its row lock on PostgreSQL (held to the end of the transaction, like SELECT … FOR
UPDATE) and the write lock on SQLite (whose transactions already begin IMMEDIATE here), so no two transactions can
link to the same previous row. The head also keeps the id and hash of the last row, so that removing rows at the
end is noticed too.

What this proves and what not: someone who edits the database can also recompute every hash after the row they
changed. The chain makes tampering *detectable against a copy of the head kept elsewhere* (the hash shown on a
result page, printed in minutes, in a backup's manifest, or noted by `audit verify` in an operator's log); it does
not make the database itself trustworthy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import F

GENESIS = ""  # the "previous hash" of the first row
HASH_VERSION = "1"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    *,
    prev_hash: str,
    at: dt.datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    before: Any,
    after: Any,
) -> str:
    """SHA-256 over the row's content and the previous row's hash. Times in UTC, JSON with sorted keys: the same
    row hashes the same on SQLite and PostgreSQL (jsonb reorders keys)."""
    content = {
        "v": HASH_VERSION,
        "prev": prev_hash,
        "at": at.astimezone(dt.UTC).isoformat(),
        "actor": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "before": before,
        "after": after,
    }
    return hashlib.sha256(_canonical(content).encode()).hexdigest()


def hash_of(entry: Any) -> str:
    """The hash an AuditEntry (or a historical model's row) should carry."""
    return entry_hash(
        prev_hash=entry.prev_hash,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        target_repr=entry.target_repr,
        before=entry.before,
        after=entry.after,
    )


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and why."""

    entry_id: int | None
    reason: str


@dataclass(frozen=True)
class Verdict:
    rows: int
    head_id: int | None
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


COLUMNS = "id, at, actor_id, action, target_type, target_id, target_repr, before, after, prev_hash, hash"
ROWS_SQL = f"SELECT {COLUMNS} FROM core_auditentry ORDER BY id"  # noqa: S608 (constant text)
HEAD_SQL = "SELECT last_id, last_hash FROM core_auditchainhead WHERE id = 1"


def _moment(value: Any) -> dt.datetime:
    """A stored time as an aware datetime: SQLite gives text in UTC, PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _json(value: Any) -> Any:
    """A stored JSON value as Python: drivers give text (SQLite, Django's PostgreSQL cursor) or parsed values."""
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode()
    return json.loads(value) if isinstance(value, str) else value


def verify_rows(rows: Iterable[Sequence[Any]], head: Sequence[Any] | None) -> Verdict:
    """Walk the chain over raw rows (the columns of COLUMNS, in id order); stop at the first row whose link or
    content does not match. Works on any copy of the database: the live one, a backup, a restored one."""
    prev, prev_id, count = GENESIS, None, 0
    for pk, at, actor_id, action, target_type, target_id, target_repr, before, after, prev_hash, own in rows:
        if prev_hash != prev:
            reason = "link" if prev_id is None or prev_hash else "unchained"
            return Verdict(count, prev_id, prev, Break(pk, reason))
        expected = entry_hash(
            prev_hash=prev_hash,
            at=_moment(at),
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            before=_json(before),
            after=_json(after),
        )
        if own != expected:
            return Verdict(count, prev_id, prev, Break(pk, "content"))
        prev, prev_id, count = own, pk, count + 1
    if head is not None and (head[0], head[1]) != (prev_id, prev):
        # Rows were removed from the end (or the head was edited): the chain itself is intact up to `prev_id`.
        return Verdict(count, prev_id, prev, Break(head[0], "missing"))
    return Verdict(count, prev_id, prev, None)


def verify(using: str = "default") -> Verdict:
    """Check the chain of the database behind a Django connection."""
    with connections[using].cursor() as cursor:
        cursor.execute(HEAD_SQL)
        head = cursor.fetchone()
    with connections[using].chunked_cursor() as cursor:
        cursor.execute(ROWS_SQL)
        return verify_rows(_fetch(cursor), head)


def _fetch(cursor: Any) -> Iterator[Sequence[Any]]:
    while batch := cursor.fetchmany(2000):
        yield from batch


def head(using: str = "default") -> tuple[int | None, str]:
    """Id and hash of the last row, as the lock row records them (for manifests)."""
    from .models import AuditChainHead

    row = AuditChainHead.objects.using(using).filter(pk=1).first()
    return (row.last_id, row.last_hash) if row is not None else (None, GENESIS)


def lock_head(using: str = "default") -> Any:
    """Take the chain's lock for the rest of the transaction and return the head row (created when missing, e.g. in
    an emptied test database). Must run inside a transaction."""
    from .models import AuditChainHead, AuditEntry

    heads = AuditChainHead.objects.using(using)
    connection = connections[using]
    if connection.vendor == "postgresql":
        # Foreign keys are checked at COMMIT (Django declares them DEFERRABLE INITIALLY DEFERRED). Checked there,
        # a row the transaction inserted before auditing would have it wait for another writer's lock on the
        # referenced row while holding the chain's lock, which that writer may be waiting for: a deadlock (seen
        # under 50 concurrent writers). Checking what is pending now, before the chain's lock, keeps every wait
        # outside it; later rows are checked at COMMIT as before.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # An UPDATE, not a SELECT: it takes the row lock on PostgreSQL and the write lock on SQLite.
    if heads.filter(pk=1).update(appends=F("appends") + 1) == 0:
        last = AuditEntry.objects.using(using).order_by("-id").first()
        heads.get_or_create(
            pk=1, defaults={"last_id": last.pk if last else None, "last_hash": last.hash if last else GENESIS}
        )
        heads.filter(pk=1).update(appends=F("appends") + 1)
    return heads.get(pk=1)
