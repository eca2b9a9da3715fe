"""Who may see and do what at a forum: the policies, read through `Model.objects.restrict(user, action)` and
`core.restrict.get_for(user, Model, pk, action)` (see core/restrict.py).

* Organisers: the secretariat and the users named organisers of the event. They set up the programme, approve
  registrations, check people in, build and publish the schedule.
* Delegates register for a city they work for (officers and coordinators of an active member city); organisers
  may register anyone (guests).
* A registration is acted for by its own person, by the coordinator of its city, and by organisers; the members
  of a delegation share one meeting schedule, so each may answer the delegation's requests and see its agenda.
* Events: published ones for everyone, unpublished ones for their organisers. Registrations: organisers see all
  of their event's; approved delegates see the other approved delegates (to choose whom to meet); a coordinator
  sees the city's own. Meeting requests: organisers, and the parties (the registrations a user acts for, with
  their delegations). Meetings: organisers; the parties once the run is the event's published schedule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_officer, is_secretariat, user_city_ids
from cityexchange.core.restrict import EVERYTHING, NOTHING, Policy, allows, signed_in

from .models import Event, Meeting, MeetingRequest, Registration

APPROVED = Registration.Status.APPROVED


def _organised(user: Any, event_field: str) -> Q:
    """Rows of the events `user` organises (every event for the secretariat)."""
    if is_secretariat(user):
        return EVERYTHING
    if not signed_in(user):
        return NOTHING
    events = Event.organisers.through.objects.filter(user_id=user.pk).values("event_id")
    return Q(**{f"{event_field}__in": events})


def _coordinated_cities(user: Any) -> Any:
    return user_city_ids(user, roles=("coordinator",))


def _parties(user: Any) -> Any:
    """Ids of the registrations `user` meets for: the approved ones of their own or of a city they coordinate,
    with every registration of those delegations (a subquery)."""
    acting = Registration.objects.filter(status=APPROVED).filter(
        Q(user_id=user.pk) | Q(city_id__in=_coordinated_cities(user))
    )
    return Registration.objects.filter(
        Q(pk__in=acting.values("pk")) | Q(delegation_id__in=acting.exclude(delegation=None).values("delegation_id"))
    ).values("pk")


class EventPolicy(Policy[Event]):
    model = Event
    actions = ("view", "manage")
    not_found = gettext_lazy("There is no such forum event.")

    def view(self, user: Any) -> Q:
        return Q(is_published=True) | _organised(user, "pk")

    def manage(self, user: Any) -> Q:
        return _organised(user, "pk")

    def refusal(self, action: str, obj: Event) -> str:
        return _("Only the organisers of %(event)s can do this.") % {"event": obj}


class RegistrationPolicy(Policy[Registration]):
    model = Registration
    actions = ("view", "manage", "act")
    not_found = gettext_lazy("There is no such registration, or you may not see it.")

    def view(self, user: Any) -> Q:
        if not signed_in(user):
            return NOTHING
        approved_at = Registration.objects.filter(user_id=user.pk, status=APPROVED).values("event_id")
        return (
            _organised(user, "event_id")
            | Q(event_id__in=approved_at, status=APPROVED)
            | Q(city_id__in=_coordinated_cities(user))
            | Q(user_id=user.pk)
        )

    def manage(self, user: Any) -> Q:
        return _organised(user, "event_id")

    def act(self, user: Any) -> Q:
        """Request, accept, decline and see the agenda on behalf of the registration."""
        if not signed_in(user):
            return NOTHING
        delegations = Registration.objects.filter(user_id=user.pk, status=APPROVED).exclude(delegation=None)
        return (
            Q(user_id=user.pk)
            | _organised(user, "event_id")
            | Q(city_id__in=_coordinated_cities(user))
            | Q(delegation_id__in=delegations.values("delegation_id"))
        )

    def refusal(self, action: str, obj: Registration) -> str:
        if action == "act":
            return _("You may not act for %(who)s.") % {"who": obj}
        return _("Only the organisers can do this.")


class MeetingRequestPolicy(Policy[MeetingRequest]):
    model = MeetingRequest
    not_found = gettext_lazy("There is no such meeting request, or you may not see it.")

    def view(self, user: Any) -> Q:
        if not signed_in(user):
            return NOTHING
        parties = _parties(user)
        return _organised(user, "event_id") | Q(requester_id__in=parties) | Q(target_id__in=parties)


class MeetingPolicy(Policy[Meeting]):
    model = Meeting
    actions = ("view", "manage")
    not_found = gettext_lazy("There is no such meeting.")

    def view(self, user: Any) -> Q:
        if not signed_in(user):
            return NOTHING
        published = Event.objects.exclude(published_run=None).values("published_run_id")
        seen = MeetingRequest.objects.filter(MeetingRequestPolicy().view(user)).values("pk")
        return _organised(user, "run__event_id") | Q(run_id__in=published, request_id__in=seen)

    def manage(self, user: Any) -> Q:
        return _organised(user, "run__event_id")

    def refusal(self, action: str, obj: Meeting) -> str:
        return _("Only the organisers can do this.")


POLICIES = (EventPolicy(), RegistrationPolicy(), MeetingRequestPolicy(), MeetingPolicy())


def is_organiser(user: Any, event: Event) -> bool:
    return allows(user, event, "manage")


def is_meeting_organiser(user: Any, meeting: Any) -> bool:
    """Whether `user` organises the event of `meeting` (the `cooperation.meeting_organiser` hook)."""
    return is_organiser(user, meeting.run.event)


def can_register_for(user: Any, event: Event, city_id: int) -> bool:
    return is_organiser(user, event) or is_officer(user, city_id)


def party_ids(registration: Registration) -> set[int]:
    """The registrations that meet together with this one: itself, or its whole delegation."""
    if registration.delegation_id is None:
        return {registration.pk}
    return set(Registration.objects.filter(delegation_id=registration.delegation_id).values_list("pk", flat=True)) | {
        registration.pk
    }


def can_act_for(user: Any, registration: Registration) -> bool:
    """Request, accept, decline and see the agenda on behalf of this registration."""
    return allows(user, registration, "act")
