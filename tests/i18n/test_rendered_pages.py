"""Every main page of every app, rendered in every language but English, shows no English interface words. User
content (marked with its own `lang`) and scripts are left out; what remains is the interface, which must be in the
page's language. A failure names the page, the language and the English words with what surrounds them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from tests.i18n import world as world_builder
from tests.i18n.extraction import ui_languages
from tests.i18n.pseudo import pseudo_translations
from tests.i18n.visible_text import english_left, interface_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(secretariat: Any, kazan: Any, sao_paulo: Any, django_capture_on_commit_callbacks: Any) -> Any:
    yield from world_builder.built(secretariat, kazan, sao_paulo, django_capture_on_commit_callbacks)


def signed_in_pages(w: world_builder.World) -> dict[str, str]:
    return {
        "home": "",
        "members": "cities/",
        "city page": f"cities/{w.kazan.pk}/",
        "practice library": "practices/",
        "a practice": f"practices/{w.practice.pk}/",
        "an English practice": f"practices/{w.english_practice.pk}/",
        "my city": "practices/my-city/",
        "search with results": f"matching/?q={world_builder.BUS_QUERY}",
        "challenges": "challenges/",
        "a challenge": f"challenges/{w.challenge.pk}/",
        "recommendations": f"matching/challenges/{w.challenge.pk}/",
        "cooperation": "cooperation/",
        "a cooperation": f"cooperation/{w.cooperation.pk}/",
        "agreements register": "cooperation/register/",
        "forum events": "forum/",
        "forum event": f"forum/{w.event.slug}/",
        "forum agenda": f"forum/{w.event.slug}/agenda/",
        "insights dashboard": "insights/",
        "governance home": "governance/",
        "a working group": f"governance/groups/{w.group.pk}/",
        "documents": "governance/documents/",
        "a vote": f"governance/votes/{w.vote.pk}/",
        "votes": "governance/votes/",
        "working groups": "governance/groups/",
        "cities like this one": f"matching/cities/{w.kazan.pk}/",
        "alerts": "matching/alerts/",
        "forum delegates": f"forum/{w.event.slug}/delegates/",
        "forum requests": f"forum/{w.event.slug}/requests/",
        "insights map": "insights/map/",
        "insights network": "insights/network/",
        "profile": "accounts/me/",
        "new practice form": "practices/new/",
        "new challenge form": "challenges/new/",
        "contact form": f"cooperation/contact/new/?practice={w.practice.pk}",
    }


ANONYMOUS_PAGES = {"sign-in": "accounts/login/", "sign-up": "accounts/signup/"}


def english_on_main_pages(client: Any, world: world_builder.World, lang: str) -> list[str]:
    problems: list[str] = []

    def check(name: str, path: str) -> None:
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200, f"{name} (/{lang}/{path}) answered {response.status_code}"
        html = response.content.decode()
        assert f'lang="{lang}"' in html.split(">", 2)[1], f"{name}: the page does not declare lang={lang}"
        problems.extend(f"{name} /{lang}/{path}: …{found}…" for found in english_left(html))

    for name, path in ANONYMOUS_PAGES.items():
        check(name, path)
    client.force_login(world.officer)
    for name, path in signed_in_pages(world).items():
        check(name, path)
    client.logout()
    return problems


@pytest.mark.parametrize("lang", ui_languages())
def test_main_pages_show_no_english(client: Any, world: world_builder.World, lang: str) -> None:
    """Fails until every catalogue is translated (and on any string not marked for translation)."""
    problems = english_on_main_pages(client, world, lang)
    assert not problems, f"{len(problems)} English words in {lang} pages:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ui_languages())
def test_main_pages_have_every_interface_string_marked(client: Any, world: world_builder.World, lang: str) -> None:
    """The same pages with a stand-in for every translation a catalogue still lacks: English left now is a string
    never marked for translation, or data shown without its language (fails whatever the translators' progress)."""
    with pseudo_translations():
        problems = english_on_main_pages(client, world, lang)
    assert not problems, f"{len(problems)} English words not marked for translation in {lang} pages:\n" + "\n".join(
        problems
    )


def test_search_page_shows_its_results(client: Any, world: world_builder.World) -> None:
    """The search page of the check really lists the practice (a page with no results would hide their labels)."""
    client.force_login(world.officer)
    html = client.get(f"/ru/matching/?q={world_builder.BUS_QUERY}").content.decode()
    assert f'data-practice="{world.practice.pk}"' in html


def test_user_content_is_left_out_by_its_lang_only() -> None:
    page = (
        '<html lang="ru"><body><p>Поиск</p><h2 lang="en">Why the lights matched</h2>'
        '<p lang="ru">Это the end</p><script>var Search = 1</script>'
        '<input type="submit" value="Search"><a title="Sign in">Войти</a></body></html>'
    )
    assert "Why" not in interface_text(page) and "var" not in interface_text(page)
    found = english_left(page)
    assert len(found) == 3 and "Это the end" in found[0]  # same language as the page: not content
    assert any("Search" in f for f in found) and any("Sign in" in f for f in found)


def test_english_words_are_found_only_as_whole_words() -> None:
    assert english_left('<html lang="es"><p>Opciones de búsqueda, theatre, Searching</p></html>') == []
    assert english_left('<html lang="es"><p>Opción: Option</p></html>') != []


def test_the_server_error_page_speaks_the_readers_language() -> None:
    """Rendered with no context at all, as Django renders it when a page fails."""
    from django.template import loader

    with translation.override("ar"), pseudo_translations():
        html = loader.get_template("500.html").render()
    assert '<html lang="ar" dir="rtl">' in html and not english_left(html)
