"""The audit log as a hash chain: every row carries the hash of the row before it and its own hash over its content
and that link. Changing, deleting or inserting a row behind the application's back breaks the chain from that row
on, and `cityexchange audit verify` names the first row where it breaks.

Rows are chained *after* the transaction that wrote them commits (sealing, core.audit_seal): `audit()` only
inserts the row; a sealer then gives the committed rows not yet chained their position (`seq`), link and hash, in
a short transaction of its own under the one lock row (`AuditChainHead`). Chaining inside the writer's transaction
held that lock to the writer's COMMIT, so every write of the platform queued behind it, and a writer that locked a
row after auditing deadlocked with one that held that row and was auditing. The chain runs in `seq` order (the
order rows were sealed, which need not be id order); a rolled-back row is never seen, so never sealed. The head
also keeps the position, id and hash of the last sealed row, so that removing rows at the end is noticed too.

What this proves and what not: someone who edits the database can also recompute every hash after the row they
changed. The chain makes tampering *detectable against a copy of the head kept elsewhere* (the hash shown on a
result page, printed in minutes, in a backup's manifest, or noted by `audit verify` in an operator's log); it does
not make the database itself trustworthy. Nor does it tell a row inserted behind the application's back without a
position from one that committed and is waiting to be sealed: both are sealed at the end of the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

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
    rows: int  # sealed rows
    head_id: int | None
    head_hash: str
    broken: Break | None
    unsealed: int = 0  # committed rows waiting to be sealed

    @property
    def ok(self) -> bool:
        return self.broken is None


COLUMNS = "id, at, actor_id, action, target_type, target_id, target_repr, before, after, prev_hash, hash"
# The sealed rows, in chain order. Databases from before sealing (no `seq` column: an old backup restored) were
# chained in id order.
ROWS_SQL = f"SELECT {COLUMNS} FROM core_auditentry WHERE seq IS NOT NULL ORDER BY seq"  # noqa: S608 (constant)
LEGACY_ROWS_SQL = f"SELECT {COLUMNS} FROM core_auditentry ORDER BY id"  # noqa: S608 (constant text)
HEAD_SQL = "SELECT last_id, last_hash FROM core_auditchainhead WHERE id = 1"
# A committed row is sealed within moments (after its COMMIT, or by the next worker or `audit verify`); one still
# unsealed after this long was left by a sealer that failed, and verification reports it.
GRACE = dt.timedelta(minutes=5)


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
    """Walk the chain over raw rows (the columns of COLUMNS, in chain order); stop at the first row whose link or
    content does not match. Works on any copy of the database: the live one, a backup, a restored one.

    The walk must pass through the head (read before the rows): on a live database, rows sealed after the head was
    read follow it, and are no fault; the head's row missing from the walk means rows were cut from the end."""
    prev, prev_id, count = GENESIS, None, 0
    passed_head = head is None or (head[0], head[1]) == (None, GENESIS)
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
        passed_head = passed_head or (head is not None and (pk, own) == (head[0], head[1]))
    if head is not None and not passed_head:
        # Rows were removed from the end (or the head was edited): the chain itself is intact up to `prev_id`.
        return Verdict(count, prev_id, prev, Break(head[0], "missing"))
    return Verdict(count, prev_id, prev, None)


def _has_positions(cursor: Any, vendor: str) -> bool:
    """Whether the schema has rows' positions (`seq`): not on a copy of an older version, restored before `migrate`.
    `cursor` may be a Django, sqlite3 or psycopg cursor (backups read copies outside Django)."""
    if vendor == "sqlite":
        cursor.execute("PRAGMA table_info(core_auditentry)")
        return any(row[1] == "seq" for row in cursor.fetchall())
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'core_auditentry' AND column_name = 'seq'"
    )
    return cursor.fetchone() is not None


def rows_sql(cursor: Any, vendor: str) -> str:
    """The query of the chain's rows for this database: by position, or by id where the schema predates sealing."""
    return ROWS_SQL if _has_positions(cursor, vendor) else LEGACY_ROWS_SQL


def has_positions(using: str = "default") -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return _has_positions(cursor, connection.vendor)


def verify(using: str = "default", *, grace: dt.timedelta = GRACE) -> Verdict:
    """Check the chain of the database behind a Django connection: the sealed rows, then that no committed row has
    waited longer than `grace` to be sealed. Reads only (so it also runs on a replica or a restored copy)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(HEAD_SQL)
        head = cursor.fetchone()
        sql = rows_sql(cursor, connection.vendor)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        verdict = verify_rows(_fetch(cursor), head)
    if sql == LEGACY_ROWS_SQL:
        return verdict  # not migrated yet: every row was chained as it was written
    unsealed = _unsealed(using)
    verdict = replace(verdict, unsealed=unsealed.count())
    if verdict.broken is None:
        stale = unsealed.filter(at__lt=timezone.now() - grace).order_by("id").values_list("id", flat=True).first()
        if stale is not None:
            verdict = replace(verdict, broken=Break(stale, "unsealed"))
    return verdict


def _unsealed(using: str) -> QuerySet[Any]:
    from .models import AuditEntry

    return AuditEntry.objects.using(using).filter(seq__isnull=True)


def unsealed_count(using: str = "default") -> int:
    """Rows committed and not yet sealed into the chain."""
    return _unsealed(using).count()


def _fetch(cursor: Any) -> Iterator[Sequence[Any]]:
    while batch := cursor.fetchmany(2000):
        yield from batch


def head(using: str = "default") -> tuple[int | None, str]:
    """Id and hash of the last row, as the lock row records them (for manifests)."""
    from .models import AuditChainHead

    row = AuditChainHead.objects.using(using).filter(pk=1).first()
    return (row.last_id, row.last_hash) if row is not None else (None, GENESIS)
