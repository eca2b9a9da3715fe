"""An account that has not confirmed its e-mail address may look around but not act.

Such an account (made by sign-up, see `services.user_register`) may read every page a visitor may read and sign in
and out, change the page language, ask for the confirmation link again, confirm its address, accept an invitation
sent to that address (which confirms it too) and change or reset its password. Every other request that could change
something — any method but GET, HEAD and OPTIONS, on pages and on the API — is refused with 403 until the address is
confirmed. Checking here, in one place, covers every app's pages and API without each service knowing about it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOWED_BEFORE_CONFIRMATION = frozenset(
    {
        "set_language",
        "accounts:login",
        "accounts:logout",
        "accounts:signup",
        "accounts:verify_email",
        "accounts:verify_resend",
        "accounts:invitation",
        "accounts:password_change",
        "accounts:password_reset",
        "accounts:password_reset_confirm",
    }
)


def must_confirm_email(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and not user.email_verified)


class UnverifiedEmailMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method in READ_ONLY_METHODS or not must_confirm_email(getattr(request, "user", None)):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_BEFORE_CONFIRMATION:
            return None
        message = _("Confirm your e-mail address first: open the link we sent to %(email)s.") % {
            "email": request.user.email  # type: ignore[union-attr]
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "field": None}, status=403)
        return render(request, "accounts/verify_required.html", {"message": message}, status=403)
