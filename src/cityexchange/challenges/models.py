"""Challenges: what a city needs, in its own words and language."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet
from cityexchange.registry.models import ApprovedTranslation


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

    # Who may see or change what: challenges.permissions.ChallengePolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

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

    def source_digest(self) -> str:
        """A fingerprint of the text a translation renders: one approved against another is out of date."""
        parts = [str(getattr(self, f) or "") for f in self.SEARCHABLE_FIELDS]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class ChallengeTranslation(ApprovedTranslation):
    """A challenge in another language, approved on the translation desk by the challenge's city (or the
    secretariat); shown as a translation, with the city that translated it and the fingerprint of the original it
    was made from (see `is_out_of_date`)."""

    original_field = "challenge"

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    desired_outcome = models.TextField(_("desired outcome"), blank=True)

    class Meta(ApprovedTranslation.Meta):
        verbose_name = _("challenge translation")
        verbose_name_plural = _("challenge translations")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "language"], name="one_challenge_translation_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language_id}]"
