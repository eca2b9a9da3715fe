"""The REST API under /api/v1/ (OpenAPI document at /api/v1/openapi.json, docs page at /api/v1/docs)."""

from __future__ import annotations

import importlib

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError

from cityexchange.accounts.api import router as accounts_router
from cityexchange.core.errors import DomainError
from cityexchange.core.ratelimit import RateLimited
from cityexchange.registry.api import router as registry_router

api = NinjaAPI(
    title="cityexchange API",
    version="1",
    description="Cities, memberships, practices, challenges, matching, cooperation, forum and governance.",
    urls_namespace="api",
    # Swagger UI comes from django-ninja's static files ("ninja" is in INSTALLED_APPS); no validator badge, which
    # would be fetched from swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
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
