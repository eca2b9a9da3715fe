"""`{% recorded_under obj "vote.result" as entry %}`: the audit row a decision is recorded under, so that its page
can show the row's hash (the link in the audit log's hash chain that `cityexchange audit verify` checks)."""

from __future__ import annotations

from django import template
from django.db import models

from cityexchange.core.models import AuditEntry

register = template.Library()


@register.simple_tag
def recorded_under(target: models.Model | None, actions: str) -> AuditEntry | None:
    """The latest audit row on `target` whose action is one of `actions` (comma-separated; a name ending in "." is
    a prefix, e.g. "membership.")."""
    if target is None or target.pk is None:
        return None
    names = [a.strip() for a in actions.split(",") if a.strip()]
    query = models.Q()
    for name in names:
        query |= models.Q(action__startswith=name) if name.endswith(".") else models.Q(action=name)
    return (
        AuditEntry.objects.filter(query, target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("-id")
        .first()
    )
