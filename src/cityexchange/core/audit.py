"""The audit log's one write function, called by every service that changes state."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable
from typing import Any

from django.db import models, router, transaction
from django.utils import timezone

from .audit_chain import hash_of, lock_head
from .models import AuditChainHead, AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as JSON-ready values (foreign keys as ids), for before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def audit(
    actor: Any,
    action: str,
    target: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append a row to the audit log, chained to the one before it (core.audit_chain)."""
    using = router.db_for_write(AuditEntry)
    with transaction.atomic(using=using):
        head = lock_head(using)
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:300],
            # Stored as read back: JSON-ready values, so the hash computed now is the one verify computes later.
            before=json.loads(json.dumps(before, default=str)) if before is not None else None,
            after=json.loads(json.dumps(after, default=str)) if after is not None else None,
            prev_hash=head.last_hash,
        )
        entry.hash = hash_of(entry)
        entry.save(using=using)
        AuditChainHead.objects.using(using).filter(pk=1).update(last_id=entry.pk, last_hash=entry.hash)
    return entry


def recorded_under(target: models.Model, action: str) -> AuditEntry | None:
    """The latest audit row of `action` on `target`: pages show its hash as the record a decision is kept under."""
    return (
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk), action=action)
        .order_by("-id")
        .first()
    )
