"""The association's forum: events and their programme, registrations and delegations, 1:1 meeting requests and
the meeting schedules the solver builds.

A schedule is a `ScheduleRun` with its `Meeting` rows. Each build makes a new run (pinned meetings of the latest
run are carried over unchanged); the organiser reviews the latest run (the *draft*) and publishes it, which makes
it `Event.published_run`, the one delegates see. Old runs stay as history and as the base for "what changed".
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityexchange.core.models import TimeStamped
from cityexchange.core.restrict import RestrictedQuerySet


def new_badge_token() -> str:
    return secrets.token_urlsafe(18)


class Event(TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    city = models.ForeignKey(
        "registry.City", on_delete=models.PROTECT, related_name="forum_events", verbose_name=_("venue city")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, help_text=_("IANA name, e.g. Europe/Moscow."))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    working_languages = models.ManyToManyField(
        "registry.Language", blank=True, related_name="+", verbose_name=_("working languages")
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_events", verbose_name=_("organisers")
    )
    is_published = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public forum pages."))
    registration_open = models.BooleanField(_("registration open"), default=True)
    min_meetings_per_city = models.PositiveSmallIntegerField(
        _("minimum meetings per city"), default=1, help_text=_("Met where the requests and availability allow.")
    )
    request_valid_days = models.PositiveSmallIntegerField(
        _("days to answer a meeting request"), default=7, help_text=_("Unanswered requests expire after this.")
    )
    solver_time_limit = models.PositiveSmallIntegerField(_("solver time limit (seconds)"), default=20)
    published_run = models.ForeignKey(
        "ScheduleRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published schedule"),
    )
    schedule_published_at = models.DateTimeField(_("schedule published"), null=True, blank=True)

    # Who may see or do what: forum.permissions.EventPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("forum event")
        verbose_name_plural = _("forum events")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_ends_after")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> dt.tzinfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.starts_on, dt.time.min, tzinfo=self.tz)

    @property
    def ends_at(self) -> dt.datetime:
        """The end of the last day (exclusive), in the event's time zone."""
        return dt.datetime.combine(self.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz)


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("seats"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_room_name")]

    def __str__(self) -> str:
        return self.name


class Session(TimeStamped):
    """A programme item: a plenary or a session of a sector track, in a room, with speakers."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        TRACK = "track", _("Track session")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRACK)
    sector = models.ForeignKey(
        "registry.Sector", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("track (sector)")
    )
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("room"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    speakers: models.ManyToManyField[Registration, Any] = models.ManyToManyField(
        "Registration", blank=True, related_name="sessions_speaking", verbose_name=_("speakers and chairs")
    )

    class Meta:
        ordering = ["starts_at", "room__name", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Slot(models.Model):
    """One cell of the meeting grid. Slots of an event never overlap."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots", verbose_name=_("event"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [models.UniqueConstraint(fields=["event", "starts_at"], name="unique_slot_start")]

    def __str__(self) -> str:
        local = self.starts_at.astimezone(self.event.tz)
        return f"{local:%Y-%m-%d %H:%M}"


class MeetingTable(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=60)
    seats = models.PositiveSmallIntegerField(_("seats"), default=4)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("meeting table")
        verbose_name_plural = _("meeting tables")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_table_name")]

    def __str__(self) -> str:
        return self.name


class Interpreter(models.Model):
    """An interpreter for 1:1 meetings, covering language pairs ("en-ru") in some slots (none chosen: all)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="interpreters", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=150)
    language_pairs = models.JSONField(_("language pairs"), default=list, help_text=_('For example ["en-ru", "en-zh"].'))
    available_slots = models.ManyToManyField(Slot, blank=True, related_name="+", verbose_name=_("available in"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """A city's delegation (a mayor and deputies): its members share one meeting schedule."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("event"))
    city = models.ForeignKey("registry.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_delegation_name")]

    def __str__(self) -> str:
        return self.name


class Registration(TimeStamped):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_registrations", verbose_name=_("person")
    )
    city = models.ForeignKey("registry.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    role = models.CharField(_("position"), max_length=150, help_text=_("For example: Mayor, Deputy mayor."))
    languages = models.ManyToManyField("registry.Language", related_name="+", verbose_name=_("languages spoken"))
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_note = models.CharField(_("interpreting needs"), max_length=300, blank=True)
    arrival = models.DateTimeField(_("arrival"))
    departure = models.DateTimeField(_("departure"))
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("delegation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    badge_token = models.CharField(max_length=40, unique=True, default=new_badge_token, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Who may see or do what: forum.permissions.RegistrationPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "user__display_name", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")]

    def __str__(self) -> str:
        return f"{self.user} ({self.city.name})"


class MeetingRequest(TimeStamped):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    class Priority(models.IntegerChoices):
        USEFUL = 1, _("Useful")
        IMPORTANT = 2, _("Important")
        ESSENTIAL = 3, _("Essential")

    OPEN = (Status.PENDING, Status.ACCEPTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests", verbose_name=_("event"))
    requester = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_sent", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="requests_received", verbose_name=_("with")
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.USEFUL)
    topic = models.CharField(_("topic"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    expires_at = models.DateTimeField(_("answer by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    suggested = models.BooleanField(_("from a suggestion"), default=False)

    # Who may see or do what: forum.permissions.MeetingRequestPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")

    def __str__(self) -> str:
        return f"{self.requester} → {self.target}: {self.topic}"


class ScheduleRun(TimeStamped):
    """One build of the meeting schedule by the solver, with its figures and the validator's verdict."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="runs", verbose_name=_("event"))
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    time_limit = models.FloatField(_("time limit (s)"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=20, blank=True)
    objective = models.IntegerField(_("total priority"), null=True, blank=True)
    bound = models.FloatField(_("proven bound"), null=True, blank=True)
    gap_pct = models.FloatField(_("gap (%)"), null=True, blank=True)
    seconds = models.FloatField(_("solve time (s)"), null=True, blank=True)
    stats = models.JSONField(_("figures"), default=dict, blank=True)
    greedy_stats = models.JSONField(_("greedy figures"), default=dict, blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    violations = models.JSONField(_("validator findings"), default=list, blank=True)
    is_valid = models.BooleanField(_("valid"), null=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="unique_run_number")]

    def __str__(self) -> str:
        return f"{self.event} #{self.number} ({self.status})"

    @property
    def is_optimal(self) -> bool:
        return self.solver_status == "OPTIMAL"


class Meeting(models.Model):
    """A scheduled 1:1 meeting of one run."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("run"))
    request = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("request")
    )
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("slot"))
    table = models.ForeignKey(MeetingTable, on_delete=models.CASCADE, related_name="+", verbose_name=_("table"))
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("interpreter")
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    outcome = models.TextField(_("outcome and next steps"), blank=True)
    # Set by the cooperation app's hook once a held meeting has become a cooperation.
    cooperation_id = models.PositiveIntegerField(_("cooperation"), null=True, blank=True)

    # Who may see or do what: forum.permissions.MeetingPolicy, read through `restrict(user, action)`.
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "table_id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["run", "request"], name="one_meeting_per_request_and_run"),
            models.UniqueConstraint(fields=["run", "slot", "table"], name="one_meeting_per_table_and_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot} {self.table}"
