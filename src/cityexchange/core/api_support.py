"""What every app's API router shares: authentication, pagination and the error shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Schema
from ninja.security import APIKeyHeader, HttpBearer, django_auth
from pydantic import Field

from cityexchange.accounts.services import api_token_authenticate

T = TypeVar("T")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cx_…` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class AnonymousAllowed(APIKeyHeader):
    """Lets a public endpoint through for anyone, after the token and session checks had their chance."""

    param_name = "X-Anonymous"

    def __call__(self, request: HttpRequest) -> Any:
        return True

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return True


token_auth = TokenAuth()
# Order matters: a valid token or session sets request.user; otherwise the request stays anonymous.
AUTH_REQUIRED = [token_auth, django_auth]
AUTH_OPTIONAL = [token_auth, django_auth, AnonymousAllowed()]


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
