"""Challenges: what a city needs, in its own words and language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped


class Challenge(TimeStamped):
    SEARCHABLE_FIELDS = ("title", "description", "desired_outcome")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        SOLVED = "solved", _("Solved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, help_text=_("Stable id used by imports and exports.")
    )
    city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, related_name="challenges", verbose_name=_("city")
    )
    language = models.ForeignKey(
        "registry.Language", on_delete=models.PROTECT, related_name="+", verbose_name=_("original language")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    desired_outcome = models.TextField(_("desired outcome"), blank=True)
    sectors = models.ManyToManyField("registry.Sector", related_name="challenges", verbose_name=_("sectors"))
    budget = models.TextField(_("budget"), blank=True)
    timeframe = models.TextField(_("timeframe"), blank=True)
    conditions = models.TextField(_("city conditions"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Visible to everyone, not only to member cities.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        # updated_at: the insights data version reads MAX(updated_at) (an index lookup, not a scan).
        indexes = [models.Index(fields=["city", "status"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return self.title

    def searchable_text(self) -> tuple[str, str]:
        """(language code, the challenge's text): what search and matching index."""
        return self.language_id, "\n\n".join(str(getattr(self, f)) for f in self.SEARCHABLE_FIELDS if getattr(self, f))
