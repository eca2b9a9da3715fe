"""Reads of the cooperation pipeline, with what each user may see applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import user_city_ids
from cityexchange.core.errors import PermissionDenied
from cityexchange.core.restrict import restrict
from cityexchange.registry.models import City

from . import permissions
from .filters import CooperationFilters, RegisterFilters
from .models import Agreement, ContactRequest, Cooperation, EvaluationResult, EvidenceDocument, Participant, StageEvent
from .stages import FINAL, OPEN, PATH, Stage, label


def request_expiry_days() -> int:
    return int(getattr(settings, "COOPERATION_REQUEST_EXPIRY_DAYS", 21))


def stalled_days() -> int:
    return int(getattr(settings, "COOPERATION_STALLED_DAYS", 60))


# --- Contact requests.


def contact_requests() -> QuerySet[ContactRequest]:
    """Contact requests with what their pages and answers show (for `get_for`)."""
    return ContactRequest.objects.select_related(
        "from_city", "from_city__country", "to_city", "to_city__country", "practice", "challenge", "requested_by"
    )


def contact_requests_visible_to(user: Any) -> QuerySet[ContactRequest]:
    """What `user` may see (cooperation.permissions.ContactRequestPolicy)."""
    return restrict(contact_requests(), user)


# --- Cooperations.


def _with_related(qs: QuerySet[Cooperation]) -> QuerySet[Cooperation]:
    return qs.select_related(
        "practice", "practice__city", "challenge", "challenge__city", "agreement"
    ).prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("city", "city__country")))


def cooperations() -> QuerySet[Cooperation]:
    """Cooperations with what their pages and answers show (for `get_for`)."""
    return _with_related(Cooperation.objects.all())


def cooperations_visible_to(user: Any) -> QuerySet[Cooperation]:
    """What `user` may see (cooperation.permissions.CooperationPolicy)."""
    return restrict(cooperations(), user)


# A city's cooperations are chosen by a subquery on the participants, not a join made unique with DISTINCT: that
# compared whole rows with the joined practice's and challenge's texts (most of a city page's time under load).


def city_cooperations(user: Any, city: City) -> QuerySet[Cooperation]:
    taking_part = Participant.objects.filter(city=city).values("cooperation_id")
    return cooperations_visible_to(user).filter(pk__in=taking_part)


def my_cooperations(user: Any) -> QuerySet[Cooperation]:
    taking_part = Participant.objects.filter(city_id__in=user_city_ids(user)).values("cooperation_id")
    return cooperations_visible_to(user).filter(pk__in=taking_part)


def cooperation_list(user: Any, filters: CooperationFilters) -> QuerySet[Cooperation]:
    """What `user` may see, filtered (cooperation.filters). Raises InvalidInput naming a bad filter."""
    return filters.apply(cooperations_visible_to(user)).distinct()


def stalled_cooperations(now: dt.datetime | None = None) -> QuerySet[Cooperation]:
    """Open cooperations with no activity for COOPERATION_STALLED_DAYS days."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=stalled_days())
    return Cooperation.objects.filter(stage__in=[s.value for s in OPEN], last_activity_at__lte=cutoff)


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


@dataclass
class Overview:
    counts: list[StageCount]
    total: int
    stalled: list[Cooperation]
    pending_requests: int
    agreements: int


def overview(user: Any) -> Overview:
    """The secretariat's view of the pipeline: counts per stage and the stalled cooperations."""
    if not permissions.can_oversee(user):
        raise PermissionDenied(_("Only the secretariat sees the overview of all cooperations."))
    counts = dict(Cooperation.objects.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = [*PATH, Stage.CLOSED]
    return Overview(
        counts=[StageCount(s.value, label(s), counts.get(s.value, 0)) for s in stages],
        total=sum(counts.values()),
        stalled=list(_with_related(stalled_cooperations()).order_by("last_activity_at")),
        pending_requests=ContactRequest.objects.filter(status=ContactRequest.Status.PENDING).count(),
        agreements=Agreement.objects.count(),
    )


@dataclass
class TimelineEntry:
    """One step as the viewer may see it: private notes and documents only for participants and the secretariat."""

    event: StageEvent
    private_note: str
    documents: list[EvidenceDocument] = field(default_factory=list)
    results: list[EvaluationResult] = field(default_factory=list)
    agreement: Agreement | None = None

    @property
    def from_label(self) -> str:
        return label(self.event.from_stage) if self.event.from_stage else ""

    @property
    def to_label(self) -> str:
        return label(self.event.to_stage)


def timeline(user: Any, cooperation: Cooperation) -> list[TimelineEntry]:
    private = permissions.can_see_private(user, cooperation)
    events = (
        StageEvent.objects.filter(cooperation=cooperation)
        .order_by("occurred_on", "created_at", "id")  # in date order; entries of one day as they were recorded
        .select_related("city", "actor")
        .prefetch_related("documents", "results")
    )
    agreement = Agreement.objects.filter(cooperation=cooperation).first()
    return [
        TimelineEntry(
            event=e,
            private_note=e.private_note if private else "",
            documents=list(e.documents.all()) if private else [],
            results=list(e.results.all()),
            agreement=agreement if agreement and agreement.event_id == e.pk else None,
        )
        for e in events
    ]


# --- The public register of agreements.


def agreements_public(filters: RegisterFilters | None = None) -> QuerySet[Agreement]:
    """Every signed agreement (the register is public), filtered (cooperation.filters), newest first. Raises
    InvalidInput naming a bad filter."""
    qs = (filters or RegisterFilters()).apply(Agreement.objects.all())
    return (
        Agreement.objects.filter(pk__in=qs.values("pk"))
        .select_related("cooperation", "cooperation__practice", "cooperation__practice__city", "cooperation__challenge")
        .prefetch_related(
            Prefetch("cooperation__participants", queryset=Participant.objects.select_related("city", "city__country"))
        )
        .order_by("-signed_on", "-id")
    )


def is_final(stage: str) -> bool:
    return Stage(stage) in FINAL
