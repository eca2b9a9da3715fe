from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def event(kazan: Any) -> Any:
    from tests.forum.factories import EventFactory

    return EventFactory(city=kazan, name="Forum of BRICS+ Cities", slug="kazan-forum")


@pytest.fixture
def organiser(event: Any) -> Any:
    from tests.registry.factories import UserFactory

    user = UserFactory(display_name="Organiser")
    event.organisers.add(user)
    return user


@pytest.fixture
def kazan_delegate(event: Any, kazan: Any, kazan_officer: Any) -> Any:
    from tests.forum.factories import RegistrationFactory

    return RegistrationFactory(event=event, user=kazan_officer, city=kazan, languages=["ru", "en"])


@pytest.fixture
def sao_paulo_delegate(event: Any, sao_paulo: Any, sao_paulo_coordinator: Any) -> Any:
    from tests.forum.factories import RegistrationFactory

    return RegistrationFactory(event=event, user=sao_paulo_coordinator, city=sao_paulo, languages=["pt", "en"])
