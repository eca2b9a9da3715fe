"""A practice's cost band and its cost: one may not contradict the other.

The band is in the practice's own currency, like the amount beside it ("1 – 10 million RUB"): there is no
conversion table in the platform, and a fixed one would age and make a practice's band change with exchange rates
nobody entered. So "1 – 10 million" with 640,000,000 RUB is refused, and a band left empty is taken from the amount.
Both bounds of a band count as inside it: 1,000,000 fits "100,000 – 1 million" and "1 – 10 million".
"""

from __future__ import annotations

from .models import Practice

Band = Practice.CostBand
# Lowest and highest amount of each band (inclusive); None: no upper bound.
BOUNDS: dict[str, tuple[int, int | None]] = {
    Band.UNDER_100K: (0, 100_000),
    Band.FROM_100K: (100_000, 1_000_000),
    Band.FROM_1M: (1_000_000, 10_000_000),
    Band.OVER_10M: (10_000_000, None),
}


def band_fits(band: str, amount: int) -> bool:
    low, high = BOUNDS[band]
    return low <= amount and (high is None or amount <= high)


def band_for(amount: int) -> str:
    """The band an amount belongs to (the lower band on a boundary: 1,000,000 is "100,000 – 1 million")."""
    for band, (_low, high) in BOUNDS.items():
        if high is None or amount <= high:
            return band
    return Band.OVER_10M
