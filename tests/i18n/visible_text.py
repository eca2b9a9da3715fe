"""The text a reader of a page sees as interface: everything but scripts, styles and user content. User content
is recognised by its `lang` attribute: an element whose language differs from the page's is someone's writing (or
a name in its own language), not the interface."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Words that appear in a page of another language only when something was left untranslated. Capitalised words
# are matched as written, so a lower-case word of another language never trips them. Words some of the languages
# share with English ("Forum", "Agenda", "Sector") are not on the list.
ENGLISH_WORDS = [
    "the",
    "and",
    "Search",
    "Practice",
    "Practices",
    "Challenge",
    "Sign in",
    "Sign up",
    "Why",
    "matched",
    "Option",
    "Contract",
    "Useful",
    "Transfer fit",
    "Cities like",
    "My cooperations",
    "Members",
    "Population",
    "Results",
    "Problem",
    "Solution",
    "Working group",
    "Documents",
    "Translation",
    "Cooperation",
    "Show",
    "more",
    "View",
    "Edit",
    "None",
]
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w-])")
# <title> is left out: it repeats the page's heading (checked there) after a user's title it cannot mark as being
# in another language.
SKIPPED = {"script", "style", "template", "svg", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def _base(code: str) -> str:
    return code.lower().split("-")[0]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = ""
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden: inside user content or a script)
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.page_lang = values.get("lang") or ""
        lang = values.get("lang")
        hidden = self.hidden or tag in SKIPPED or (lang is not None and _base(lang) != _base(self.page_lang))
        if not hidden:
            self.parts.extend(v for k, v in attrs if k in VISIBLE_ATTRIBUTES and v)
            if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
                self.parts.append(values["value"] or "")
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open tag (HTML lets some end tags be left out).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def interface_text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return " ".join(" ".join(reader.parts).split())


def english_left(html: str) -> list[str]:
    """Each English word found in the interface text, with a little of what surrounds it."""
    text = interface_text(html)
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in PATTERN.finditer(text)]
