"""What every app's API router shares: authentication, pagination and the error shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf
from pydantic import Field

from cityexchange.core import hooks

T = TypeVar("T")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cx_…` with a personal API token.

    A request that sends an Authorization header must be right about it: a missing, malformed or revoked token is
    answered 401 at once, on every method and on public operations too, rather than falling through to the session
    (whose CSRF check would answer a confusing 403) or to anonymous access (which would hide the client's error).
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError()
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token_user = hooks.provider("api.token_user")  # accounts: tokens are theirs
        user = token_user(token) if token_user is not None else None
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's session. CSRF is checked only when the session belongs to a signed-in user: a request without
    one is simply not authenticated (401), whatever its method, instead of failing a CSRF check it never needed."""

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.")
        return request.user


class AnonymousAllowed(APIKeyHeader):
    """Lets a public endpoint through for anyone, after the token and session checks had their chance."""

    param_name = "X-Anonymous"

    def __call__(self, request: HttpRequest) -> Any:
        return True

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return True


token_auth = TokenAuth()
session_auth = SessionAuth()
# Order matters: a valid token or session sets request.user; otherwise the request stays anonymous. The OpenAPI
# document shows the anonymous alternative as an empty requirement (core.openapi), not as a scheme of its own.
AUTH_REQUIRED = [token_auth, session_auth]
AUTH_OPTIONAL = [token_auth, session_auth, AnonymousAllowed()]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


# Added to the `response=` of every rate-limited operation (see core.ratelimit.api_rate_limit).
RATE_LIMITED: dict[int, Any] = {429: ErrorOut}


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=settings.API_PAGE_SIZE_MAX, description="Items per page (1–200).")


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


def paginate(items: Any, params: PageParams) -> dict[str, Any]:
    """Slice a queryset or list; the count comes from the database, not from loading everything."""
    count = items.count() if hasattr(items, "count") and not isinstance(items, Sequence) else len(items)
    start = (params.page - 1) * params.page_size
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "results": list(items[start : start + params.page_size]),
    }


__all__ = ["AUTH_OPTIONAL", "AUTH_REQUIRED", "RATE_LIMITED", "ErrorOut", "Page", "PageParams", "Query", "paginate"]
