"""Split documents into passages: the title, then overlapping windows of the body.

Why: the embedding model reads at most 512 tokens and a long practice description blurs into one average
vector; BM25 too favours a passage that concentrates the query's terms. A document scores as its best passage
(``engine.py``), and that passage is what the UI shows as "why it matched".

Window sizes are counted in words, or in characters for scripts written without spaces (a Chinese or Thai
"word" would be the whole paragraph). The title is prefixed to every window so each passage keeps its topic.
"""

from __future__ import annotations

import re

from .tokenize import UNSPACED, script_of

WINDOW_WORDS = 120
OVERLAP_WORDS = 30
# Characters per window for unspaced scripts: Thai and Chinese take 0.5-1 model token per character, so this
# stays within the model's 512 tokens while not cutting ordinary sentences into fragments (fragments of a
# long sentence, each scored on its own, outrank whole sentences too easily).
WINDOW_CHARS = 480
OVERLAP_CHARS = 120

_SPACE = re.compile(r"\s+")


def _unspaced(text: str) -> bool:
    sample = [s for s in map(script_of, text[:400]) if s]
    return bool(sample) and sum(s in UNSPACED for s in sample) > len(sample) / 2


def _windows(units: list[str], size: int, overlap: int, joiner: str) -> list[str]:
    if len(units) <= size:
        return [joiner.join(units)]
    step = max(size - overlap, 1)
    out = []
    for start in range(0, len(units), step):
        out.append(joiner.join(units[start : start + size]))
        if start + size >= len(units):
            break
    return out


def split_passages(
    title: str,
    text: str,
    window_words: int = WINDOW_WORDS,
    overlap_words: int = OVERLAP_WORDS,
) -> list[str]:
    """Passages of a document; always at least one, even for an empty body."""
    title = _SPACE.sub(" ", title).strip()
    body = _SPACE.sub(" ", text).strip()
    if not body:
        return [title]
    if _unspaced(body):
        scale = WINDOW_CHARS / WINDOW_WORDS
        windows = _windows(list(body), int(window_words * scale), int(overlap_words * scale), "")
    else:
        windows = _windows(body.split(" "), window_words, overlap_words, " ")
    if not title:
        return windows
    return [f"{title}. {w}" for w in windows]
