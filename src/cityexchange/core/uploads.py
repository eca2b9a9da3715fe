"""Uploads are refused at the size limit while they stream in, never read whole first.

Two guards, both from `UPLOAD_MAX_BYTES` (one file) and `UPLOAD_MAX_REQUEST_BYTES` (a whole request):
- `UploadLimitMiddleware` answers 413 before anything is read when the request declares a larger body
  (Content-Length): JSON on the API, a page elsewhere;
- `LimitedUploadHandler` counts the bytes of each file as the multipart parser hands them over and stops at the
  limit, for a body whose length was not declared or lied about.
Non-file data (JSON bodies, form fields) is limited by Django's DATA_UPLOAD_MAX_MEMORY_SIZE, answered 413 too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from cityexchange.core.too_large import too_large_page

FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


class UploadTooLarge(RequestDataTooBig):
    """A file grew past the limit while streaming. A RequestDataTooBig, so Django itself refuses it (400) even
    where it surfaces before a view (the CSRF check reads the form); the middleware and the API answer 413."""


def too_large_message() -> str:
    return _("The upload is too large: %(mb)s MB per file and %(total)s MB per request at most.") % {
        "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        "total": settings.UPLOAD_MAX_REQUEST_BYTES // (1024 * 1024),
    }


def too_large_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": too_large_message(), "field": None}, status=413)
    # A page that says what happened, that nothing was saved and how to get the typed text back (core.too_large).
    return too_large_page(request, too_large_message())


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Files go to temporary files on disk, as with Django's default, and stop at UPLOAD_MAX_BYTES each."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.file.close()
            raise UploadTooLarge(too_large_message())
        return super().receive_data_chunk(raw_data, start)


class UploadLimitMiddleware:
    """Refuses a declared-too-large body before any of it is read, and turns a too-large body found while reading
    into 413 (Django's own answer would be a 400 page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.UPLOAD_MAX_REQUEST_BYTES:
            return too_large_response(request)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                # Parsed here, streaming through LimitedUploadHandler, so that a file growing past the limit is
                # answered 413 whoever reads the form first (the CSRF check does, before any view).
                request.POST  # noqa: B018
            except RequestDataTooBig:
                return too_large_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return too_large_response(request)
        return None
