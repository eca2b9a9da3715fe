"""Per-user and per-address limits on costly requests (search, recommendations, exports…), counted in the shared
cache so that they hold across every app server.

Fixed-window counters: the first request of a window creates its counter with `cache.add`, the next ones raise it
with `cache.incr` (atomic in Redis). A signed-in user is counted by account, wherever the requests come from; an
anonymous visitor by client address, so the officers of one city hall behind one address do not share a limit.
When the cache cannot be reached the request is let through and a warning is logged: an outage of Redis must not
turn every search into an error.

django-ratelimit was considered and not taken: its system check rejects the local-memory cache of the one-machine
set-up as an error, a Redis connection error escapes it as a 500, and it has no `Retry-After`.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from ninja.utils import contribute_operation_callback

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, text: str | None) -> Rate | None:
        """`30/m`, `10/h`, `5/10m`, `100/30s`; empty, `0` or `off` mean no limit."""
        if text is None or text.strip().lower() in ("", "0", "off", "none"):
            return None
        match = _RATE.match(text)
        if match is None:
            raise ImproperlyConfigured(f"Invalid rate limit {text!r}: write it as 30/m, 10/h, 5/10m or off.")
        limit, count, unit = int(match[1]), int(match[2] or 1), match[3]
        if limit == 0:
            return None
        return cls(limit=limit, period=count * _UNITS[unit])


class RateLimited(Exception):
    """Raised when a request goes over its limit; pages answer a 429 page, the API a 429 error, both with
    `Retry-After`. Deliberately not a DomainError, so a view's `except DomainError` does not swallow it."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        self.message = wait_message(self.retry_after)
        super().__init__(self.message)

    def as_dict(self) -> dict[str, str | None]:
        return {"detail": self.message, "field": None}


def wait_message(seconds: int) -> str:
    if seconds <= 90:
        return ngettext(
            "Too many requests in a short time. Please try again in %(n)d second.",
            "Too many requests in a short time. Please try again in %(n)d seconds.",
            seconds,
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many requests in a short time. Please try again in %(n)d minute.",
        "Too many requests in a short time. Please try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def client_address(request: HttpRequest) -> str:
    """The client's address for counting. `X-Forwarded-For` is read only when RATE_LIMIT_TRUSTED_PROXIES says how
    many reverse proxies in front append to it: the address the outermost of them saw is taken, so a client cannot
    choose its own by sending the header. IPv6 clients are counted per /64, the block one subscriber usually has."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    hops = int(getattr(settings, "RATE_LIMIT_TRUSTED_PROXIES", 0) or 0)
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            address = forwarded[-min(hops, len(forwarded))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass
class Limiter:
    """Counts requests per scope and per user or address. `cache` defaults to Django's default cache (Redis when
    REDIS_URL is set); `clock` is injectable so tests can move past a window without waiting."""

    cache: BaseCache | None = None
    clock: Callable[[], float] = field(default=time.time)

    def rates(self, scope: str) -> tuple[Rate | None, Rate | None]:
        configured = getattr(settings, "RATE_LIMITS", {})
        if scope not in configured:
            raise ImproperlyConfigured(f"No rate limits are configured for the scope {scope!r} (RATE_LIMITS).")
        user_rate, ip_rate = configured[scope]
        return Rate.parse(user_rate), Rate.parse(ip_rate)

    def hit(self, scope: str, request: HttpRequest) -> int | None:
        """Count this request; the seconds to wait when it is over the limit, else None."""
        if not getattr(settings, "RATE_LIMITS_ENABLED", True):
            return None
        user_rate, ip_rate = self.rates(scope)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            rate, ident = user_rate, f"user:{user.pk}"
        else:
            rate, ident = ip_rate, f"ip:{client_address(request)}"
        if rate is None:
            return None
        now = self.clock()
        window = int(now // rate.period)
        key = f"ratelimit:{scope}:{ident}:{rate.period}:{window}"
        count = self._count(key, rate.period)
        if count is None or count <= rate.limit:
            return None
        return max(1, math.ceil((window + 1) * rate.period - now))

    def _count(self, key: str, period: int) -> int | None:
        cache = self.cache if self.cache is not None else caches["default"]
        try:
            # The window is part of the key; the expiry only tidies up.
            if cache.add(key, 1, timeout=period + 5):
                return 1
            try:
                count = cache.incr(key)
            except ValueError:  # the counter expired between add and incr
                cache.add(key, 1, timeout=period + 5)
                return 1
        except Exception:
            logger.warning("Rate limit counter unavailable; request let through (key %s)", key, exc_info=True)
            return None
        if count is None:  # a cache that swallows its errors (django-redis IGNORE_EXCEPTIONS) answers None
            logger.warning("Rate limit counter unavailable; request let through (key %s)", key)
            return None
        return int(count)


limiter = Limiter()


def enforce(request: HttpRequest, scope: str) -> None:
    """Count the request against the scope's limits; raise RateLimited when it is over."""
    wait = limiter.hit(scope, request)
    if wait is not None:
        raise RateLimited(wait)


def too_many_requests_page(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(request, "429.html", {"message": exc.message, "retry_after": exc.retry_after}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def rate_limit(scope: str) -> Callable[[F], F]:
    """Limit a page view. Put it under `@login_required`, so a signed-out visitor is sent to sign in uncounted."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                enforce(request, scope)
            except RateLimited as exc:
                return too_many_requests_page(request, exc)
            return view(request, *args, **kwargs)

        return limited  # type: ignore[return-value]

    return decorator


def api_rate_limit(scope: str) -> Callable[[F], F]:
    """Limit an API operation; put it under `@router.get(...)`. The check runs after authentication (a token's
    user is counted as that user) and the API's handler answers RateLimited. The operation must document
    `429: ErrorOut` among its responses."""

    def contribute(operation: Any) -> None:
        if 429 not in operation.response_models:
            raise ImproperlyConfigured(f"{operation.view_func.__qualname__}: document 429 (RATE_LIMITED) in response=")
        view = operation.view_func

        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            enforce(request, scope)
            return view(request, *args, **kwargs)

        operation.view_func = limited

    def decorator(func: F) -> F:
        contribute_operation_callback(func, contribute)
        return func

    return decorator
