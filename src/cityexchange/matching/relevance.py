"""Strong and possible matches: one calibrated floor on the engine's fused score.

A hit at or above :data:`STRONG_MATCH_SCORE` is a *strong* match, anything below a *possible* one. The floor is
a property of the model and the fusion (centred cosine + weighted share of the query's words found), not of a
result list: it is never a fixed number of hits, and a search may rightly have no strong match at all.

The value was chosen by ``benchmarks/calibration.py`` on XQuAD-R, in one multilingual pool as the platform's
index is, with single sentences and with whole paragraphs split into passages as a practice is: it maximises
the F1 of "this hit is relevant" among the top 10, averaged with equal weight over the language pairs and both
shapes, so that no single language or shape decides it. The figures per pair, and at this value, are in
docs/benchmarks-calibration.md; the script recomputes them from this constant, so change it only together with
a new run.
"""

from __future__ import annotations

from typing import Literal

Strength = Literal["strong", "possible"]

STRONG_MATCH_SCORE = 0.38


def strength(score: float) -> Strength:
    """ "strong" when the engine's fused score reaches the calibrated floor, else "possible"."""
    return "strong" if score >= STRONG_MATCH_SCORE else "possible"
