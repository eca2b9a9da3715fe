"""Pages, like the API, never answer 500 to an id beyond the database's range: every page route that takes an
integer is requested with 2^70 (as the secretariat, who may open the most pages) and must answer below 500."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

HUGE = str(2**70)


def routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def id_pages() -> list[str]:
    urls = []
    with translation.override("en"):  # the language prefix of the routes follows the active language
        found = list(routes(get_resolver().url_patterns))
    for route in found:
        if "<int:" not in route or route.startswith(("api/", "admin/")):
            continue
        url = re.sub(r"<int:\w+>", HUGE, route)
        url = re.sub(r"<(?:\w+:)?\w+>", "x", url)  # slugs, tokens…
        urls.append("/" + url)
    return urls


def test_the_route_list_is_not_empty() -> None:
    assert len(id_pages()) > 20
    assert f"/en/cities/{HUGE}/membership/" in id_pages()


@pytest.mark.django_db
def test_no_page_answers_500_to_an_id_beyond_the_range(secretariat: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(secretariat)
    errors = [(url, status) for url in id_pages() if (status := client.get(url).status_code) >= 500]
    assert errors == []
