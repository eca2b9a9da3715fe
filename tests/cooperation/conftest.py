from __future__ import annotations

from typing import Any

import pytest

from tests.cooperation.factories import officer_of, published_practice, stranger_officer


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Any:
    """Each test starts in English: a page requested in another language by an earlier test leaves that language
    active in the thread, and messages built outside a request (the stage checks) would come out in it."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def sao_paulo_officer(sao_paulo: Any) -> Any:
    return officer_of(sao_paulo)


@pytest.fixture
def practice(sao_paulo: Any) -> Any:
    """São Paulo's published practice, with two indicators."""
    return published_practice(sao_paulo, title="Exclusive bus lanes")


@pytest.fixture
def stranger(reference: None) -> Any:
    """An officer of a third member city."""
    return stranger_officer()


@pytest.fixture
def contact_request(kazan_officer: Any, practice: Any) -> Any:
    from cityexchange.cooperation import services

    return services.contact_request_create(actor=kazan_officer, practice=practice, message="Can we talk?")


@pytest.fixture
def cooperation(contact_request: Any, sao_paulo_officer: Any) -> Any:
    """Kazan × São Paulo about São Paulo's practice, at the contact stage since a week ago (so that later stages
    may be dated yesterday: no stage may be dated before the one before it)."""
    import datetime as dt

    from django.utils import timezone

    from cityexchange.cooperation import services
    from cityexchange.cooperation.models import StageEvent

    coop = services.contact_request_accept(actor=sao_paulo_officer, request=contact_request, answer="Gladly.")
    StageEvent.objects.filter(cooperation=coop).update(occurred_on=timezone.localdate() - dt.timedelta(days=7))
    return coop
