"""Strong and possible matches: a calibrated floor on the engine's fused score, per length of query.

A hit at or above the floor of its query's length band is a *strong* match, anything below a *possible* one. The
floor is a property of the model and the fusion (centred cosine + weighted share of the query's words found), not
of a result list: it is never a fixed number of hits, and a search may rightly have no strong match at all.

Why per length: the model's scores live on different scales for different shapes of query. A question of a dozen
words scores its answer higher than two typed keywords ("bus lanes") score a whole practice on bus lanes, and a
challenge's description of a hundred words, with its several aspects, scores its best practice lower again. One
floor fitted to questions called nearly every keyword or challenge match "possible"; one fitted to keywords would
call half the answers to a question "strong". So the floor is read from the band the query's length falls in.

The values are chosen by ``benchmarks/calibration.py`` on XQuAD-R, in one multilingual pool as the platform's index
is: short topic queries (the articles' titles), questions, and whole paragraphs used as long queries, each judged
on sentences and on paragraphs split into passages as a practice is. Each band's floor maximises the F1 of "this
hit is relevant" among the top 10, averaged with equal weight over the language pairs and shapes whose queries
fall in that band. The figures are in docs/benchmarks-calibration.md; the script recomputes them from these
constants, so change them only together with a new run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from .tokenize import UNSPACED, script_of

Strength = Literal["strong", "possible"]
Band = Literal["short", "sentence", "long"]

# Upper bound (inclusive, in words) of the short and the sentence bands; longer queries are "long".
SHORT_MAX_WORDS = 4
SENTENCE_MAX_WORDS = 30

# The calibrated floors (benchmarks/calibration.py).
STRONG_MATCH_SCORES: dict[Band, float] = {"short": 0.295, "sentence": 0.395, "long": 0.245}

# Characters per word in scripts written without spaces (averages of running text): Chinese and Japanese words are
# one or two characters, Thai, Lao, Khmer and Burmese words several letters with their vowel and tone marks.
_CHARS_PER_WORD = {"han": 1.7, "kana": 1.7}
_CHARS_PER_WORD_DEFAULT = 6.0


def query_words(text: str) -> float:
    """The length of ``text`` in words, for any script: spaced words are counted, and a run of an unspaced
    script counts as its letters divided by that script's average word length."""
    words = 0.0
    for chunk in text.split():
        scripts = [s for s in map(script_of, chunk) if s]
        unspaced = [s for s in scripts if s in UNSPACED]
        if not unspaced or len(unspaced) <= len(scripts) / 2:
            words += 1
            continue
        script = max(set(unspaced), key=unspaced.count)
        words += max(1.0, len(unspaced) / _CHARS_PER_WORD.get(script, _CHARS_PER_WORD_DEFAULT))
    return words


# A result list labels every hit from the same query (up to 2,000 characters for a challenge): its band is read
# once, not once per hit (~0.5 ms each for a long text).
@lru_cache(maxsize=1024)
def band(query: str) -> Band:
    words = query_words(query)
    if words <= SHORT_MAX_WORDS:
        return "short"
    return "sentence" if words <= SENTENCE_MAX_WORDS else "long"


def floor(query: str | None) -> float:
    """The strong-match floor for ``query``; without a query, the sentence band's."""
    return STRONG_MATCH_SCORES["sentence" if query is None else band(query)]


def strength(score: float, query: str | None = None) -> Strength:
    """ "strong" when the engine's fused score reaches the calibrated floor of the query's band, else
    "possible"."""
    return "strong" if score >= floor(query) else "possible"
