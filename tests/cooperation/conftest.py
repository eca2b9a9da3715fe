from __future__ import annotations

from typing import Any

import pytest

from tests.cooperation.factories import officer_of, published_practice, stranger_officer


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
    """Kazan × São Paulo about São Paulo's practice, at the contact stage."""
    from cityexchange.cooperation import services

    return services.contact_request_accept(actor=sao_paulo_officer, request=contact_request, answer="Gladly.")
