"""Fuse the dense and the lexical score of each passage.

BM25 wins inside some languages (Thai, Vietnamese: exact terms and names), the dense model wins across
languages, where BM25 is near zero. A fixed blend or reciprocal-rank fusion gives BM25's ranking the same say
whether or not the query's words occur in the corpus at all; for a Russian question over English sentences,
BM25's top ranks are then noise (shared digits, a stray Latin name) and drag the dense ranking down.

So the lexical side enters as an *absolute* quantity: BM25 divided by the query's reference weight
(``LexicalIndex.scores``), i.e. the rarity-weighted share of the query that the passage literally contains. A
passage that contains the query's rare terms gets up to ``lexical_weight`` added to its cosine; a passage in
another language contains none of them and keeps its dense score untouched. The adaptivity comes from the
data, not from a per-pair switch: no language pair, query id or corpus is special-cased.

``lexical_weight`` was chosen on the even-numbered half of the XQuAD-R questions of the en->en, es->en and
ar->en pairs (0.1 and 0.2 were tried: 0.2 best on en->en, both neutral across languages); the reported figures
use all questions, so they include that half (docs/benchmarks-retrieval.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Scores = npt.NDArray[np.float32]


@dataclass(frozen=True)
class FusionConfig:
    lexical_weight: float = 0.15
    # Beyond this share, more repetitions of the query's terms stop adding: long keyword-stuffed passages
    # should not outrank a passage the model finds clearly closer.
    lexical_cap: float = 1.0


def lexical_share(bm25: Scores, reference: float, cap: float) -> Scores:
    if reference <= 0:
        return np.zeros_like(bm25)
    return np.minimum(bm25 / np.float32(reference), np.float32(cap))


def fuse(dense: Scores, bm25: Scores, reference: float, config: FusionConfig, same_language: float = 1.0) -> Scores:
    """Fused score per passage: cosine + weight x lexical share (both arrays over the same rows).

    ``same_language`` is the share of the index written in the query's language. Words can only match
    passages of the query's language, so in a multilingual pool the lexical side is a same-language bonus:
    at full weight it would lift every same-language passage that shares a word above answers in other
    languages (pooled LAReQA mAP fell from about 0.55 to 0.36 at weight 0.15). Scaling the weight by that
    share keeps BM25's full say in a one-language pool and fades it as the pool gets more languages.
    """
    weight = np.float32(config.lexical_weight * same_language)
    return dense + weight * lexical_share(bm25, reference, config.lexical_cap)
