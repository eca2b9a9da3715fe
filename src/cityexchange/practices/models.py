"""Practices: what a city did, what it achieved, and what another city needs to do the same."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet

SDG_GOALS = range(1, 18)
CLIMATES: list[tuple[str, Any]] = [
    ("tropical", _("Tropical")),
    ("arid", _("Arid")),
    ("temperate", _("Temperate")),
    ("continental", _("Continental")),
    ("polar", _("Polar")),
]


class Practice(TimeStamped):
    """A technology or way of working that delivered results, as the city that did it tells it."""

    # The text the matching engine and search read, in the practice's own language.
    SEARCHABLE_FIELDS = ("title", "summary", "problem", "solution", "results_text")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to the city")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Maturity(models.TextChoices):
        IDEA = "idea", _("Idea")
        PILOT = "pilot", _("Pilot")
        OPERATIONAL = "operational", _("Operational")
        SCALED = "scaled", _("Scaled")

    class CostBand(models.TextChoices):
        UNDER_100K = "under-100k", _("under 100,000")
        FROM_100K = "100k-1m", _("100,000 – 1 million")
        FROM_1M = "1m-10m", _("1 – 10 million")
        OVER_10M = "over-10m", _("over 10 million")

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, help_text=_("Stable id used by imports and exports.")
    )
    city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, related_name="practices", verbose_name=_("city")
    )
    language = models.ForeignKey(
        "registry.Language", on_delete=models.PROTECT, related_name="+", verbose_name=_("original language")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    problem = models.TextField(_("problem addressed"))
    solution = models.TextField(_("solution"))
    results_text = models.TextField(_("results"), blank=True)
    cost_band = models.CharField(_("cost band"), max_length=20, choices=CostBand.choices)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    cost_amount = models.PositiveBigIntegerField(_("cost"), null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(_("started (year)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("ended (year)"), null=True, blank=True)
    maturity = models.CharField(_("maturity"), max_length=20, choices=Maturity.choices, db_index=True)
    # Conditions for transfer.
    min_population = models.PositiveBigIntegerField(_("smallest city size"), null=True, blank=True)
    max_population = models.PositiveBigIntegerField(_("largest city size"), null=True, blank=True)
    climates = models.JSONField(_("climates"), default=list, blank=True)
    budget_note = models.TextField(_("budget conditions"), blank=True)
    prerequisites = models.TextField(_("legal or governance prerequisites"), blank=True)
    sectors = models.ManyToManyField("registry.Sector", related_name="practices", verbose_name=_("sectors"))
    partners = models.JSONField(_("partner organisations"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_role = models.CharField(_("contact role"), max_length=150, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    # Workflow.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    review_comment = models.TextField(_("secretariat's comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Who may see or change what: practices.permissions.PracticePolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at", "-id"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        # updated_at: the insights data version reads MAX(updated_at) (an index lookup, not a scan).
        indexes = [models.Index(fields=["city", "status"]), models.Index(fields=["updated_at"])]

    def __str__(self) -> str:
        return self.title

    def searchable_text(self) -> tuple[str, str]:
        """(language code, the practice's text): what search and matching index."""
        return self.language_id, "\n\n".join(str(getattr(self, f)) for f in self.SEARCHABLE_FIELDS if getattr(self, f))

    def source_digest(self) -> str:
        """A fingerprint of the text a translation renders (searchable fields and indicator names): a translation
        approved against another fingerprint is out of date."""
        parts = [str(getattr(self, f) or "") for f in self.SEARCHABLE_FIELDS]
        parts += [i.name for i in self.indicators.all()]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    @property
    def sdg_list(self) -> list[int]:
        return sorted(g.goal for g in self.goals.all())


class PracticeGoal(models.Model):
    """One UN Sustainable Development Goal (1–17) a practice contributes to; a row so lists can filter on it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="goals")
    goal = models.PositiveSmallIntegerField(_("SDG"), db_index=True)

    class Meta:
        ordering = ["goal"]
        constraints = [models.UniqueConstraint(fields=["practice", "goal"], name="unique_practice_goal")]

    def __str__(self) -> str:
        return f"SDG {self.goal}"


class Indicator(models.Model):
    """A measured result: where it started, what was achieved, in which unit and year."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("indicator"), max_length=200)
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    achieved = models.FloatField(_("achieved"))
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class PracticeTranslation(TimeStamped):
    """A human translation, kept apart from the original and shown as a translation. The city's own translations
    carry title and summary; one approved on the translation desk carries the whole text, the city that
    translated it and the fingerprint of the original it was made from (see `is_out_of_date`)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="translations")
    language = models.ForeignKey("registry.Language", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    problem = models.TextField(_("problem addressed"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    results_text = models.TextField(_("results"), blank=True)
    indicator_names = models.JSONField(_("indicator names"), default=list, blank=True)
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    translated_for = models.ForeignKey(
        "registry.City",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translated by (city)"),
    )
    source_digest = models.CharField(_("fingerprint of the original"), max_length=64, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["language_id"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [models.UniqueConstraint(fields=["practice", "language"], name="one_translation_per_language")]

    def __str__(self) -> str:
        return f"{self.title} [{self.language_id}]"

    @property
    def is_full(self) -> bool:
        """Approved on the desk: the whole text, shown in place of the original to readers of its language."""
        return self.approved_at is not None

    @property
    def is_out_of_date(self) -> bool:
        """The original changed after this translation was approved (title and summary only ones are not tracked)."""
        return bool(self.source_digest) and self.source_digest != self.practice.source_digest()


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"practices/{instance.practice_id}/{filename}"


class Attachment(TimeStamped):
    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        IMAGE = "image", _("Image")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class PracticeVersion(models.Model):
    """One change of a practice: who, when, what changed (field → [before, after]) and the content after it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    changes = models.JSONField(_("changes"), default=dict)
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="unique_practice_version")]

    def __str__(self) -> str:
        return f"{self.practice_id} v{self.number}"
