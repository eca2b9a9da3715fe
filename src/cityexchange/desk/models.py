"""The translation desk: who reads and writes which languages, what readers ask to have translated, and every
version of a volunteer's translation with its review."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet

# A request or a version is of exactly one practice, challenge or contact message.
ONE_ITEM = (
    Q(practice__isnull=False, challenge__isnull=True, contact_request__isnull=True)
    | Q(practice__isnull=True, challenge__isnull=False, contact_request__isnull=True)
    | Q(practice__isnull=True, challenge__isnull=True, contact_request__isnull=False)
)


class LanguageSkill(models.Model):
    """A language an officer declared they read and write: they hear of requests into it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_skills", verbose_name=_("user")
    )
    language = models.ForeignKey(
        "registry.Language", on_delete=models.CASCADE, related_name="+", verbose_name=_("language")
    )

    class Meta:
        ordering = ["language_id"]
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        constraints = [models.UniqueConstraint(fields=["user", "language"], name="one_skill_per_user_and_language")]

    def __str__(self) -> str:
        return f"{self.user} · {self.language_id}"


class TranslationRequest(TimeStamped):
    """One reader asking for a practice, a challenge or a contact message in one language. Open until a translation
    into it is approved."""

    # Exactly one of practice, challenge and contact_request (desk.subjects names them its kinds).
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_requests",
        verbose_name=_("practice"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_requests",
        verbose_name=_("challenge"),
    )
    # A lazy reference to an app above the desk (cooperation), as Django relations between apps are.
    contact_request = models.ForeignKey(
        "cooperation.ContactRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_requests",
        verbose_name=_("contact message"),
    )
    language = models.ForeignKey(
        "registry.Language", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("asked by")
    )
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("translation request")
        verbose_name_plural = _("translation requests")
        # One open request per reader, practice and language; once fulfilled, the reader may ask again later
        # (when the original changes and the translation falls out of date).
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "language", "requested_by"],
                condition=Q(fulfilled_at__isnull=True),
                name="one_open_request_per_reader",
            ),
            models.UniqueConstraint(
                fields=["challenge", "language", "requested_by"],
                condition=Q(fulfilled_at__isnull=True),
                name="one_open_challenge_request_per_reader",
            ),
            models.UniqueConstraint(
                fields=["contact_request", "language", "requested_by"],
                condition=Q(fulfilled_at__isnull=True),
                name="one_open_message_request_per_reader",
            ),
            models.CheckConstraint(condition=ONE_ITEM, name="request_of_one_item"),
        ]
        indexes = [models.Index(fields=["language", "fulfilled_at"])]

    def __str__(self) -> str:
        return f"{self.practice_id or self.challenge_id or self.contact_request_id} → {self.language_id}"

    @property
    def item(self) -> Any:
        return _item(self)


class TranslationVersion(TimeStamped):
    """One submitted translation of a practice into one language. Never edited after submission: a correction is a
    new version, and approving one supersedes the previously approved one, which is kept."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        RETURNED = "returned", _("Sent back")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    # Exactly one of practice, challenge and contact_request.
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_versions",
        verbose_name=_("practice"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_versions",
        verbose_name=_("challenge"),
    )
    contact_request = models.ForeignKey(
        "cooperation.ContactRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_versions",
        verbose_name=_("contact message"),
    )
    language = models.ForeignKey(
        "registry.Language", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    number = models.PositiveIntegerField(_("version"))
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translator"),
    )
    city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("translated by (city)")
    )
    title = models.CharField(_("title"), max_length=200)
    # A practice's text (summary, problem, solution, results) or a challenge's (description, desired outcome).
    summary = models.TextField(_("summary"), blank=True)
    problem = models.TextField(_("problem addressed"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    results_text = models.TextField(_("results"), blank=True)
    description = models.TextField(_("description"), blank=True)
    desired_outcome = models.TextField(_("desired outcome"), blank=True)
    message = models.TextField(_("message"), blank=True)  # a contact message's
    indicator_names = models.JSONField(_("indicator names"), default=list, blank=True)
    source_digest = models.CharField(_("fingerprint of the original"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    note = models.TextField(_("reviewer's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    # Who may see or do what: desk.permissions.TranslationVersionPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["practice_id", "language_id", "-number"]
        verbose_name = _("translation version")
        verbose_name_plural = _("translation versions")
        constraints = [
            models.UniqueConstraint(fields=["practice", "language", "number"], name="unique_translation_version"),
            models.UniqueConstraint(
                fields=["challenge", "language", "number"], name="unique_challenge_translation_version"
            ),
            models.UniqueConstraint(
                fields=["contact_request", "language", "number"], name="unique_message_translation_version"
            ),
            models.CheckConstraint(condition=ONE_ITEM, name="version_of_one_item"),
        ]

    def __str__(self) -> str:
        item_id = self.practice_id or self.challenge_id or self.contact_request_id
        return f"{item_id} [{self.language_id}] v{self.number}"

    @property
    def item(self) -> Any:
        return _item(self)


def _item(row: TranslationRequest | TranslationVersion) -> Any:
    if row.practice_id:
        return row.practice
    return row.challenge if row.challenge_id else row.contact_request
