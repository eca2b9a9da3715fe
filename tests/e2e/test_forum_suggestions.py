"""Suggested meetings in the browser: a Kazan delegate sees São Paulo suggested because São Paulo's practice is a
strong match for Kazan's challenge, and Delhi because both cities are in a working group — each reason in words;
the unrelated city is not suggested. Desktop and a 360 px phone (nothing scrolls sideways). The small
deterministic encoder stands in for the model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def encoder() -> Iterator[None]:
    from cityexchange.matching import store
    from cityexchange.matching.embedding import HashingEncoder

    store.set_encoder(HashingEncoder(dim=384))
    yield
    store.set_encoder(None)


@pytest.fixture(params=list(SIZES))
def sized_page(request: Any, browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=SIZES[request.param])
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_suggestions_say_why(
    sized_page: Any, encoder: Any, secretariat: Any, kazan: Any, sao_paulo: Any, kazan_officer: Any
) -> None:
    from cityexchange.challenges import services as challenge_services
    from cityexchange.governance.models import GroupMember, WorkingGroup
    from cityexchange.practices import services as practice_services
    from cityexchange.practices.models import Practice
    from tests.challenges.factories import challenge_doc
    from tests.e2e.conftest import sign_in
    from tests.forum.factories import EventFactory, RegistrationFactory
    from tests.practices.factories import PracticeFactory
    from tests.registry.factories import MemberCityFactory

    event = EventFactory(city=kazan, name="Forum of BRICS+ Cities", slug="kazan-forum")
    RegistrationFactory(event=event, user=kazan_officer, city=kazan)
    sp = RegistrationFactory(event=event, city=sao_paulo)
    delhi = RegistrationFactory(event=event, city=MemberCityFactory(name="Delhi", country_id="IN"))
    unrelated = RegistrationFactory(event=event, city=MemberCityFactory(name="Recife", country_id="BR"))
    floods = "Heavy summer rain floods the streets of the city centre every year."
    challenge_services.challenge_create(
        actor=kazan_officer, city=kazan,
        data=challenge_doc(language="en", title="Flooded streets in the centre", description=floods,
                           desired_outcome="", sectors=["water"], is_public=True),
    )  # fmt: skip
    for city, title, body in (
        (sao_paulo, "Rain gardens against street floods",
         "Green drainage and rain gardens keep the streets of the city centre dry after heavy summer rain."),
        (unrelated.city, "Land subsidence radar",
         "Satellite radar measures land subsidence of a few millimetres a year under the old town."),
    ):  # fmt: skip
        p = PracticeFactory(city=city, language_id="en", title=title, summary=body, problem=body, solution=body,
                            status=Practice.Status.SUBMITTED, sectors=["water"])  # fmt: skip
        practice_services.practice_publish(actor=secretariat, practice=p)  # commits: the matching tasks run
    group = WorkingGroup.objects.create(slug="urban-ecology", name="Urban management and ecology")
    for city in (kazan, delhi.city):
        GroupMember.objects.create(group=group, city=city, joined_on=dt.date(2025, 1, 1))

    page = sized_page
    sign_in(page, kazan_officer.email)
    page.goto(f"/en/forum/{event.slug}/delegates/")
    suggested = page.locator(f"[data-suggestion='{sp.pk}']")
    reason = suggested.locator("li[data-reason=challenge]").inner_text()
    assert "Kazan" in reason and "«Flooded streets in the centre»" in reason
    assert "São Paulo" in reason and "«Rain gardens against street floods» is a strong match" in reason
    group_reason = page.locator(f"[data-suggestion='{delhi.pk}'] li[data-reason=group]").inner_text()
    assert group_reason == "Both cities are in the working group “Urban management and ecology”"
    assert page.locator(f"[data-suggestion='{unrelated.pk}']").count() == 0
    assert page.evaluate(OVERFLOW) <= 0, "the delegates page scrolls sideways"
    suggested.locator("a", has_text="Request a meeting").click()
    page.wait_for_url(lambda url: "/requests/new/" in url or "topic=" in url)
    assert "Rain gardens against street floods" in page.content()  # the topic comes with the suggestion
