"""Cooperation between cities: contact requests, cooperations moving through stages, their evidence and
agreements (the public register)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet
from cityexchange.registry.models import ApprovedTranslation

from .stages import AGREEMENT_KIND_CHOICES, CHOICES, Stage


class ContactRequest(TimeStamped):
    """An officer of one city asks to talk to another city about its practice or its challenge."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    from_city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, related_name="contact_requests_sent", verbose_name=_("from")
    )
    to_city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, related_name="contact_requests_received", verbose_name=_("to")
    )
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("practice"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_requests",
        verbose_name=_("challenge"),
    )
    # "p<id>" or "c<id>": lets the database refuse a second open request about the same thing.
    subject_key = models.CharField(max_length=30)
    message = models.TextField(_("message"))
    # The language the message is written in (the translation desk translates it from there); unknown (null) only
    # for messages sent before it was recorded.
    language = models.ForeignKey(
        "registry.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language of the message"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    expires_at = models.DateTimeField(_("answer by"), db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("asked by")
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    cooperation = models.ForeignKey(
        "Cooperation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cooperation")
    )

    # Who may see or do what: cooperation.permissions.ContactRequestPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        constraints = [
            models.UniqueConstraint(
                fields=["from_city", "to_city", "subject_key"],
                condition=models.Q(status="pending"),
                name="one_open_contact_request_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_city} → {self.to_city}: {self.subject}"

    @property
    def subject(self) -> object:
        return self.practice or self.challenge

    # What the translation desk shows of a message (cooperation.desk_subject): its first words stand for a title,
    # and the city that wrote it is the one that approves its translations.
    TITLE_LENGTH = 80

    @property
    def title(self) -> str:
        first = " ".join(self.message.split())
        return first if len(first) <= self.TITLE_LENGTH else first[: self.TITLE_LENGTH - 1].rstrip() + "…"

    @property
    def city(self) -> Any:
        return self.from_city

    def source_digest(self) -> str:
        """A fingerprint of the text a translation renders (the message is never edited, so it stays current)."""
        return hashlib.sha256(self.message.encode()).hexdigest()


class ContactRequestTranslation(ApprovedTranslation):
    """A contact message in another language, approved on the translation desk by the city that wrote it (or the
    secretariat); shown to the two cities as a translation, with the city that translated it."""

    original_field = "contact_request"

    contact_request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="translations")
    message = models.TextField(_("message"))

    class Meta(ApprovedTranslation.Meta):
        verbose_name = _("contact message translation")
        verbose_name_plural = _("contact message translations")
        constraints = [
            models.UniqueConstraint(fields=["contact_request", "language"], name="one_contact_translation_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.contact_request_id} [{self.language_id}]"


class Cooperation(TimeStamped):
    """Two or more cities working on a transfer: about a practice and/or a challenge, moving through stages."""

    class Origin(models.TextChoices):
        CONTACT = "contact", _("Contact request")
        MEETING = "meeting", _("Forum meeting")
        DIRECT = "direct", _("Opened directly")

    title = models.CharField(_("title"), max_length=300)
    practice = models.ForeignKey(
        "practices.Practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperations",
        verbose_name=_("practice"),
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperations",
        verbose_name=_("challenge"),
    )
    cities = models.ManyToManyField(
        "registry.City", through="Participant", related_name="cooperations", verbose_name=_("cities")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=CHOICES, default=Stage.INTEREST, db_index=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, default=Origin.DIRECT)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)
    last_reminder_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    # Who may see or do what: cooperation.permissions.CooperationPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")

    def __str__(self) -> str:
        return self.title

    @property
    def stage_label(self) -> str:
        return str(self.get_stage_display())


class Participant(models.Model):
    """A city taking part in a cooperation."""

    class Role(models.TextChoices):
        PROVIDER = "provider", _("Shares the practice")
        ADOPTER = "adopter", _("Adopts")
        PARTNER = "partner", _("Partner")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="participants")
    city = models.ForeignKey("registry.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["cooperation", "city"], name="one_participation_per_city")]

    def __str__(self) -> str:
        return f"{self.city} in {self.cooperation_id}"


class StageEvent(models.Model):
    """One step of the timeline: a move (from → to) or, with equal stages, a note; with its evidence."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(_("from"), max_length=20, choices=CHOICES, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=CHOICES)
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, help_text=_("Seen by everyone who may see the cooperation."))
    private_note = models.TextField(
        _("private note"), blank=True, help_text=_("Seen only by the participating cities and the secretariat.")
    )
    city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("recorded for")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.cooperation_id}: {self.from_stage} → {self.to_stage} ({self.occurred_on})"

    @property
    def is_move(self) -> bool:
        return self.from_stage != self.to_stage


class Agreement(TimeStamped):
    """A signed agreement: the public register is made of these."""

    cooperation = models.OneToOneField(Cooperation, on_delete=models.CASCADE, related_name="agreement")
    event = models.OneToOneField(StageEvent, on_delete=models.CASCADE, related_name="agreement")
    kind = models.CharField(_("kind"), max_length=20, choices=AGREEMENT_KIND_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"), db_index=True)
    # [{"city_id": 1, "city": "Kazan", "name": "…", "role": "…"}]
    signatories = models.JSONField(_("signatories"), default=list)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class EvaluationResult(models.Model):
    """One result measured at evaluation, against an indicator of the practice when it has one."""

    event = models.ForeignKey(StageEvent, on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(
        "practices.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.FloatField(_("the practice's baseline"), null=True, blank=True)
    target = models.FloatField(_("achieved by the practice"), null=True, blank=True)
    value = models.FloatField(_("measured"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")

    def __str__(self) -> str:
        return f"{self.name}: {self.value} {self.unit}"


def document_path(instance: EvidenceDocument, filename: str) -> str:
    return f"cooperation/{instance.event.cooperation_id}/{filename}"


class EvidenceDocument(TimeStamped):
    """A document attached to a step (minutes, signed agreement, report). Seen by participants and the secretariat."""

    event = models.ForeignKey(StageEvent, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    # Who may see or do what: cooperation.permissions.EvidenceDocumentPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name
