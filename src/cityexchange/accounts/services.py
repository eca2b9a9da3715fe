"""The one write path for users, city teams, invitations and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityexchange.core.audit import audit
from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied, require

from . import time_zones
from .models import ApiToken, CityRole, Invitation, User
from .permissions import can_manage_team, is_secretariat
from .tokens import hash_token, looks_like_token, new_token


def _clean_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("Enter a valid e-mail address."), field=field) from exc
    return email


@transaction.atomic
def user_register(
    *, email: str, password: str, display_name: str = "", language: str = "", invitation_token: str = ""
) -> User:
    """A new account from sign-up. It must confirm its e-mail address (a link is e-mailed) before it can act, unless
    it signs up from an open invitation sent to that address: whoever followed that link has proven the address."""
    email = _clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    invited = bool(invitation_token) and _open_invitation_for(invitation_token, email)
    user = User(
        username=email,
        email=email,
        display_name=display_name.strip(),
        preferred_language=language,
        email_verified=invited,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    audit(user, "user.register", user, after={"email": email, "email_verified": invited})
    if not invited:
        _send_verification_after_commit(user)
    return user


@transaction.atomic
def user_sign_up(
    *, email: str, password: str, display_name: str = "", language: str = "", invitation_token: str = ""
) -> User | None:
    """Sign-up, answered the same whether or not the address already has an account (the page must not reveal who
    has one). A new address gets its account (None is never returned for it); a known one gets no account and None,
    and its owner an e-mail saying someone tried to sign up with it. The password is validated and hashed on both
    paths, so the answer takes about the same time."""
    email = _clean_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return user_register(
            email=email,
            password=password,
            display_name=display_name,
            language=language,
            invitation_token=invitation_token,
        )
    try:
        validate_password(password, User(username=email, email=email, display_name=display_name.strip()))
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc
    make_password(password)  # the hashing a new account costs
    from .tasks import send_account_exists_notice

    owner_id = existing.pk
    transaction.on_commit(lambda: send_account_exists_notice.enqueue(user_id=owner_id))
    return None


def _open_invitation_for(token: str, email: str) -> bool:
    if not looks_like_token(token):
        return False
    return Invitation.objects.filter(
        token_hash=hash_token(token),
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()


EMAIL_VERIFICATION_SALT = "cityexchange.accounts.email-verification"


def email_verification_token(user: User) -> str:
    """A signed, timestamped token naming the user and the address it confirms (a changed address voids it)."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=EMAIL_VERIFICATION_SALT)


def _send_verification_after_commit(user: User) -> None:
    from .tasks import send_email_verification

    user_id = user.pk
    transaction.on_commit(lambda: send_email_verification.enqueue(user_id=user_id))


def email_verification_resend(*, actor: Any) -> bool:
    """Send the confirmation link again; at most once a minute per account. False when nothing was sent."""
    from django.core.cache import cache

    if not getattr(actor, "is_authenticated", False) or actor.email_verified:
        return False
    if not cache.add(f"accounts:verification-sent:{actor.pk}", 1, timeout=60):
        return False
    _send_verification_after_commit(actor)
    return True


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Confirm the address a verification link was sent to. Expired, altered or outdated links are refused."""
    max_age = dt.timedelta(days=settings.EMAIL_VERIFICATION_VALID_DAYS)
    try:
        data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidTransition(
            _("This confirmation link has expired. Sign in and ask for a new one on your account page.")
        ) from exc
    except signing.BadSignature as exc:
        raise NotFound(_("This confirmation link is not valid.")) from exc
    user_id = data.get("user") if isinstance(data, dict) else None
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None or user.email.lower() != data.get("email"):
        raise NotFound(_("This confirmation link is not valid."))
    email_mark_verified(user=user, via="link")
    return user


@transaction.atomic
def email_mark_verified(*, user: User, via: str) -> User:
    """The owner proved the address (a confirmation, invitation or password-reset link reached them)."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        audit(user, "user.verify_email", user, after={"via": via})
    return user


@transaction.atomic
def user_password_set(*, actor: Any, user: User, password: str, via: str) -> User:
    """A new password, from the change form (old password checked by the form) or a reset link (which also proves
    the e-mail address). The forms have validated the password."""
    require(actor.pk == user.pk, _("You can only change your own password."))
    user.set_password(password)
    user.save(update_fields=["password"])
    audit(actor, f"user.password_{via}", user)
    if via == "reset":
        email_mark_verified(user=user, via="password_reset")
    return user


@transaction.atomic
def invitation_create(
    *, actor: Any, city: Any, email: str, role: str = CityRole.Role.OFFICER
) -> tuple[Invitation, str]:
    """Invite someone to the city's team. Returns the invitation and its plain token (sent by e-mail only)."""
    require(can_manage_team(actor, city.pk), _("Only the coordinator of %(city)s can invite.") % {"city": city})
    email = _clean_email(email)
    if role not in CityRole.Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    if CityRole.objects.filter(city=city, user__email__iexact=email).exists():
        raise Conflict(
            _("%(email)s is already on the team of %(city)s.") % {"email": email, "city": city}, field="email"
        )
    now = timezone.now()
    if Invitation.objects.filter(
        city=city, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).exists():
        raise Conflict(
            _("%(email)s has already been invited and has not answered yet.") % {"email": email}, field="email"
        )
    token = new_token()
    invitation = Invitation.objects.create(
        city=city,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=now + dt.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit(actor, "invitation.create", invitation, after={"email": email, "role": role, "city": city.pk})
    link = settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token})
    transaction.on_commit(
        lambda: send_mail(
            _("You are invited to the team of %(city)s") % {"city": city},
            _("%(who)s invites you to work for %(city)s on the exchange platform. Accept here: %(link)s")
            % {"who": actor, "city": city, "link": link},
            None,
            [email],
        )
    )
    return invitation, token


