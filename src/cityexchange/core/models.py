from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One state change: who did what to which object, with the fields before and after."""

    # A default, not auto_now_add: the time is part of the row's hash, so it is set before the hash is computed.
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # PROTECT, not SET_NULL: emptying `actor` would change rows of the hash chain after the fact. Accounts that
    # acted are deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("object type"), max_length=80)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # The hash chain (core.audit_chain): the row's position in the chain, the previous row's hash, and this row's
    # over its content and that link. All three are set after the writer's COMMIT by the sealer (core.audit_seal);
    # until then `seq` is empty and the hashes blank. Unique: no row takes two positions, no position two rows.
    seq = models.BigIntegerField(_("position in the chain"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The sealer's queue: only the few rows not yet in the chain, so finding them costs nothing.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="core_audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class AuditChainHead(models.Model):
    """One row: the lock that serialises sealing rows into the audit chain, and the last sealed row's position, id
    and hash (so that rows removed from the end are noticed). `appends` counts the rows ever sealed."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True, default="")
    last_seq = models.BigIntegerField(default=0)
    appends = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.last_id} {self.last_hash[:12]}"


class WorkerHeartbeat(models.Model):
    """A background-task worker that is alive: it rewrites `beat_at` every few seconds while it runs. A RUNNING task
    whose worker has not beaten within the lease (`TASK_LEASE_SECONDS`) belongs to a dead worker and is queued
    again (cityexchange.core.worker)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} {self.host}:{self.pid}"
