"""A user's own time zone: chosen on the profile page (the service validates it), made current for their requests
by the middleware, and shown beside times given in another zone — forum times in the event's zone, the
association's times in UTC — never instead of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from cityexchange.accounts import services
from cityexchange.core import locale_format
from cityexchange.core.errors import InvalidInput, PermissionDenied
from cityexchange.core.locale_names import time_zone_name
from cityexchange.core.models import AuditEntry
from cityexchange.forum import services as forum_services
from tests.forum.factories import EventFactory, at
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 3, 5, 6, 0, tzinfo=dt.UTC)  # 09:00 in Moscow, 11:30 in India


def render(source: str, lang: str = "en", **context: Any) -> str:
    with translation.override(lang):
        return Template(source).render(Context(context))


# --- choosing the zone


def test_a_user_chooses_a_zone_and_it_is_audited() -> None:
    user = UserFactory()
    services.user_time_zone_set(actor=user, zone="Asia/Kolkata")
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kolkata"
    assert AuditEntry.objects.filter(action="user.time_zone", after={"time_zone": "Asia/Kolkata"}).exists()
    services.user_time_zone_set(actor=user, zone="")  # back to none
    user.refresh_from_db()
    assert user.time_zone == ""


@pytest.mark.parametrize("bad", ["Mars/Olympus", "US/Eastern", "Etc/GMT+5", "../../etc/passwd", "x" * 300])
def test_a_zone_not_on_the_list_is_refused_naming_the_field(bad: str) -> None:
    user = UserFactory()
    with pytest.raises(InvalidInput) as err:
        services.user_time_zone_set(actor=user, zone=bad)
    assert err.value.field == "time_zone"
    user.refresh_from_db()
    assert user.time_zone == ""


def test_a_visitor_cannot_choose_a_zone() -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.user_time_zone_set(actor=AnonymousUser(), zone="Asia/Kolkata")


def test_the_profile_page_offers_the_zones_in_the_readers_language_and_saves_the_choice(client: Any) -> None:
    user = UserFactory()
    client.force_login(user)
    page = client.get("/ru/accounts/me/").content.decode()
    assert 'name="time_zone"' in page and "Индия (Asia/Kolkata)" in page
    response = client.post("/ru/accounts/me/time-zone/", {"time_zone": "Asia/Kolkata"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kolkata"
    refused = client.post("/en/accounts/me/time-zone/", {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 422 and "is not a time zone" in refused.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "Asia/Kolkata"
    assert client.post("/en/accounts/me/time-zone/", {"time_zone": ""}).status_code == 302


def test_choosing_a_zone_needs_a_signed_in_user(client: Any) -> None:
    response = client.post("/en/accounts/me/time-zone/", {"time_zone": "Asia/Kolkata"})
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the middleware


def test_the_middleware_makes_the_users_zone_current_for_their_requests_only(client: Any, rf: Any) -> None:
    from cityexchange.accounts.time_zone_middleware import UserTimeZoneMiddleware

    seen: dict[str, Any] = {}

    def view(request: Any) -> Any:
        from django.http import HttpResponse

        seen["zone"] = timezone.get_current_timezone_name()
        seen["reader"] = locale_format.reader_zone()
        return HttpResponse()

    request = rf.get("/")
    request.user = UserFactory(time_zone="Asia/Kolkata")
    UserTimeZoneMiddleware(view)(request)
    assert seen == {"zone": "Asia/Kolkata", "reader": "Asia/Kolkata"}
    # After the response nothing is left for the next request on this thread.
    assert timezone.get_current_timezone_name() == "UTC" and locale_format.reader_zone() == ""
    request.user = UserFactory()
    UserTimeZoneMiddleware(view)(request)
    assert seen == {"zone": "UTC", "reader": ""}


# --- what pages show


def test_a_time_given_in_another_zone_is_also_shown_in_the_readers() -> None:
    token = locale_format.set_reader_zone("Asia/Kolkata")
    try:
        shown = render("{{ t|local_datetime:'UTC' }}", t=MOMENT)
        assert "6:00" in shown and "(UTC)" in shown
        assert "11:30" in shown and "India Standard Time" in shown
        # Shown in the reader's own zone already: nothing added.
        assert "UTC" not in render("{{ t|local_datetime:'Asia/Kolkata' }}", t=MOMENT)
    finally:
        locale_format.reset_reader_zone(token)
    assert "India" not in render("{{ t|local_datetime:'UTC' }}", t=MOMENT)  # no zone chosen: UTC only


def test_a_zone_with_the_same_clock_is_not_repeated() -> None:
    token = locale_format.set_reader_zone("Europe/Istanbul")  # UTC+3 like Moscow
    try:
        assert "Istanbul" not in render("{{ t|local_datetime:'Europe/Moscow' }}", t=MOMENT)
        assert (
            render("{% load tz %}{% timezone 'Europe/Moscow' %}{% reader_times t %}{% endtimezone %}", t=MOMENT) == ""
        )
    finally:
        locale_format.reset_reader_zone(token)


def test_the_reader_zone_gives_the_day_when_it_is_another_day_there() -> None:
    late = dt.datetime(2026, 3, 5, 22, 0, tzinfo=dt.UTC)  # 01:00 on 6 March in Moscow, 19:00 on 5 March in Brazil
    token = locale_format.set_reader_zone("America/Sao_Paulo")
    try:
        shown = render(
            "{% load tz %}{% timezone 'Europe/Moscow' %}{{ t|local_time }} {% reader_times t %}{% endtimezone %}",
            "ru",
            t=late,
        )
    finally:
        locale_format.reset_reader_zone(token)
    assert shown.startswith("01:00")
    assert "19:00" in shown and "5 мар" in shown and "Бразилия" in shown


def test_the_utc_zone_is_named_in_the_readers_language() -> None:
    assert time_zone_name("UTC", "ru") == "UTC"
    assert time_zone_name("UTC", "ar") == "التوقيت العالمي"
    assert "неизвестн" not in locale_format.datetime(MOMENT, "UTC", lang="ru")
    assert "летнее" not in time_zone_name("Asia/Kolkata", "ru")  # India has no summer time


def test_forum_times_stay_in_the_events_zone_and_add_the_users(client: Any, kazan: Any, secretariat: Any) -> None:
    event = EventFactory(city=kazan, slug="kazan-forum")
    event.organisers.add(secretariat)
    forum_services.session_add(actor=secretariat, event=event, title="Plenary", starts_at=at(1, 9), ends_at=at(1, 10))
    user = UserFactory(time_zone="Asia/Kolkata")
    client.force_login(user)
    page = client.get(f"/en/forum/{event.slug}/").content.decode()
    programme = page.split('class="session')[1].split("</article>")[0]
    assert "09:00–10:00" in programme  # the event's zone, which the page names
    assert 'data-reader-zone="Asia/Kolkata"' in programme and "11:30–12:30" in programme
    assert "Moscow Time" in page

    client.force_login(UserFactory())  # no zone chosen: the event's zone only
    page = client.get(f"/en/forum/{event.slug}/").content.decode()
    assert "data-reader-zone" not in page and "09:00–10:00" in page
