"""Sign-in throttling: failed passwords counted per account and per client address in the shared cache (Redis at
scale, so the count holds across every app server); past the limit the account (or the address) is locked for the
window, and even the right password is refused until it ends.

`LOGIN_FAILURES_PER_ACCOUNT` and `LOGIN_FAILURES_PER_ADDRESS` are rates such as `10/15m`: that many failures within
the window lock for the window. The per-address limit is higher, because the officers of one city hall often share
one address.

django-axes (8.3.1, on the package index) was weighed: it would add its own middleware, an authentication backend
that must come first and its tables, and with its cache handler (the one that shares counts through Redis) a
lockout ends when the cache entry expires, which a test cannot move past without waiting. This module reuses the
rate limiter's pieces instead (`Rate`, `client_address`, the 429 page with `Retry-After`) in about a hundred lines
and takes an injectable clock, so tests pass the window without sleeping. Like the rate limiter, a cache outage
lets sign-ins through (logged) rather than locking everyone out.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.http import HttpRequest
from django.utils.translation import ngettext

from cityexchange.core.ratelimit import Rate, client_address

logger = logging.getLogger(__name__)


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts. For your security, signing in is blocked for %(n)d minute.",
        "Too many failed sign-in attempts. For your security, signing in is blocked for %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


@dataclass
class LoginThrottle:
    cache: BaseCache | None = None
    clock: Callable[[], float] = field(default=time.time)

    def _cache(self) -> BaseCache:
        return self.cache if self.cache is not None else caches["default"]

    def _subjects(self, username: str | None, request: HttpRequest | None) -> list[tuple[str, Rate]]:
        """(key, rate) for the account and for the client address, where each applies."""
        if not getattr(settings, "LOGIN_THROTTLE_ENABLED", True):
            return []
        found: list[tuple[str, Rate]] = []
        account_rate = Rate.parse(getattr(settings, "LOGIN_FAILURES_PER_ACCOUNT", "10/15m"))
        address_rate = Rate.parse(getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", "50/15m"))
        if account_rate is not None and username:
            # Hashed: cache keys must be short and plain, and the cache need not hold e-mail addresses.
            digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
            found.append((f"login:account:{digest}", account_rate))
        if address_rate is not None and request is not None:
            found.append((f"login:address:{client_address(request)}", address_rate))
        return found

    def wait(self, username: str | None, request: HttpRequest | None) -> int | None:
        """Seconds until signing in is allowed again for this account or address; None when it is allowed."""
        now = self.clock()
        longest = 0.0
        for key, _rate in self._subjects(username, request):
            try:
                until = self._cache().get(f"{key}:locked")
            except Exception:
                logger.warning("Sign-in throttle unavailable; attempt let through", exc_info=True)
                return None
            if until is not None and float(until) > now:
                longest = max(longest, float(until) - now)
        return math.ceil(longest) if longest > 0 else None

    def failed(self, username: str | None, request: HttpRequest | None) -> None:
        """Count a failed attempt; lock the account or address that reaches its limit for one window."""
        now = self.clock()
        for key, rate in self._subjects(username, request):
            window = int(now // rate.period)
            counter = f"{key}:failures:{rate.period}:{window}"
            try:
                cache = self._cache()
                if cache.add(counter, 1, timeout=rate.period + 5):
                    count = 1
                else:
                    try:
                        count = int(cache.incr(counter) or 0)
                    except ValueError:  # expired between add and incr
                        cache.add(counter, 1, timeout=rate.period + 5)
                        count = 1
                if count >= rate.limit:
                    # The lock runs one full window from the failure that reached the limit; the clock, not the
                    # cache's expiry (which only tidies up), decides when it ends.
                    cache.set(f"{key}:locked", now + rate.period, timeout=rate.period + 5)
            except Exception:
                logger.warning("Sign-in throttle unavailable; failure not counted", exc_info=True)

    def succeeded(self, username: str | None) -> None:
        """A right password (when not locked) clears the account's failures; the address keeps its count."""
        for key, rate in self._subjects(username, None):
            window = int(self.clock() // rate.period)
            try:
                self._cache().delete(f"{key}:failures:{rate.period}:{window}")
            except Exception:
                logger.warning("Sign-in throttle unavailable", exc_info=True)


throttle = LoginThrottle()
