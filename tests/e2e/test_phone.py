"""Every page fits a 360 px phone: the header folds into a menu and no page scrolls sideways.

The pages are found the way a person finds them: starting from home and following the links they are shown (as
an anonymous visitor, an officer and the secretariat), so a new page is covered without being listed here."""

from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
MAX_PAGES = 70  # per visitor: bounds the crawl's time
# Links that change state, download a file or leave the pages a person reads.
SKIP = ("/logout", "/api/", ".csv", ".ics", ".pdf", ".xml", ".json", "/feed", "/download", "/set-language", "/admin/")

# The widest element that sticks out of the viewport, so a failure names what to fix.
WIDEST = """() => {
  const w = document.documentElement.clientWidth; let worst = null, right = w;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > right + 1) { right = r.right; worst = el; }
  }
  return {scroll: document.documentElement.scrollWidth, width: w,
          culprit: worst ? worst.tagName.toLowerCase() + (worst.className ? '.' + worst.className : '') : null};
}"""


def _crawl(page: Any, start: str) -> dict[str, dict[str, Any]]:
    """Visits pages reachable from ``start`` (same site, GET links) and measures each."""
    seen, queue, measured = {start}, deque([start]), {}
    while queue and len(measured) < MAX_PAGES:
        path = queue.popleft()
        try:
            response = page.goto(path)
        except Exception:  # noqa: S112 - a link that starts a download is not a page
            continue
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        measured[path] = page.evaluate(WIDEST)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            url = urlparse(urldefrag(href)[0])
            if url.scheme or url.netloc or not url.path.startswith("/en/") or any(s in url.path for s in SKIP):
                continue
            if "format=" in url.query:  # an export of the page's list
                continue
            link = url.path + (f"?{url.query}" if url.query and "page=" not in url.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return measured


@pytest.fixture
def site(kazan, sao_paulo, kazan_coordinator, secretariat) -> dict[str, Any]:
    """A small but complete site: practices, a challenge, a cooperation, a forum event and an open vote."""
    from tests.cooperation.factories import challenge, published_practice
    from tests.forum.factories import EventFactory, grid
    from tests.governance.factories import assembly_with, open_vote

    practice = published_practice(sao_paulo, title="Exclusive bus lanes on arterial avenues with a long title")
    published_practice(kazan, title="Snow melting stations")
    challenge(kazan, title="Congestion in the historic centre during peak hours")
    event = EventFactory(city=kazan, name="International Forum of BRICS+ Cities", slug="kazan-forum")
    grid(event, days=1, per_day=2, tables=2)
    open_vote(secretariat, assembly_with(kazan, sao_paulo))
    return {"practice": practice, "event": event}


def _phone_page(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="en-US")
    context.set_default_timeout(30_000)
    return context, context.new_page()


@pytest.mark.parametrize("visitor", ["anonymous", "officer", "secretariat"])
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, site, kazan_coordinator, secretariat, visitor):
    context, page = _phone_page(browser, live_server)
    if visitor == "officer":
        sign_in(page, kazan_coordinator.email)
    elif visitor == "secretariat":
        sign_in(page, secretariat.email)
    measured = _crawl(page, "/en/")
    context.close()
    assert len(measured) >= 8, sorted(measured)  # the crawl reached the site, not only the home page
    too_wide = {path: m for path, m in measured.items() if m["scroll"] > PHONE["width"]}
    assert not too_wide, too_wide


def test_header_folds_into_a_menu_on_a_phone(browser, live_server, site):
    context, page = _phone_page(browser, live_server)
    page.goto("/en/")
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 80, header  # the brand, the menu button and the language, not every link
    members = page.locator("header.top nav a", has_text="Members")
    assert not members.is_visible()
    page.locator("button.menu-button").click()
    assert page.locator("button.menu-button").get_attribute("aria-expanded") == "true"
    assert members.is_visible()
    members.click()
    page.wait_for_url("**/cities/**")
    context.close()


def test_tables_become_cards_on_a_phone(browser, live_server, site, secretariat):
    context, page = _phone_page(browser, live_server)
    page.goto("/en/cities/")
    table = page.locator("table.list").first
    table.wait_for()
    cell = table.locator("tbody td").nth(1)
    # Each cell is on a line of its own, labelled with its column's heading.
    assert cell.evaluate("el => getComputedStyle(el).display") == "block"
    heading = table.locator("thead th").nth(1).inner_text().strip()
    assert cell.get_attribute("data-label") == heading
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
