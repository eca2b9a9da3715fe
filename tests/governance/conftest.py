from __future__ import annotations

from typing import Any

import pytest

from cityexchange.registry.models import MembershipApplication
from tests.governance.factories import assembly_with
from tests.registry.factories import CityFactory, CityRoleFactory, MemberCityFactory, UserFactory


@pytest.fixture
def shanghai(reference: None) -> Any:
    return MemberCityFactory(name="Shanghai", country_id="CN", population=22_315_474)


@pytest.fixture
def shanghai_coordinator(shanghai: Any) -> Any:
    return CityRoleFactory(city=shanghai, role="coordinator").user


@pytest.fixture
def assembly(kazan: Any, sao_paulo: Any, shanghai: Any) -> Any:
    return assembly_with(kazan, sao_paulo, shanghai)


@pytest.fixture
def applicant(reference: None) -> Any:
    """Yekaterinburg, with an application under review."""
    city = CityFactory(name="Yekaterinburg", country_id="RU", population=1_349_772)
    user = UserFactory(display_name="Mayor's office")
    MembershipApplication.objects.create(
        city=city, applicant=user, letter="We apply.", contact_name="A", contact_email="a@example.org"
    )
    return city


@pytest.fixture
def low_quorum(db: Any) -> None:
    """Statutes asking only 10 % turnout, so one ballot out of three is enough."""
    from cityexchange.governance.models import StatutesSettings

    StatutesSettings.objects.update_or_create(pk=1, defaults={"default_quorum_percent": 10})
