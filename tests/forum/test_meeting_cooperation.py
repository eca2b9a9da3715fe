"""A held meeting becomes a cooperation: the forum calls the cooperation service, which learns through the
`cooperation.meeting_organiser` hook that the actor organises the event (the cooperation app does not import the
forum)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityexchange.cooperation.models import Cooperation
from cityexchange.core.errors import InvalidTransition, PermissionDenied
from cityexchange.forum import services
from cityexchange.forum.models import Meeting
from tests.forum.test_scheduler import _small_forum
from tests.registry.factories import UserFactory


def _held_meeting(event, organiser) -> Meeting:
    _small_forum(event, n=4)
    run = services.schedule_build(actor=organiser, event=event, time_limit=5)
    services.schedule_publish(actor=organiser, event=event)
    meeting = run.meetings.first()
    meeting.slot.starts_at = timezone.now() - dt.timedelta(hours=2)
    meeting.slot.ends_at = meeting.slot.starts_at + dt.timedelta(minutes=30)
    meeting.slot.save()
    return services.meeting_mark_held(actor=organiser, meeting=meeting, outcome="Study visit in March")


def test_the_organiser_turns_a_held_meeting_into_a_cooperation(event, organiser):
    meeting = _held_meeting(event, organiser)
    cooperation = services.meeting_to_cooperation(actor=organiser, meeting=meeting)
    request = meeting.request
    assert cooperation.stage == "contact" and cooperation.origin == Cooperation.Origin.MEETING
    assert set(cooperation.participants.values_list("city_id", flat=True)) == {
        request.requester.city_id,
        request.target.city_id,
    }
    assert Meeting.objects.get(pk=meeting.pk).cooperation_id == cooperation.pk
    with pytest.raises(InvalidTransition):  # once only
        services.meeting_to_cooperation(actor=organiser, meeting=Meeting.objects.get(pk=meeting.pk))


def test_someone_else_cannot_turn_the_meeting_into_a_cooperation(event, organiser):
    meeting = _held_meeting(event, organiser)
    with pytest.raises(PermissionDenied):
        services.meeting_to_cooperation(actor=UserFactory(), meeting=meeting)
    assert not Cooperation.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).cooperation_id is None
