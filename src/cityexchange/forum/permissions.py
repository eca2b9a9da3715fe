"""Who may do what at a forum.

* Organisers: the secretariat and the users named organisers of the event. They set up the programme, approve
  registrations, check people in, build and publish the schedule.
* Delegates register for a city they work for (officers and coordinators of an active member city); organisers
  may register anyone (guests).
* A registration is acted for by its own person, by the coordinator of its city, and by organisers; the members
  of a delegation share one meeting schedule, so each may answer the delegation's requests and see its agenda.
"""

from __future__ import annotations

from typing import Any

from cityexchange.accounts.permissions import is_coordinator, is_officer, is_secretariat

from .models import Event, Registration


def is_organiser(user: Any, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_secretariat(user) or event.organisers.filter(pk=user.pk).exists()


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
    if not getattr(user, "is_authenticated", False):
        return False
    if registration.user_id == user.pk or is_organiser(user, registration.event):
        return True
    if is_coordinator(user, registration.city_id):
        return True
    if registration.delegation_id is not None:
        return Registration.objects.filter(
            delegation_id=registration.delegation_id, user=user, status=Registration.Status.APPROVED
        ).exists()
    return False
