"""Checks that a sender's notices go through accounts.mail.mail_each and come out in each recipient's language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from cityexchange.accounts import mail as mail_helper


@contextmanager
def languages_chosen() -> Iterator[dict[str, str]]:
    """Yields {address: language} filled in as the helper picks each recipient's language; the outbox starts
    empty."""
    chosen: dict[str, str] = {}
    original = mail_helper.user_language

    def spy(user: Any) -> str:
        chosen[user.email] = original(user)
        return chosen[user.email]

    mail.outbox.clear()
    with mock.patch.object(mail_helper, "user_language", spy):
        yield chosen


def translated(language: str, msgid: str, **values: object) -> str:
    with translation.override(language):
        return gettext(msgid) % values if values else gettext(msgid)


def subjects_by_address() -> dict[str, str]:
    return {m.to[0]: m.subject for m in mail.outbox}


def assert_each_in_own_language(chosen: dict[str, str], users: list[Any], msgid: str, **values: object) -> None:
    """Each user got one message whose subject is ``msgid`` in their language, chosen by the helper, and the
    languages differ (so the check cannot pass with one language for all)."""
    expected = {u.email: translated(u.preferred_language, msgid, **values) for u in users}
    assert chosen == {u.email: u.preferred_language for u in users}
    assert subjects_by_address() == expected
    assert len(set(expected.values())) == len(users)
