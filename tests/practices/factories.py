from __future__ import annotations

import copy
from typing import Any

import factory
from factory.django import DjangoModelFactory

from cityexchange.practices.models import Practice, PracticeGoal
from cityexchange.registry.models import Sector
from tests.registry.factories import MemberCityFactory

DOC: dict[str, Any] = {
    "language": "ru",
    "title": "Единое окно для жителей",
    "summary": "Все городские услуги в одном приложении.",
    "problem": "Жители ходили в **пять** разных учреждений.",
    "solution": "Мобильное приложение и *единый* контакт-центр.",
    "results_text": "Время ожидания сократилось.",
    "indicators": [{"name": "Услуги онлайн", "baseline": 12.0, "achieved": 30.0, "unit": "%", "year": 2023}],
    "cost_band": "over-10m",
    "currency": "RUB",
    "cost_amount": 25_000_000,
    "period_start": 2019,
    "period_end": 2021,
    "maturity": "operational",
    "transfer_conditions": {
        "min_population": 100_000,
        "max_population": None,
        "climates": ["continental", "temperate"],
        "budget_note": "Needs a yearly hosting budget.",
        "prerequisites": "A city-wide digital identity.",
    },
    "sectors": ["digital-government", "transportation"],
    "sdgs": [11, 9],
    "partners": ["Tatarstan IT Park"],
    "contact": {"name": "Ivan Petrov", "email": "ivan@kzn.example", "role": "CIO"},
    "links": ["https://example.org/kazan-app"],
}


def practice_doc(**overrides: Any) -> dict[str, Any]:
    """A valid practice in the import format; nested keys can be overridden with dots ("contact.email")."""
    doc = copy.deepcopy(DOC)
    for key, value in overrides.items():
        node = doc
        parts = key.split(".")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    return doc


def import_row(external_id: str, city: Any, **overrides: Any) -> dict[str, Any]:
    doc = practice_doc(**overrides)
    doc.update({"external_id": external_id, "city_geonames_id": city.geonames_id})
    doc.setdefault("status", "published")
    return doc


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"test-{n}")
    city = factory.SubFactory(MemberCityFactory)
    language_id = "en"
    title = factory.Sequence(lambda n: f"Practice {n}")
    summary = "A short summary."
    problem = "The problem."
    solution = "The solution."
    cost_band = "under-100k"
    maturity = "pilot"
    status = Practice.Status.DRAFT

    @factory.post_generation
    def sectors(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.sectors.set(Sector.objects.filter(code__in=extracted or ["transportation"]))

    @factory.post_generation
    def sdgs(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            PracticeGoal.objects.bulk_create(PracticeGoal(practice=self, goal=g) for g in (extracted or [11]))
