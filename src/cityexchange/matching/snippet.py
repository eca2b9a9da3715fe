"""The passage that matched, as a person reads it: plain text (no Markdown syntax), cut around the first match,
with the query's words marked.

The passage is a window of the practice's Markdown, so it may start or end inside a construct (half a bold
span, a table row). It is rendered by the practices' own Markdown renderer (cleaned by nh3), reduced to its
text, and what Markdown left as literal punctuation is dropped. Highlighting uses the search engine's own
tokens (``tokenize.py``): whole words in scripts written with spaces, the matched character bigrams (and
trigrams for Thai) in Chinese, Japanese and Thai. Everything is escaped before ``<mark>`` is added.
"""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cityexchange.practices.rendering import kept_when_short, render_markdown

from .tokenize import _STOPWORDS, _UNSPACED_RUN, _WORD, _clusters, normalise, script_of, tokenize

# Markdown punctuation left over when a window cut a construct in half, and table rules.
_LEFTOVER = re.compile(r"\*\*|__|~~|`+|^\s*#{1,6}\s+|^\s*>\s*|\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", re.M)
_PIPES = re.compile(r"\s*\|\s*")
_SPACES = re.compile(r"\s+")
_STOP = frozenset().union(*_STOPWORDS.values())


@kept_when_short  # a pure function of the text, shown on every list
def plain_text(markdown: str) -> str:
    """The text of a Markdown fragment without any of its syntax."""
    rendered = render_markdown(markdown)
    # One space where a block or a line ends, so paragraphs and table cells do not run together.
    rendered = re.sub(r"</(p|li|h\d|td|th|tr|blockquote|pre)>|<br\s*/?>", " ", rendered)
    text = html.unescape(nh3.clean(rendered, tags=set()))
    text = _LEFTOVER.sub(" ", text)
    text = _PIPES.sub(" · ", text) if "|" in text else text
    return _SPACES.sub(" ", text).strip(" ·")


def query_terms(query: str) -> frozenset[str]:
    """The query's tokens worth marking: not the most frequent function words, and no word of one or two letters
    in a script written with spaces ("на", "и", "में" would light up every line). Character pairs of Chinese,
    Japanese and Thai are kept: they are the tokens of those scripts."""
    return frozenset(t for t in tokenize(query) if t not in _STOP and (len(t) > 2 or _UNSPACED_RUN.search(t)))


def _marked_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for word in _WORD.finditer(text):
        token = normalise(word.group())
        if not _UNSPACED_RUN.search(token):
            if token in terms:
                spans.append(word.span())
            continue
        # Unspaced scripts: mark each character n-gram the query shares, cluster by cluster.
        offset = word.start()
        units = _clusters(word.group())
        starts = []
        pos = offset
        for unit in units:
            starts.append(pos)
            pos += len(unit)
        starts.append(pos)
        for n in (2, 3) if script_of(units[0][0]) == "thai" else (2,):
            if len(units) <= n and normalise("".join(units)) in terms:
                spans.append((starts[0], starts[-1]))
                continue
            for i in range(len(units) - n + 1):
                if normalise("".join(units[i : i + n])) in terms:
                    spans.append((starts[i], starts[i + n]))
        # A word mixing scripts (a Latin name inside Chinese text) is matched as its spaced-script pieces.
        for piece in re.finditer(r"[^\W\d_]+|\d+", word.group()):
            if not _UNSPACED_RUN.search(piece.group()) and normalise(piece.group()) in terms:
                spans.append((offset + piece.start(), offset + piece.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, first: int | None, size: int) -> tuple[int, int]:
    """A window of about ``size`` characters that shows the first match, cut at spaces where there are any."""
    if len(text) <= size:
        return 0, len(text)
    start = 0 if first is None or first < size * 2 // 3 else max(0, first - size // 4)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > start - 30 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > end - 30 else end
    return start, end


def highlight(markdown: str, query: str, *, size: int = 360, title: str = "") -> SafeString:
    """The passage as escaped plain text of about ``size`` characters with ``<mark>`` around the query's words
    (or, in Chinese, Japanese and Thai, around the character pairs it shares with the query). A passage opens
    with the practice's title, which the page shows above it: ``title`` is left out there."""
    text = plain_text(markdown)
    heading = plain_text(title) if title else ""
    while heading and text.startswith(heading):
        text = text[len(heading) :].lstrip(" .:·—-")
    spans = _marked_spans(text, query_terms(query)) if query else []
    start, end = _window(text, spans[0][0] if spans else None, size)
    out = ["…" if start else ""]
    pos = start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def shares_words(markdown: str, query: str) -> bool:
    return bool(_marked_spans(plain_text(markdown), query_terms(query)))
