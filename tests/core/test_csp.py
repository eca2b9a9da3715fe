"""Every page carries a Content-Security-Policy that allows scripts and styles from this site only, and no template
needs more: no inline <script>, inline event handler or style attribute (the browser test checks the pages live)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[2] / "src" / "cityexchange"
# The annual report is a self-contained print document (WeasyPrint) whose view widens style-src for itself.
SELF_CONTAINED = {"insights/templates/insights/report.html"}
INLINE = {
    "event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
}


def _templates() -> list[Path]:
    return [p for p in SRC.rglob("templates/**/*.html") if str(p.relative_to(SRC)) not in SELF_CONTAINED]


@pytest.mark.parametrize("kind", sorted(INLINE))
def test_no_template_needs_inline_code(kind: str) -> None:
    offenders = [str(p.relative_to(SRC)) for p in _templates() if INLINE[kind].search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_scan_finds_what_it_looks_for() -> None:
    sample = '<select onchange="this.form.submit()"><script>x()</script><i style="color:red"></i><style>b{}</style>'
    assert all(pattern.search(sample) for pattern in INLINE.values())
    assert not any(p.search('<script src="/static/js/actions.js" defer></script>') for p in INLINE.values())


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/practices/", "/en/accounts/login/", "/api/v1/docs", "/api/v1/figures"])
def test_every_answer_carries_the_policy(client: Client, reference: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_only_the_printable_report_allows_its_inline_styles(client: Client, secretariat: Any) -> None:
    client.force_login(secretariat)
    response = client.get("/en/insights/report/?format=html")
    assert response.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
