"""Every UI language in a real browser: the main pages declare their language and direction (right to left for
Arabic and Persian) and show no English words outside user content. One browser page visits them all."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.i18n import world as world_builder
from tests.i18n.visible_text import PATTERN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The text a reader sees, less scripts, styles and every element in another language than the page's (user
# content carries its own lang). Run in the page, on a copy of the body.
INTERFACE_TEXT = """() => {
  const base = (code) => (code || '').toLowerCase().split('-')[0];
  const page = base(document.documentElement.lang);
  const body = document.body.cloneNode(true);
  body.querySelectorAll('script, style, template, svg, noscript').forEach((e) => e.remove());
  body.querySelectorAll('[lang]').forEach((e) => { if (base(e.getAttribute('lang')) !== page) e.remove(); });
  body.querySelectorAll('[hidden]').forEach((e) => e.remove());
  return body.textContent.replace(/\\s+/g, ' ');
}"""


@pytest.fixture
def world(secretariat: Any, kazan: Any, sao_paulo: Any, django_capture_on_commit_callbacks: Any) -> Any:
    yield from world_builder.built(secretariat, kazan, sao_paulo, django_capture_on_commit_callbacks)


def test_every_language_in_the_browser(page: Any, login: Any, world: world_builder.World) -> None:
    login(world.officer.email)
    paths = {
        "home": "",
        "practice library": "practices/",
        "a practice": f"practices/{world.practice.pk}/",
        "search with results": f"matching/?q={world_builder.BUS_QUERY}",
        "recommendations": f"matching/challenges/{world.challenge.pk}/",
        "forum agenda": f"forum/{world.event.slug}/agenda/",
    }
    problems: list[str] = []
    for lang, _name in settings.LANGUAGES:
        direction = "rtl" if lang in settings.LANGUAGES_BIDI else "ltr"
        for name, path in paths.items():
            response = page.goto(f"/{lang}/{path}")
            assert response is not None and response.status == 200, f"/{lang}/{path} answered {response}"
            html = page.locator("html")
            if html.get_attribute("lang") != lang or html.get_attribute("dir") != direction:
                problems.append(f"/{lang}/{path}: lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}")
            if name == "search with results" and not page.locator(f"[data-practice='{world.practice.pk}']").count():
                problems.append(f"/{lang}/{path}: the practice is not among the results")
            if lang == "en":
                continue
            text = page.evaluate(INTERFACE_TEXT)
            problems.extend(
                f"/{lang}/{path}: …{text[max(0, m.start() - 40) : m.end() + 40]}…" for m in PATTERN.finditer(text)
            )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
