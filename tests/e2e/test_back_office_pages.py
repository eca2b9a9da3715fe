"""The pages that replace the back office (event set-up, seats, group members, city roles) hold the Content-Security-
Policy and fit a 360 px phone, signed in as the secretariat, who organises every event."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def pages(kazan: Any, sao_paulo: Any, secretariat: Any) -> list[str]:
    from cityexchange.governance import services as governance
    from cityexchange.registry.models import Sector
    from tests.forum.factories import EventFactory, grid
    from tests.governance.factories import assembly_with

    event = EventFactory(city=kazan, name="International Forum of BRICS+ Cities", slug="kazan-forum")
    grid(event, days=1, per_day=2, tables=2)
    body = assembly_with(kazan, sao_paulo)
    group = governance.group_create(
        actor=secretariat, slug="transport", name="Transport", sectors=[Sector.objects.order_by("pk").first()]
    )
    governance.group_join(actor=secretariat, group=group, city=kazan)
    return [
        f"/en/forum/{event.slug}/manage/setup/",
        f"/en/governance/bodies/{body.pk}/seats/",
        f"/en/governance/groups/{group.pk}/members/",
        "/en/accounts/roles/",
    ]


def test_the_pages_fit_a_phone_without_csp_violations(
    browser: Any, live_server: Any, pages: list[str], secretariat: Any
) -> None:
    from tests.e2e.conftest import sign_in

    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="en-US")
    context.set_default_timeout(30_000)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    sign_in(page, secretariat.email)
    too_wide = {}
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
    context.close()
    assert not too_wide, too_wide
    assert violations == []
