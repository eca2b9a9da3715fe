"""Sealing: committed audit rows are given their place in the hash chain (core.audit_chain) after the transaction
that wrote them commits.

`audit()` inserts its row with no position and no hash and takes no lock, so a writer's transaction never waits for
the chain and nobody waits for the writer's. The sealer runs from `transaction.on_commit` of that transaction, from
the background worker's periodic chores (rows whose process died between its COMMIT and the sealing) and from
`cityexchange audit verify`. It takes the chain's lock in a short transaction of its own, holding nothing else, so
it never takes part in a deadlock: it reads the head, then the committed rows not yet sealed in id order, links
each to the one before, and moves the head. Rows of a transaction that has not committed are invisible to it, and
those of one that rolled back never exist, so they are never chained.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from .audit_chain import GENESIS, GRACE, hash_of

logger = logging.getLogger("cityexchange.audit")

BATCH = 500  # rows sealed per transaction: the lock is held for milliseconds even after a long outage


@dataclass(frozen=True)
class Sealed:
    rows: int = 0
    oldest_at: dt.datetime | None = None  # when the oldest row sealed was written


def lock_head(using: str = "default") -> Any:
    """Take the chain's lock for the rest of the transaction and return the head row (created when missing, e.g. in
    an emptied test database). Must run inside a transaction."""
    from .models import AuditChainHead, AuditEntry

    heads = AuditChainHead.objects.using(using)
    if not connections[using].features.has_select_for_update:
        # SQLite: an UPDATE takes the database's write lock (a transaction begun IMMEDIATE, as configured, holds
        # it already); reading first and writing later could fail to upgrade the lock under another writer.
        heads.filter(pk=1).update(appends=F("appends"))
    head = heads.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEntry.objects.using(using).filter(seq__isnull=False).order_by("-seq").first()
        heads.get_or_create(
            pk=1,
            defaults={
                "last_id": last.pk if last else None,
                "last_hash": last.hash if last else GENESIS,
                "last_seq": (last.seq or 0) if last else 0,
            },
        )
        head = heads.select_for_update().get(pk=1)
    return head


def _seal_batch(using: str) -> Sealed:
    from .models import AuditChainHead, AuditEntry

    with transaction.atomic(using=using):
        head = lock_head(using)
        # Read under the lock: rows committed up to now. No other sealer can hold them, so no row lock is needed.
        rows = list(AuditEntry.objects.using(using).filter(seq__isnull=True).order_by("id")[:BATCH])
        if not rows:
            return Sealed()
        prev, seq = head.last_hash, head.last_seq
        for row in rows:
            seq += 1
            # The hash is computed over the row as read back from the database: exactly what verify reads.
            row.seq, row.prev_hash = seq, prev
            row.hash = prev = hash_of(row)
        AuditEntry.objects.using(using).bulk_update(rows, ["seq", "prev_hash", "hash"])
        AuditChainHead.objects.using(using).filter(pk=1).update(
            last_id=rows[-1].pk, last_hash=prev, last_seq=seq, appends=F("appends") + len(rows)
        )
    return Sealed(len(rows), min(row.at for row in rows))


def seal(using: str = "default") -> Sealed:
    """Seal every committed row not yet in the chain; how many, and when the oldest of them was written. Call it
    outside a transaction: inside one, the chain's lock would be held to its end."""
    from .models import AuditEntry

    total, oldest = 0, None
    # A look without the lock first: most calls find their rows already sealed by another sealer.
    while AuditEntry.objects.using(using).filter(seq__isnull=True).exists():
        batch = _seal_batch(using)
        if batch.oldest_at is not None:
            oldest = batch.oldest_at if oldest is None else min(oldest, batch.oldest_at)
        total += batch.rows
        if batch.rows < BATCH:
            break
    return Sealed(total, oldest)


def seal_after_commit(entry_id: int, using: str) -> None:
    """`transaction.on_commit` hook of the transaction that wrote `entry_id`: seal it (and whatever else has
    committed), unless a sealer running for another writer already did."""
    from .models import AuditEntry

    if AuditEntry.objects.using(using).filter(pk=entry_id, seq__isnull=True).exists():
        seal(using)


def seal_leftovers(using: str = "default") -> Sealed:
    """Seal rows whose writer died between COMMIT and sealing (a periodic chore of the worker). It may also meet
    rows whose own sealer is about to run; rows older than the grace mean a process died or a sealer failed."""
    sealed = seal(using)
    if sealed.oldest_at is not None:
        late = sealed.oldest_at < timezone.now() - GRACE
        logger.log(
            logging.WARNING if late else logging.INFO,
            "sealed %d audit rows left unsealed (the oldest written at %s)",
            sealed.rows,
            sealed.oldest_at,
        )
    return sealed
