"""The page for a request too large to read (413): what happened, that nothing was saved, how to get the typed
text back, and a link to the page the request came from. The API answers JSON instead (core.uploads)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from cityexchange.core import locale_format


def back_link(request: HttpRequest) -> str:
    """The page the form was sent from when it is on this site (the form itself, usually); the home page if not."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("registry:home")


def too_large_page(request: HttpRequest, message: str = "") -> HttpResponse:
    mb = 1024 * 1024
    context = {
        "message": message,
        "back": back_link(request),
        "text_mb": locale_format.number(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / mb, 1),
        "file_mb": locale_format.number(getattr(settings, "UPLOAD_MAX_BYTES", 10 * mb) / mb, 1),
    }
    return render(request, "413.html", context, status=413)
