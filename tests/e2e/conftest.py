"""Browser tests: Playwright driving Debian's chromium (`/usr/bin/chromium`, installed by `make browser`)
against Django's live server. Run them alone with `pytest -m e2e`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without these flags chromium tries to reach Google's services, which this offline machine refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make browser`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Any, email: str, password: str | None = None) -> None:
    """Signs ``email`` in on ``page`` through the login form, as a person would."""
    from tests.registry.factories import PASSWORD

    page.goto("/en/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password or PASSWORD)
    page.click("form.narrow button.primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def login(page: Any) -> Any:
    """`login(email, password)` signs in through the login form on the test's page."""

    def do(email: str, password: str | None = None) -> None:
        sign_in(page, email, password)

    return do
