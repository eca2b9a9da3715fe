"""The audit log's one write function, called by every service that changes state."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable
from typing import Any

from django.db import models, router, transaction
from django.utils import timezone

from .audit_seal import seal_after_commit
from .models import AuditEntry


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
    """Append a row to the audit log. It is chained (given its position and hash) right after the caller's
    transaction commits (core.audit_seal): taking the chain's lock here would hold it to the caller's COMMIT, queue
    every write behind it, and deadlock a caller that locks a row after auditing with one that holds that row and
    audits. The returned row has no hash yet."""
    using = router.db_for_write(AuditEntry)
    entry = AuditEntry.objects.using(using).create(
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        # JSON-ready values (anything else as its text), which the JSON column stores as given.
        before=json.loads(json.dumps(before, default=str)) if before is not None else None,
        after=json.loads(json.dumps(after, default=str)) if after is not None else None,
    )
    entry_id = entry.pk

    def seal_it() -> None:  # a function, not a partial: Django names a failing robust hook by its __qualname__
        seal_after_commit(entry_id, using)

    # Robust: the caller's data has committed; a sealer that fails (the database gone a moment) must not turn the
    # answer into an error. The row stays unsealed until the worker or `audit verify` seals it.
    transaction.on_commit(seal_it, using=using, robust=True)
    return entry


def recorded_under(target: models.Model, action: str) -> AuditEntry | None:
    """The latest audit row of `action` on `target`: pages show its hash as the record a decision is kept under."""
    return (
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk), action=action)
        .order_by("-id")
        .first()
    )
