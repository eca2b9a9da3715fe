"""Markdown to safe HTML: rendered by `markdown`, then cleaned by `nh3` (an allow-list), so no script, style,
event handler or javascript: link survives whatever an author writes.

Line breaks are kept as typed: people write a list on new lines under a sentence ("Measures:" then "- a", "- b")
and lines of an address or a short enumeration one under the other. Strict Markdown would run them together into
one paragraph, so a single newline becomes a line break (`nl2br`) and a list that starts right under a line of
text starts a list all the same (`_open_lists`)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache, wraps

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}

# "- item", "* item", "+ item", "1. item", "1) item" at the start of a line (up to three spaces in, as Markdown).
LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


def _open_lists(text: str) -> str:
    """A blank line before a list item that directly follows a line of ordinary text (outside code fences), which
    is what Markdown needs to see a list there."""
    out: list[str] = []
    in_fence = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and LIST_ITEM.match(line) and out:
            previous = out[-1]
            if previous.strip() and not LIST_ITEM.match(previous) and not previous[:1].isspace():
                out.append("")
        out.append(line)
    return "\n".join(out)


# Rendering is a pure function of the text, and the same texts are shown again and again (a practice's summary on
# every list, search and recommendation page): results are kept per process. Building a Markdown converter costs
# more than converting a summary, so each thread keeps one and resets it between texts.
CACHED_TEXTS = 2048
CACHED_MAX_CHARS = 4_000  # summaries and passages; a whole description is rendered each time, not held
_local = threading.local()


def _converter() -> md.Markdown:
    converter: md.Markdown | None = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=["tables", "sane_lists", "nl2br"], output_format="html")
    return converter


def kept_when_short(render: Callable[[str], str]) -> Callable[[str], str]:
    """``render`` (a pure function of a text) with its results for texts of at most CACHED_MAX_CHARS kept per
    process; ``.cached`` is the lru_cache behind it."""
    cached = lru_cache(maxsize=CACHED_TEXTS)(render)

    @wraps(render)
    def kept(text: str) -> str:
        return cached(text) if len(text) <= CACHED_MAX_CHARS else render(text)

    kept.cached = cached  # type: ignore[attr-defined]
    return kept


def render_markdown(text: str) -> str:
    return _render(text or "")


@kept_when_short
def _render(text: str) -> str:
    html = _converter().reset().convert(_open_lists(text))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
