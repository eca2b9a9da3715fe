from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityexchange.core import hooks
from cityexchange.core.errors import DomainError, PermissionDenied
from cityexchange.core.ratelimit import RateLimited, enforce, too_many_requests_page
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, posted_id

from . import services
from .forms import (
    InviteForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignupForm,
    TimeZoneForm,
    TokenForm,
)
from .models import ApiToken, CityRole, Invitation
from .permissions import can_manage_team


class Login(LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "locked_for", None):  # the throttle: 429 with the time to wait
            response.status_code = 429
            response["Retry-After"] = str(form.locked_for)
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST":
        try:
            enforce(request, "signup")
        except RateLimited as exc:
            return too_many_requests_page(request, exc)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                language=request.LANGUAGE_CODE,
                invitation_token=_invitation_token_in(request.GET.get("next", "")),
            )
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            next_url = request.GET.get("next", "")
            if user is not None and user.email_verified:
                # Signed up from an invitation to this very address: the address is proven, the account ready.
                login(request, user, backend="cityexchange.accounts.backends.ThrottledModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                safe = next_url.startswith("/") and not next_url.startswith("//")
                return redirect(next_url if safe else "registry:home")
            # The same answer for a new address and a known one (whose owner gets an e-mail instead): nobody
            # learns from this page whether an address has an account.
            messages.success(
                request,
                _(
                    "Thank you. We sent a message to %(email)s: open the link in it to confirm your address, then "
                    "sign in."
                )
                % {"email": form.cleaned_data["email"].strip().lower()},
            )
            return redirect("accounts:login")
    return render(request, "accounts/signup.html", {"form": form})


def _invitation_token_in(next_url: str) -> str:
    """The token of the invitation page a sign-up came from (its "next" address), if any."""
    if not next_url.startswith("/") or next_url.startswith("//"):
        return ""
    try:
        match = resolve(next_url.split("?", 1)[0])
    except Resolver404:
        return ""
    return str(match.kwargs.get("token", "")) if match.view_name == "accounts:invitation" else ""


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed at sign-up. It names its account, so it works signed in, signed out or in another browser."""
    try:
        user = services.email_verify(token=token)
    except DomainError as exc:
        return render(request, "accounts/verify_failed.html", {"message": exc.message}, status=exc.status)
    messages.success(request, _("Thank you: your e-mail address is confirmed."))
    if actor(request).is_authenticated and actor(request).pk == user.pk:
        return redirect("accounts:profile")
    return redirect("accounts:login")


@login_required
@require_POST
def verify_resend(request: HttpRequest) -> HttpResponse:
    if services.email_verification_resend(actor=actor(request)):
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": actor(request).email})
    elif not actor(request).email_verified:
        messages.info(request, _("A link was sent less than a minute ago; please check your inbox first."))
    return redirect("accounts:profile")


class PasswordReset(auth_views.PasswordResetView):
    """Answers the same for known and unknown addresses (the form queues the e-mail); limited per client address."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            enforce(request, "password_reset")
        except RateLimited as exc:
            return too_many_requests_page(request, exc)
        return super().post(request, *args, **kwargs)


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChange(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    inv = services.invitation_by_token(token)
    if request.method == "POST":
        if not actor(request).is_authenticated:
            return redirect(f"{request.path}")
        try:
            role = services.invitation_accept(actor=actor(request), token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You are now on the team of %(city)s.") % {"city": role.city})
            return redirect("registry:city", city_id=role.city_id)
    usable = inv.accepted_at is None and inv.revoked_at is None and inv.expires_at > timezone.now()
    return render(request, "accounts/invitation.html", {"invitation": inv, "usable": usable, "token": token})


def team_page(request: HttpRequest, city_id: int) -> HttpResponse:
    city = hooks.required("accounts.city")(city_id)  # the registry's get_city: 404 for an unknown city
    if not can_manage_team(actor(request), city.pk):
        if not actor(request).is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        raise PermissionDenied(_("Only the coordinator of %(city)s can manage its team.") % {"city": city})
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "invite")
        try:
            if action == "invite" and form.is_valid():
                services.invitation_create(
                    actor=actor(request), city=city, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
                )
                messages.success(
                    request, _("The invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]}
                )
                return redirect("registry:team", city_id=city.pk)
            if action == "revoke":
                inv = get_for(actor(request), Invitation.objects.filter(city=city), posted_id(request, "invitation"))
                services.invitation_revoke(actor=actor(request), invitation=inv)
                return redirect("registry:team", city_id=city.pk)
            if action == "remove":
                role = get_for(actor(request), CityRole.objects.filter(city=city), posted_id(request, "role"))
                services.city_role_remove(actor=actor(request), city_role=role)
                return redirect("registry:team", city_id=city.pk)
        except DomainError as exc:
            apply_error(request, form if action == "invite" else None, exc)
    context = {
        "city": city,
        "form": form,
        "roles": CityRole.objects.restrict(actor(request)).filter(city=city).select_related("user"),
        "invitations": Invitation.objects.restrict(actor(request)).filter(
            city=city, accepted_at__isnull=True, revoked_at__isnull=True
        ),
    }
    return render(request, "accounts/team.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created = services.api_token_create(actor=actor(request), name=form.cleaned_data["name"])
        except DomainError as exc:
            apply_error(request, form, exc)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "created": created, "tokens": ApiToken.objects.restrict(actor(request))},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_for(actor(request), ApiToken, token_id)
    services.api_token_revoke(actor=actor(request), token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    roles = CityRole.objects.filter(user=actor(request)).select_related("city", "city__country", "city__membership")
    zone_form = TimeZoneForm(initial={"time_zone": actor(request).time_zone})
    return render(request, "accounts/profile.html", {"roles": roles, "zone_form": zone_form})


@login_required
@require_POST
def time_zone(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST)
    try:
        # The service checks the zone against its own list: the form's choices only shape the page.
        services.user_time_zone_set(actor=actor(request), zone=request.POST.get("time_zone", ""))
    except DomainError as exc:
        apply_error(request, form, exc)
        roles = CityRole.objects.filter(user=actor(request)).select_related("city", "city__country")
        return render(request, "accounts/profile.html", {"roles": roles, "zone_form": form}, status=422)
    messages.success(request, _("Your time zone was saved."))
    return redirect("accounts:profile")
