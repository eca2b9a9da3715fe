"""A published São Paulo practice in Portuguese with two indicators, and the people around the desk: a Kazan
officer who asks and translates, São Paulo's coordinator who approves, and an officer of a third city."""

from __future__ import annotations

from typing import Any

import pytest

from cityexchange.practices.models import Indicator, Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory, MemberCityFactory

PT = {
    "title": "Corredores exclusivos de ônibus",
    "summary": "Faixas exclusivas reduziram o tempo de viagem dos ônibus.",
    "problem": "Os ônibus ficavam presos no trânsito.",
    "solution": "Faixas exclusivas à esquerda e embarque em nível.",
    "results_text": "O tempo de viagem caiu 30 %.",
}
RU = {
    "title": "Выделенные полосы для автобусов",
    "summary": "Выделенные полосы сократили время поездки на автобусе.",
    "problem": "Автобусы стояли в пробках.",
    "solution": "Выделенные полосы у левого края и посадка на уровне пола.",
    "results_text": "Время поездки сократилось на 30 %.",
    "indicator_names": ["Время поездки", "Пассажиров в день"],
}


@pytest.fixture
def practice(sao_paulo: Any) -> Practice:
    p = PracticeFactory(city=sao_paulo, language_id="pt", status=Practice.Status.PUBLISHED, **PT)
    Indicator.objects.create(practice=p, position=0, name="Tempo de viagem", baseline=60, achieved=42, unit="min")
    Indicator.objects.create(practice=p, position=1, name="Passageiros por dia", achieved=250_000)
    return p


@pytest.fixture
def shanghai_officer(reference: None) -> Any:
    shanghai = MemberCityFactory(name="Shanghai", country_id="CN", population=22_000_000, timezone="Asia/Shanghai")
    return CityRoleFactory(city=shanghai, role="officer").user


def ru_text(**changes: Any) -> dict[str, Any]:
    return {**RU, **changes}
