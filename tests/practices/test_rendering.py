"""Markdown rendering reuses one converter per thread and keeps results per process: neither may change what a
text renders to, whatever was rendered before it."""

from __future__ import annotations

import threading

import markdown as md
import nh3

from cityexchange.matching.snippet import plain_text
from cityexchange.practices import rendering
from cityexchange.practices.rendering import render_markdown

TEXTS = [
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Measures:\n- one\n- two",
    "**bold** and a [link](https://example.org) and <script>alert(1)</script>",
    "1. first\n2. second\n\nthen a paragraph\nwith a break",
    "# heading\n\n> quote\n\n```\ncode | not a table\n```",
]


def reference(text: str) -> str:
    """A fresh converter for every text: what rendering gave before converters were reused."""
    html = md.markdown(rendering._open_lists(text), extensions=["tables", "sane_lists", "nl2br"], output_format="html")
    return nh3.clean(html, tags=rendering.ALLOWED_TAGS, attributes=rendering.ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")


def test_a_reused_converter_renders_each_text_as_a_fresh_one_would() -> None:
    rendering._render.cached.cache_clear()
    for _round in range(2):  # the second round is answered from the cache
        for text in TEXTS + list(reversed(TEXTS)):
            assert render_markdown(text) == reference(text)
    assert "<table>" in render_markdown(TEXTS[0])
    assert "<script" not in render_markdown(TEXTS[2])


def test_long_texts_are_rendered_but_not_kept() -> None:
    rendering._render.cached.cache_clear()
    long_text = "word " * (rendering.CACHED_MAX_CHARS // 5 + 1)
    assert render_markdown(long_text) == reference(long_text)
    assert rendering._render.cached.cache_info().currsize == 0
    render_markdown("short")
    assert rendering._render.cached.cache_info().currsize == 1


def test_threads_render_with_their_own_converters() -> None:
    rendering._render.cached.cache_clear()
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        # Different texts per thread, long enough to skip the cache, so each conversion really runs concurrently.
        texts = [f"{t}\n\n{'x' * rendering.CACHED_MAX_CHARS} {n}" for t in TEXTS]
        results[n] = [render_markdown(t) == reference(t) for t in texts * 3]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results and all(all(ok) for ok in results.values())


def test_plain_text_is_the_same_from_the_cache() -> None:
    first = plain_text(TEXTS[0])
    assert first == plain_text(TEXTS[0]) == "a b 1 2"
