"""The Content-Security-Policy holds on the main pages: the browser reports no violation (no inline script, inline
event handler or style attribute left in the templates) and the pages' scripts still work under it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/en/",
    "/en/cities/",
    "/en/practices/",
    "/en/challenges/",
    "/en/matching/",
    "/en/cooperation/register/",
    "/en/forum/",
    "/en/insights/",
    "/en/insights/map/",
    "/en/governance/",
    "/en/accounts/login/",
    "/api/v1/docs",
]


@pytest.fixture
def violations(page: Any) -> list[str]:
    """CSP violations as the browser reports them: the console's "Refused to…" lines and the DOM's events."""
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return found


@pytest.fixture
def site(kazan: Any, sao_paulo: Any, secretariat: Any, page: Any) -> dict[str, Any]:
    from cityexchange.insights import atlas
    from tests.cooperation.factories import published_practice

    atlas.shapes()  # decoded once per process, before the first page, so a busy machine does not time out
    page.set_default_timeout(60_000)
    practice = published_practice(kazan, title="Bus lanes")
    return {"practice": practice, "secretariat": secretariat}


def test_main_pages_load_without_csp_violations(page: Any, site: dict[str, Any], violations: list[str]) -> None:
    pages = [*PAGES, f"/en/practices/{site['practice'].pk}/"]
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status < 400, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    assert violations == []


def test_swagger_ui_renders_under_the_policy(page: Any, site: dict[str, Any], violations: list[str]) -> None:
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert violations == []


def test_language_menu_still_submits_itself(page: Any, site: dict[str, Any], violations: list[str]) -> None:
    """The inline onchange became data-autosubmit, handled by static/js/actions.js."""
    page.goto("/en/practices/")
    page.select_option("#language", "ru")
    page.wait_for_url("**/ru/practices/**")
    assert violations == []
