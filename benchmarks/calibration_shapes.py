"""Query shapes for the calibration beyond XQuAD-R's questions: short topic queries and long paragraph queries.

People do not only ask questions. On the platform they type two or three words ("bus lanes", "alerta de
enchentes") or a challenge of a hundred words is matched against every practice. XQuAD-R holds both shapes
without anything added:

* **topic** — each article's title ("Nikola Tesla", "Computational complexity theory", "Southern California": a
  few words, English only in the data) as a query; every paragraph of that article, in every pool language, is
  relevant. Like a keyword search for a subject.
* **long** — a whole paragraph in one language as the query; the *other* paragraphs of the same article are
  relevant, and the paragraph's own translations are left out of the ranking (finding one's own translation is
  not relevance). Like a challenge's description matched against practices on the same subject.

Relevance here is "the same subject", looser than a question's answer sentence, as it is between a challenge and
a practice. Only paragraphs (split into passages as a practice is) are judged for these shapes: a single sentence
of an article is often not about its subject at all.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cityexchange.matching.beir import Query
from cityexchange.matching.engine import Doc

TITLE_LANG = "en"


@dataclass(frozen=True)
class Shaped:
    """A query of one shape with what is relevant to it and what is left out of its ranking."""

    shape: str
    query: Query
    relevant: frozenset[str]
    excluded: frozenset[str] = field(default_factory=frozenset)


def article_of(doc_id: str) -> str:
    """ "en-12-3-4" or "para-en-12-3" -> "12"."""
    return doc_id.removeprefix("para-").split("-")[1]


def paragraph_key(doc_id: str) -> str:
    """ "para-en-12-3" -> "12-3": the same paragraph in every language."""
    return "-".join(doc_id.removeprefix("para-").split("-")[1:3])


def paragraphs(sentences: list[Doc]) -> list[Doc]:
    """Each paragraph of the sentences' languages as one document, its sentences in order."""
    by_para: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for d in sentences:
        lang, article, para, n = d.id.split("-")
        by_para[(lang, f"para-{lang}-{article}-{para}")].append((int(n), d.text))
    joiner = {"zh": "", "th": ""}
    return [
        Doc(key, "", joiner.get(lang, " ").join(t for _n, t in sorted(rows)), lang)
        for (lang, key), rows in sorted(by_para.items())
    ]


def titles(src: Path) -> dict[str, str]:
    raw = json.loads((src / f"{TITLE_LANG}.json").read_text(encoding="utf-8"))
    return {str(a): article["title"].replace("_", " ") for a, article in enumerate(raw["data"])}


def topic_queries(src: Path, pool: list[Doc]) -> list[Shaped]:
    by_article: dict[str, set[str]] = defaultdict(set)
    for d in pool:
        if d.id.startswith("para-"):
            by_article[article_of(d.id)].add(d.id)
    return [
        Shaped("topic", Query(f"topic-{a}", title, TITLE_LANG), frozenset(by_article[a]))
        for a, title in sorted(titles(src).items(), key=lambda kv: int(kv[0]))
        if by_article.get(a)
    ]


def long_queries(texts: list[Doc], pool: list[Doc], per_language: int, seed: int = 23) -> list[Shaped]:
    """``per_language`` paragraphs of each language of ``texts`` as queries, judged against the pool's
    paragraphs."""
    by_article: dict[str, set[str]] = defaultdict(set)
    by_paragraph: dict[str, set[str]] = defaultdict(set)
    for d in pool:
        if d.id.startswith("para-"):
            by_article[article_of(d.id)].add(d.id)
            by_paragraph[paragraph_key(d.id)].add(d.id)
    by_lang: dict[str, list[Doc]] = defaultdict(list)
    for d in texts:
        by_lang[d.lang or ""].append(d)
    rng = random.Random(seed)
    out = []
    for lang, docs in sorted(by_lang.items()):
        for d in sorted(rng.sample(docs, min(per_language, len(docs))), key=lambda d: d.id):
            own = frozenset(by_paragraph[paragraph_key(d.id)])
            relevant = frozenset(by_article[article_of(d.id)] - own)
            if relevant:
                out.append(Shaped("long", Query(f"long-{d.id}", d.text, lang), relevant, own))
    return out
