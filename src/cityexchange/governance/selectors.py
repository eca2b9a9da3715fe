"""Reads of governance. Everything here is public except what a secret ballot hides: no reader, whatever their
role, gets a live count of an open secret vote or any city's choice in a secret vote."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.accounts.models import CityRole
from cityexchange.challenges.models import Challenge
from cityexchange.challenges.selectors import challenges_visible_to
from cityexchange.core.errors import NotFound
from cityexchange.core.restrict import get_for
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.models import City, Membership

from . import services
from .models import (
    Ballot,
    Body,
    Delegation,
    Document,
    DocumentVersion,
    GroupMember,
    Vote,
    VoteOption,
    VoteResult,
    WorkingGroup,
)
from .permissions import represents

statutes_settings = services.statutes_settings
seats_in_force = services.seats_in_force
vote_phase = services.vote_phase


# --- Documents -------------------------------------------------------------------------------------------------


def documents_public() -> QuerySet[Document]:
    versions = DocumentVersion.objects.prefetch_related("texts").order_by("-number")
    return Document.objects.prefetch_related(Prefetch("versions", queryset=versions))


# --- Bodies ----------------------------------------------------------------------------------------------------


def bodies() -> QuerySet[Body]:
    return Body.objects.all()


def body_seats(body: Body, *, current: bool = True) -> QuerySet:
    qs = seats_in_force(body) if current else body.seats.all()
    return qs.select_related("city", "city__country", "person").order_by("role", "city__name", "start_on")


def delegate_of(city: City) -> Delegation | None:
    return Delegation.objects.select_related("user").filter(city=city, revoked_at__isnull=True).first()


# --- Votes -----------------------------------------------------------------------------------------------------


def votes_public() -> QuerySet[Vote]:
    """Every vote is public; what is shown of its ballots depends on `vote_view`."""
    return Vote.objects.select_related("body", "subject_city", "subject_city__country", "result").prefetch_related(
        "options"
    )


def get_vote_for(user: Any, vote_id: Any) -> Vote:
    """A vote (read through `get_for`), counted first if its time is up (the result is computed once, by whoever
    reads it first)."""
    vote = get_for(user, votes_public(), vote_id)
    if not hasattr(vote, "result") and vote.closes_at <= timezone.now():
        services.vote_count_if_due(vote)
        vote = votes_public().get(pk=vote.pk)
    return vote


def get_option(vote: Vote, option_id: int) -> VoteOption:
    option = vote.options.filter(pk=option_id).first()
    if option is None:
        raise NotFound(_("This option does not belong to this vote."))
    return option


def result_of(vote: Vote) -> VoteResult | None:
    return VoteResult.objects.filter(vote=vote).first()


@dataclass
class OptionCount:
    option: VoteOption
    votes: int
    elected: bool


@dataclass
class VoteView:
    """What anyone may know about a vote now."""

    vote: Vote
    phase: str
    result: VoteResult | None
    electorate: int
    voted: int
    counts: list[OptionCount] | None  # None: not shown (a secret vote before its count)
    roll_call: list[tuple[City, VoteOption | None]]  # who voted; the option only for an open vote


def vote_view(vote: Vote) -> VoteView:
    result = result_of(vote)
    phase = "counted" if result else vote_phase(vote)
    options = list(vote.options.all())
    counts: list[OptionCount] | None = None
    if result is not None:
        winners = set(result.winners)
        counts = [OptionCount(o, int(result.counts.get(str(o.pk), 0)), o.pk in winners) for o in options]
    elif not vote.secret:
        live = services.vote_counts(vote)
        counts = [OptionCount(o, live.get(o.pk, 0), False) for o in options]
    ballots = Ballot.objects.filter(vote=vote).select_related("city", "option").order_by("city__name")
    # A secret ballot's `option` is always empty; reading it here keeps the roll call of an open vote.
    roll_call = [(b.city, None if vote.secret else b.option) for b in ballots]
    return VoteView(
        vote=vote,
        phase=phase,
        result=result,
        electorate=result.electorate if result else vote.electors.count(),
        voted=len(roll_call),
        counts=counts,
        roll_call=roll_call,
    )


@dataclass
class VoterCity:
    city: City
    has_voted: bool
    option: VoteOption | None  # the city's current choice, open votes only


def cities_user_votes_for(user: Any, vote: Vote) -> list[VoterCity]:
    """The electors of this vote the user may cast a ballot for (coordinator or named delegate)."""
    if not getattr(user, "is_authenticated", False):
        return []
    candidate_ids = set(
        CityRole.objects.filter(user=user, city__membership__status=Membership.Status.ACTIVE).values_list(
            "city_id", flat=True
        )
    ) & set(vote.electors.values_list("city_id", flat=True))
    ballots = {
        b.city_id: b for b in Ballot.objects.filter(vote=vote, city_id__in=candidate_ids).select_related("option")
    }
    out = []
    for city in City.objects.filter(pk__in=candidate_ids).order_by("name"):
        if represents(user, city.pk):
            ballot = ballots.get(city.pk)
            out.append(VoterCity(city, ballot is not None, ballot.option if ballot and not vote.secret else None))
    return out


def open_votes() -> QuerySet[Vote]:
    now = timezone.now()
    return votes_public().filter(opens_at__lte=now, closes_at__gt=now, result__isnull=True)


def admission_vote_under_way(city_id: int) -> Vote | None:
    """The vote on admitting this city that has not been counted yet (scheduled, open or closing), if any."""
    return (
        Vote.objects.select_related("body")
        .filter(kind=Vote.Kind.ADMISSION, subject_city_id=city_id, result__isnull=True)
        .order_by("-opens_at", "-pk")
        .first()
    )


def admission_candidates() -> QuerySet[City]:
    """Cities a vote could admit: those with an application under review (the usual case)."""
    return (
        City.objects.filter(applications__status="submitted")
        .exclude(membership__status=Membership.Status.ACTIVE)
        .select_related("country")
        .distinct()
        .order_by("name")
    )


# --- Working groups --------------------------------------------------------------------------------------------


def groups_public() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.select_related("chair_city", "chair_city__country").prefetch_related("sectors")


def group_members(group: WorkingGroup) -> QuerySet[GroupMember]:
    return group.members.filter(left_on__isnull=True).select_related("city", "city__country").order_by("city__name")


def group_sector_ids(group: WorkingGroup) -> list[int]:
    return list(group.sectors.values_list("pk", flat=True))


def group_practices(group: WorkingGroup, user: Any, limit: int = 20) -> list[Practice]:
    """Practices of the group's sectors the user may see."""
    return list(practices_visible_to(user).filter(sectors__in=group_sector_ids(group)).distinct()[:limit])


def group_challenges(group: WorkingGroup, user: Any, limit: int = 20) -> list[Challenge]:
    """Challenges of the group's sectors the user may see."""
    return list(challenges_visible_to(user).filter(sectors__in=group_sector_ids(group)).distinct()[:limit])


def cities_user_coordinates(user: Any) -> QuerySet[City]:
    """Active member cities the user is coordinator of (to join or leave groups for them)."""
    if not getattr(user, "is_authenticated", False):
        return City.objects.none()
    return City.objects.filter(
        team__user=user, team__role=CityRole.Role.COORDINATOR, membership__status=Membership.Status.ACTIVE
    ).order_by("name")
