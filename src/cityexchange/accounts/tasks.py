"""Account e-mails: the address confirmation link and the password reset link, each in the recipient's language
(through accounts.mail.mail_each).

Both are sent as background tasks, so a reset request answers in the same time whether or not the address has an
account.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from .mail import from_templates, mail_each
from .models import User


def _verification_mail(user: User) -> tuple[str, str]:
    from .services import email_verification_token

    link = settings.SITE_URL + reverse("accounts:verify_email", kwargs={"token": email_verification_token(user)})
    values = {"name": user, "link": link, "days": settings.EMAIL_VERIFICATION_VALID_DAYS}
    subject = _("Confirm your e-mail address")
    body = (
        _(
            "Hello %(name)s,\n\nPlease confirm the e-mail address of your new account on the cities' exchange "
            "platform by opening this link within %(days)s days:\n\n%(link)s\n\n"
            "Until you do, you can look around but not make any changes. If you did not create this account, "
            "ignore this message."
        )
        % values
    )
    return subject, body


@task()
def send_email_verification(user_id: int) -> int:
    """Returns the number of e-mails sent (0 when the account is gone or already confirmed)."""
    users = User.objects.filter(pk=user_id, is_active=True, email_verified=False)
    return mail_each(users, _verification_mail)


def _password_reset_mail(user: User) -> tuple[str, str]:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": settings.SITE_URL + path, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    return from_templates("accounts/email/password_reset_subject.txt", "accounts/email/password_reset.txt", context)


@task()
def send_password_reset(user_id: int) -> int:
    """Returns the number of e-mails sent. The link works once and expires after PASSWORD_RESET_TIMEOUT."""
    users = [u for u in User.objects.filter(pk=user_id, is_active=True) if u.has_usable_password()]
    return mail_each(users, _password_reset_mail)


def _account_exists_mail(user: User) -> tuple[str, str]:
    values = {
        "name": user,
        "login": settings.SITE_URL + reverse("accounts:login"),
        "reset": settings.SITE_URL + reverse("accounts:password_reset"),
    }
    subject = _("Someone tried to create an account with your address")
    body = (
        _(
            "Hello %(name)s,\n\nSomeone tried to create a new account on the cities' exchange platform with "
            "this e-mail address, which already has an account. No new account was created.\n\n"
            "If it was you, sign in here: %(login)s\nIf you forgot your password, choose a new one here: "
            "%(reset)s\n\nIf it was not you, you can ignore this message; your account is unchanged."
        )
        % values
    )
    return subject, body


@task()
def send_account_exists_notice(user_id: int) -> int:
    """Someone signed up with an address that already has an account: its owner is told (the sign-up page said
    nothing). Returns the number of e-mails sent."""
    return mail_each(User.objects.filter(pk=user_id, is_active=True), _account_exists_mail)
