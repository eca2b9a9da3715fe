"""Mixed scripts: every piece of user content shown in an Arabic page sits in an element that isolates it
(dir="auto" or <bdi>), and content whose language is known carries it, so Russian or Portuguese text keeps its
punctuation and figures in place inside right-to-left text and a browser's page translation reads it right."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from tests.i18n import world as world_builder

pytestmark = pytest.mark.django_db


class _Occurrences(HTMLParser):
    """Each text node containing `needle`, with the open elements around it."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, needle: str) -> None:
        super().__init__(convert_charrefs=True)
        self.needle = needle
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.found: list[list[tuple[str, dict[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.needle in data and not any(
            tag in {"script", "style", "title", "textarea", "option"} for tag, _a in self.stack
        ):
            self.found.append(list(self.stack))


def unisolated(html: str, text: str, lang: str | None) -> list[str]:
    """Where `text` shows without isolation (or, when `lang` is given, without that language), described."""
    parser = _Occurrences(text)
    parser.feed(html)
    problems = []
    for stack in parser.found:
        inner = stack[-1][0] if stack else "?"
        isolated = any(tag == "bdi" or attrs.get("dir") == "auto" for tag, attrs in stack)
        langs = [attrs["lang"] for _tag, attrs in stack if attrs.get("lang")]
        if not isolated:
            problems.append(f"{text!r} in <{inner}> without dir=auto")
        elif lang and (not langs or langs[-1] != lang):
            problems.append(f"{text!r} in <{inner}> marked {langs[-1] if langs else 'nothing'}, not {lang}")
    return problems


@pytest.fixture
def world(secretariat: Any, kazan: Any, sao_paulo: Any, django_capture_on_commit_callbacks: Any) -> Any:
    yield from world_builder.built(secretariat, kazan, sao_paulo, django_capture_on_commit_callbacks)


def test_user_content_in_an_arabic_page_is_isolated_and_marked_with_its_language(client: Any, world: Any) -> None:
    w = world
    practice, challenge = (w.practice.title, "pt"), (w.challenge.title, "ru")
    checks: dict[str, list[tuple[str, str | None]]] = {
        "practices/": [practice],
        f"practices/{w.practice.pk}/": [practice, (w.practice.summary, "pt")],
        f"matching/?q={world_builder.BUS_QUERY}": [practice],
        f"challenges/{w.challenge.pk}/": [challenge],
        f"matching/challenges/{w.challenge.pk}/": [challenge],
        "cooperation/": [(w.cooperation.title, None)],
        f"cooperation/{w.cooperation.pk}/": [(w.cooperation.title, None)],
        f"forum/{w.event.slug}/": [(w.event.name, None), ("Пленарное заседание", None)],
        f"forum/{w.event.slug}/agenda/": [("Заместитель мэра", None)],
        "governance/": [(w.vote.title, None)],
        f"governance/votes/{w.vote.pk}/": [(w.vote.title, None)],
        f"governance/groups/{w.group.pk}/": [practice, (w.english_practice.title, "en")],
        f"governance/documents/{w.document.pk}/": [("Статья 1. Название.", "ru")],
    }
    client.force_login(w.officer)
    problems = []
    for path, contents in checks.items():
        html = client.get(f"/ar/{path}").content.decode()
        for text, lang in contents:
            if text not in html:
                problems.append(f"/ar/{path}: {text!r} is not on the page")
            problems.extend(f"/ar/{path}: {p}" for p in unisolated(html, text, lang))
    assert not problems, "\n".join(problems)


def test_city_names_are_isolated_in_the_readers_script(client: Any, world: Any) -> None:
    client.force_login(world.officer)
    html = client.get(f"/ar/practices/{world.practice.pk}/").content.decode()
    assert not unisolated(html, "São Paulo", None)  # no Arabic name given to the test city: isolated Latin


def test_the_check_itself_finds_content_left_bare() -> None:
    page = '<html lang="ar"><p>عنوان: Автобусы</p><p><bdi lang="ru">Автобусы</bdi></p><p dir="auto">Автобусы</p></html>'
    assert unisolated(page, "Автобусы", None) == ["'Автобусы' in <p> without dir=auto"]
    assert len(unisolated(page, "Автобусы", "ru")) == 2  # the bare one and the one without lang
