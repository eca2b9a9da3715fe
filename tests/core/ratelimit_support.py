"""What the rate limit tests share: a clock the test moves by hand, and limits switched on with small values."""

from __future__ import annotations

from typing import Any

import pytest

SCOPES = ("search", "recommend", "export", "report", "schedule")
# 5 s into a minute: a one-minute window has 55 s left.
START = 60 * 29_000_000 + 5.0


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def switch_on(settings: Any, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> dict[str, Any]:
    """Limits on, every scope at 3 a minute per user and per address, counted from nothing by this clock."""
    from django.core.cache import cache

    from cityexchange.core import ratelimit

    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_TRUSTED_PROXIES = 0
    settings.RATE_LIMITS = {scope: ("3/m", "3/m") for scope in SCOPES}
    monkeypatch.setattr(ratelimit, "limiter", ratelimit.Limiter(clock=clock))
    cache.clear()
    return dict(settings.RATE_LIMITS)
