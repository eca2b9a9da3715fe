"""The schedule build as a background task, in the browser: the organiser clicks Build, the page shows the run
queued; once a worker has run the task the status row (polled by the page) shows the result and a link to it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_build_progress_then_result(page, login, kazan, sao_paulo, kazan_officer, settings):
    from django.core.management import call_command

    from cityexchange.forum.models import ScheduleRun
    from cityexchange.settings import TASK_BACKENDS
    from tests.forum.factories import EventFactory, MeetingRequestFactory, RegistrationFactory, grid
    from tests.registry.factories import UserFactory

    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}  # queued for a worker, as in production
    event = EventFactory(city=kazan, name="Forum of BRICS+ Cities", slug="kazan-forum", timezone="Europe/Moscow")
    organiser = UserFactory(is_secretariat=True)
    grid(event, days=1, per_day=4, tables=2)
    mine = RegistrationFactory(event=event, user=kazan_officer, city=kazan, languages=["ru", "en"])
    for other in [RegistrationFactory(event=event, city=sao_paulo, languages=["pt", "en"]) for _ in range(2)]:
        MeetingRequestFactory(requester=mine, target=other, topic="Transit")

    login(organiser.email)
    page.goto(f"/en/forum/{event.slug}/manage/schedule/")
    page.fill("input[name=time_limit]", "3")
    page.locator("button[value=build]").click()
    row = page.locator("#run-status")
    row.wait_for()
    assert row.get_attribute("data-run-status") == "queued"
    assert "(Moscow" in row.inner_text()  # the time with its zone named
    page.locator("button[value=build]").click()  # a second build while one waits
    assert "already being built" in page.locator("main").inner_text()
    assert ScheduleRun.objects.count() == 1

    call_command("worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0)
    assert ScheduleRun.objects.get().status == ScheduleRun.Status.DONE
    # No reload: the page polls the status row and swaps it in.
    page.locator("#run-status[data-run-status=done]").wait_for()
    assert "2 of 2 accepted requests placed" in page.locator("#run-status").inner_text()
    page.locator("#run-status [data-show-result]").click()
    page.locator("[data-figure=meetings]").wait_for()
    assert page.locator("[data-figure=meetings]").inner_text() == "2"
