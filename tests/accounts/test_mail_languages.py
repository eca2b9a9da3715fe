"""The notice helper (accounts.mail.mail_each) and the account e-mails sent through it: each recipient reads the
message in their own language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext as _

from cityexchange.accounts.mail import mail_each
from cityexchange.accounts.tasks import send_account_exists_notice, send_email_verification, send_password_reset
from tests.accounts.mail_support import assert_each_in_own_language, languages_chosen
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_readers() -> list[Any]:
    return [
        UserFactory(email="olga@kzn.ru", preferred_language="ru", email_verified=False),
        UserFactory(email="ana@sp.example", preferred_language="es", email_verified=False),
    ]


def test_helper_writes_each_message_in_its_readers_language(two_readers):
    with languages_chosen() as chosen:
        sent = mail_each(two_readers, lambda user: (_("Reset your password"), f"for {user.email}"))
    assert sent == 2
    assert_each_in_own_language(chosen, two_readers, "Reset your password")
    assert [m.body for m in mail.outbox] == ["for olga@kzn.ru", "for ana@sp.example"]


def test_helper_skips_users_without_an_address_and_falls_back_to_the_site_language(settings):
    nobody = UserFactory(email="", preferred_language="ru")
    unknown = UserFactory(email="x@example.org", preferred_language="xx")
    with languages_chosen() as chosen:
        assert mail_each([nobody, unknown], lambda _user: (_("Reset your password"), "")) == 1
    assert chosen == {"x@example.org": settings.LANGUAGE_CODE}


@pytest.mark.parametrize(
    ("send", "subject"),
    [
        (send_email_verification, "Confirm your e-mail address"),
        (send_password_reset, "Reset your password"),
        (send_account_exists_notice, "Someone tried to create an account with your address"),
    ],
)
def test_account_mails_come_in_each_users_language(two_readers, send, subject):
    with languages_chosen() as chosen:
        for user in two_readers:
            assert send.enqueue(user_id=user.pk).return_value == 1
    assert_each_in_own_language(chosen, two_readers, subject)
    ru_body, es_body = (m.body for m in mail.outbox)
    assert "/ru/" in ru_body and "/es/" in es_body  # links open the site in the reader's language
