"""What the matching engine keeps in the database: each indexed document's passage vectors (so a restart or a
new app server does not run the model again), alerts and their hits, and users' feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped


class IndexedDocument(models.Model):
    """One searchable document's raw (uncentred) passage vectors, the durable record both index back ends are
    built from: a restart, a new app server or a re-centring never runs the model again. `active` is False once
    the document left publication. Keys: "practice:12" (its passages), "challenge:7" (its query vector)."""

    key = models.CharField(max_length=40, unique=True)  # "practice:12"
    fingerprint = models.CharField(max_length=40)
    lang = models.CharField(max_length=10)
    vectors = models.BinaryField()
    active = models.BooleanField(default=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class IndexChange(models.Model):
    """The commit-ordered change log of the in-process index (the embedded SQLite default): one row per
    indexed-document change, written in the same transaction. SQLite has one writer at a time and never reuses
    an AUTOINCREMENT id, so ids follow commit order: a process that has read up to id N has seen every change
    committed before N+1 — unlike a timestamp, which is the writer's clock at save time."""

    id = models.BigAutoField(primary_key=True)
    key = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.pk}: {self.key}"


class Alert(TimeStamped):
    """A city's standing search: a challenge of its own, or a saved query with filters."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    city = models.ForeignKey("registry.City", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("city"))
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    query = models.CharField(_("search"), max_length=300, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.query or str(self.challenge)


class AlertHit(models.Model):
    """A practice an alert has fired for: unique, so each alert fires once per practice."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="hits")
    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "practice"], name="alert_fires_once_per_practice")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.practice_id}"


class Feedback(TimeStamped):
    """Was a recommendation or search hit useful? Reported in the benchmark."""

    class Source(models.TextChoices):
        SEARCH = "search", _("Search")
        CHALLENGE = "challenge", _("Recommendations for a challenge")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    query = models.CharField(_("search"), max_length=300, blank=True)
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    useful = models.BooleanField(_("useful"))

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source", "query", "challenge", "practice"], name="one_feedback_per_hit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_id}: {'useful' if self.useful else 'not useful'}"
