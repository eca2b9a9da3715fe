"""The REST API under /api/v1/ (OpenAPI document at /api/v1/openapi.json, docs page at /api/v1/docs)."""

from __future__ import annotations

import importlib

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cityexchange.accounts.api import router as accounts_router
from cityexchange.core.api_input import InvalidText, UnicodeCheckingParser, bound_integer_inputs
from cityexchange.core.errors import DomainError
from cityexchange.core.openapi import DocumentedAPI
from cityexchange.core.ratelimit import RateLimited
from cityexchange.core.uploads import too_large_message
from cityexchange.registry.api import router as registry_router

api = DocumentedAPI(
    title="cityexchange API",
    version="1",
    description="Cities, memberships, practices, challenges, matching, cooperation, forum and governance.",
    urls_namespace="api",
    # Swagger UI comes from django-ninja's static files ("ninja" is in INSTALLED_APPS); no validator badge, which
    # would be fetched from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    # JSON bodies whose text is not valid Unicode are refused with a 422 naming the field (core.api_input).
    parser=UnicodeCheckingParser(),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found.", "field": None}, status=404)


@api.exception_handler(DjangoPermissionDenied)
def forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden.", "field": None}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: sign in or send a valid API token.", "field": None}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals, in the API's error shape. A body it could not parse because of what the body
    holds (invalid Unicode, too large) gets that precise answer instead of a generic 400."""
    cause = exc.__cause__
    if isinstance(cause, InvalidText):
        return invalid_text(request, cause)
    if isinstance(cause, RequestDataTooBig):
        return too_large(request, cause)
    if isinstance(cause, DomainError):
        return domain_error(request, cause)
    return api.create_response(request, {"detail": str(exc), "field": None}, status=exc.status_code)


def invalid_text(request: HttpRequest, exc: InvalidText) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail, "field": exc.field}, status=422)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": too_large_message(), "field": None}, status=413)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", []) if p not in ("query", "body", "path", "payload")]
    return api.create_response(
        request,
        {"detail": first.get("msg", "Invalid input."), "field": ".".join(loc) or None, "errors": exc.errors},
        status=422,
    )


api.add_router("/", registry_router)
api.add_router("/accounts/", accounts_router)

# Routers of the later apps register here, one line each.
for _module in ("practices", "challenges", "desk", "matching", "cooperation", "forum", "insights", "governance"):
    try:
        _app_api = importlib.import_module(f"cityexchange.{_module}.api")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"cityexchange.{_module}.api":
            raise
        continue
    api.add_router(f"/{_module}/", _app_api.router)

# After every router is in: integers anywhere in any operation's input are limited to the database's range.
bound_integer_inputs(api)
