"""No page loads anything from another host: every asset is served by the site itself (it must work offline and
behind a strict network policy), the API docs included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.challenges.factories import ChallengeFactory
from tests.forum.factories import EventFactory
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db

OTHER_HOST = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
# Pages that answer GET with something other than a page to check, or change state on GET by design.
SKIP = {"accounts:logout", "set_language", "javascript-catalog"}


class AssetReferences(HTMLParser):
    """Collects every address a page points at in src, href, srcset, poster and CSS url(...)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in ("src", "href", "poster", "data", "action"):
                self.found.append(value)
            elif name in ("srcset", "imagesrcset"):
                self.found.extend(part.strip().split(" ")[0] for part in value.split(",") if part.strip())
            elif name == "style":
                self.found.extend(CSS_URL.findall(value))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(CSS_URL.findall(data))


def other_hosts(html: str, own: str = "testserver") -> list[str]:
    parser = AssetReferences()
    parser.feed(html)
    own_prefixes = (f"http://{own}", f"https://{own}", f"//{own}")
    return [ref for ref in parser.found if OTHER_HOST.match(ref) and not ref.strip().lower().startswith(own_prefixes)]


def test_the_check_sees_every_kind_of_reference():
    html = """<link rel="stylesheet" href="https://cdn.example.com/a.css"><script src="//cdn.example.com/a.js"></script>
    <img srcset="/static/a.png 1x, http://img.example.com/b.png 2x"><div style="background:url('https://x.org/i.png')">
    <style>body{background:url(//fonts.example.com/f.woff)}</style><img src="/static/ok.png">
    <a href="http://testserver/en/">self</a>"""
    assert other_hosts(html) == [
        "https://cdn.example.com/a.css",
        "//cdn.example.com/a.js",
        "http://img.example.com/b.png",
        "https://x.org/i.png",
        "//fonts.example.com/f.woff",
    ]


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def pages_without_arguments() -> list[str]:
    urls = []
    for name in sorted(set(named_patterns())):
        if name in SKIP or name.startswith("admin:") or name.startswith("api:"):
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # needs arguments
    return urls


def pages_with_ids(kazan: Any) -> list[str]:
    practice = PracticeFactory(city=kazan, status="published")
    challenge = ChallengeFactory(city=kazan, is_public=True)
    event = EventFactory(city=kazan)
    return [
        reverse("registry:city", kwargs={"city_id": kazan.pk}),
        reverse("registry:team", kwargs={"city_id": kazan.pk}),
        reverse("practices:detail", kwargs={"practice_id": practice.pk}),
        reverse("challenges:detail", kwargs={"challenge_id": challenge.pk}),
        reverse("matching:recommendations", kwargs={"challenge_id": challenge.pk}),
        reverse("matching:peers", kwargs={"city_id": kazan.pk}),
        reverse("cooperation:city", kwargs={"city_id": kazan.pk}),
        reverse("forum:event", kwargs={"slug": event.slug}),
        reverse("forum:manage", kwargs={"slug": event.slug}),
        "/api/v1/docs",
    ]


def test_no_page_loads_anything_from_another_host(client, kazan, kazan_coordinator, secretariat):
    urls = pages_without_arguments()
    assert len(urls) > 20 and "/en/accounts/login/" in urls  # the walk found the site's pages
    urls += pages_with_ids(kazan)
    checked: dict[str, int] = {}
    offenders: dict[str, list[str]] = {}
    for who in (None, kazan_coordinator, secretariat):
        client.logout()
        if who is not None:
            client.force_login(who)
        for url in urls:
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
                continue
            if response.status_code == 200:
                checked[url] = checked.get(url, 0) + 1
            found = other_hosts(response.content.decode())
            if found:
                offenders[f"{url} ({who or 'visitor'}, {response.status_code})"] = found
    assert not offenders, offenders
    assert "/api/v1/docs" in checked and len(checked) > 20


def test_api_docs_are_served_from_the_site(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="(/static/ninja/[^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, asset
    assert '"validatorUrl": null' in html  # no validator badge fetched from swagger.io