def invitation_by_token(token: str) -> Invitation:
    if not looks_like_token(token):
        raise NotFound(_("This invitation link is not valid."))
    invitation = Invitation.objects.select_related("city").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    return invitation


@transaction.atomic
def invitation_accept(*, actor: Any, token: str) -> CityRole:
    invitation = invitation_by_token(token)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvalidTransition(_("This invitation has already been used or withdrawn."))
    if invitation.expires_at <= timezone.now():
        raise InvalidTransition(_("This invitation has expired; ask the coordinator for a new one."))
    if actor.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    role, _created = CityRole.objects.get_or_create(
        user=actor, city=invitation.city, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit(actor, "invitation.accept", invitation, after={"role": role.role})
    # The invitation was e-mailed to this address and its link reached the account's owner.
    email_mark_verified(user=actor, via="invitation")
    return role


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    require(can_manage_team(actor, invitation.city_id), _("Only the city's coordinator can withdraw an invitation."))
    if invitation.accepted_at or invitation.revoked_at:
        raise InvalidTransition(_("This invitation has already been used or withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit(actor, "invitation.revoke", invitation)
    return invitation


@transaction.atomic
def city_role_grant(*, actor: Any, city: Any, user: User, role: str) -> CityRole:
    """Directly give a user a role (the secretariat, or the registry when it approves an application)."""
    require(is_secretariat(actor), _("Only the secretariat can assign roles directly."))
    if role not in CityRole.Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    if user is None or not user.is_active:
        raise InvalidInput(_("Choose an active account."), field="user")
    obj, created = CityRole.objects.update_or_create(user=user, city=city, defaults={"role": role})
    audit(actor, "city_role.grant", obj, after={"role": role, "created": created})
    return obj


@transaction.atomic
def city_role_remove(*, actor: Any, city_role: CityRole) -> None:
    require(can_manage_team(actor, city_role.city_id), _("Only the city's coordinator can remove team members."))
    if city_role.user_id == actor.pk and city_role.role == CityRole.Role.COORDINATOR:
        raise InvalidTransition(_("A coordinator cannot remove themselves; ask the secretariat."))
    audit(actor, "city_role.remove", city_role, before={"user": city_role.user_id, "role": city_role.role})
    city_role.delete()


@transaction.atomic
def user_set_secretariat(*, actor: Any, user: User, value: bool) -> User:
    """Give or take the secretariat's rights. Only the secretariat may, and nobody takes their own away (so the
    association is never left without one by mistake)."""
    require(is_secretariat(actor), _("Only the secretariat can grant or withdraw its rights."))
    if not value and user.pk == actor.pk:
        raise InvalidTransition(_("You cannot withdraw your own secretariat rights; ask another member of staff."))
    if user.is_secretariat != value:
        user.is_secretariat = value
        user.save(update_fields=["is_secretariat"])
        audit(actor, "user.secretariat", user, before={"is_secretariat": not value}, after={"is_secretariat": value})
    return user


@transaction.atomic
def user_time_zone_set(*, actor: Any, zone: str) -> User:
    """The zone `actor` reads times in (an IANA name such as "Asia/Kolkata"); empty for none."""
    require(bool(getattr(actor, "is_authenticated", False)), _("Sign in to choose your time zone."))
    key = (zone or "").strip()
    if key and key not in time_zones.choosable():
        raise InvalidInput(
            _("“%(v)s” is not a time zone; choose one from the list.") % {"v": key[:64]}, field="time_zone"
        )
    user = User.objects.select_for_update().get(pk=actor.pk)
    if user.time_zone != key:
        before = user.time_zone
        user.time_zone = key
        user.save(update_fields=["time_zone"])
        audit(actor, "user.time_zone", user, before={"time_zone": before}, after={"time_zone": key})
    return user


@transaction.atomic
def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name so you can recognise it later."), field="name")
    if len(name) > 100:
        raise InvalidInput(_("The name is too long (100 characters at most)."), field="name")
    token = new_token()
    obj = ApiToken.objects.create(user=actor, name=name, prefix=token[:10], token_hash=hash_token(token))
    audit(actor, "api_token.create", obj)
    return obj, token


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    require(token.user_id == actor.pk or is_secretariat(actor), _("This token belongs to someone else."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit(actor, "api_token.revoke", token)
    return token


def api_token_authenticate(plain: str) -> User | None:
    """The active user a token belongs to, or None. Updates last use at most once a minute to spare writes."""
    if not looks_like_token(plain):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(token_hash=hash_token(plain), revoked_at__isnull=True).first()
    )
    if token is None or not token.user.is_active or not token.user.email_verified:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
