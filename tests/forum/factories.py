from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import factory
from factory.django import DjangoModelFactory

from cityexchange.forum.models import Event, MeetingRequest, MeetingTable, Registration, Slot
from cityexchange.registry.models import Language
from tests.registry.factories import MemberCityFactory, UserFactory

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
DAY1 = dt.date.today() + dt.timedelta(days=60)  # the event is always ahead, so requests are open


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A time on day 1 or 2 of the test event, in Moscow time."""
    return dt.datetime.combine(DAY1 + dt.timedelta(days=day - 1), dt.time(hour, minute), tzinfo=MSK)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    city = factory.SubFactory(MemberCityFactory)
    timezone = "Europe/Moscow"
    starts_on = DAY1
    ends_on = DAY1 + dt.timedelta(days=1)
    is_published = True

    @factory.post_generation
    def languages(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.working_languages.set(Language.objects.filter(code__in=extracted or ["en", "ru"]))


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(MemberCityFactory)
    role = "Deputy mayor"
    arrival = factory.LazyFunction(lambda: at(1, 0))
    departure = factory.LazyFunction(lambda: at(3, 0))
    status = Registration.Status.APPROVED

    @factory.post_generation
    def languages(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.languages.set(Language.objects.filter(code__in=extracted or ["en"]))


class MeetingRequestFactory(DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    event = factory.LazyAttribute(lambda o: o.requester.event)
    requester = factory.SubFactory(RegistrationFactory)
    target = factory.SubFactory(RegistrationFactory, event=factory.SelfAttribute("..requester.event"))
    priority = 2
    topic = "Smart traffic lights"
    status = MeetingRequest.Status.ACCEPTED
    expires_at = factory.LazyFunction(lambda: at(3, 0))


def grid(event: Event, *, days: int = 2, per_day: int = 4, tables: int = 2, seats: int = 4) -> None:
    """Meeting slots of 30 minutes from 10:00 each day, and tables T1…Tn."""
    for d in range(1, days + 1):
        for k in range(per_day):
            start = at(d, 10) + dt.timedelta(minutes=30 * k)
            Slot.objects.create(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    for k in range(tables):
        MeetingTable.objects.create(event=event, name=f"T{k + 1}", seats=seats)
