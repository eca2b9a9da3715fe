"""Helpers shared by page views: turning domain errors into form errors and messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .errors import DomainError


def apply_error(request: HttpRequest, form: forms.Form | None, exc: DomainError) -> None:
    """Show a service's error next to the field it names, or at the top of the page."""
    if form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    elif form is not None:
        form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message)


def querydict_without(request: HttpRequest, *keys: str) -> str:
    params: Any = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return str(params.urlencode())


def actor(request: HttpRequest) -> Any:
    """The signed-in user as the services' `actor` (views reach here only after login checks)."""
    return request.user


def posted_id(request: HttpRequest, name: str) -> int:
    """An id from a POSTed form field; 0 (matches nothing) when missing or not a number, never an error page."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def safe_next(request: HttpRequest, default: str) -> str:
    """The posted `next` address when it stays on this site, else the default (no open redirects)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
