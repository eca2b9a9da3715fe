"""E-mail to users, each in their own language: the one way the platform sends a notice to people with accounts.

A sender gives the recipients and a function that writes the message for one of them; the function is called with
that user's language active, so `gettext`, `reverse` (the language prefix of links) and templates all come out in
it. Senders never activate a language themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import User

# Writes (subject, body) for one recipient, called with that recipient's language active.
Message = Callable[[User], tuple[str, str]]


def user_language(user: User) -> str:
    """The user's preferred UI language when the site offers it, else the site's default."""
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def mail_each(users: Iterable[User], message: Message) -> int:
    """E-mails ``message(user)`` to each user with an address, rendered in that user's language.
    Returns the number sent. Failures of the mail server are not raised: a notice is never worth a failed task
    that would be retried and mail the others again."""
    sent = 0
    for user in users:
        if not user.email:
            continue
        with translation.override(user_language(user)):
            subject, body = message(user)
        sent += send_mail(subject, body, None, [user.email], fail_silently=True)
    return sent


def from_templates(subject_template: str, body_template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) rendered from two templates; the subject on one line, as mail headers need."""
    subject = "".join(render_to_string(subject_template, dict(context)).splitlines())
    return subject, render_to_string(body_template, dict(context))
