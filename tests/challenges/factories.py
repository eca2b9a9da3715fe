from __future__ import annotations

import copy
from typing import Any

import factory
from factory.django import DjangoModelFactory

from cityexchange.challenges.models import Challenge
from cityexchange.registry.models import Sector
from tests.registry.factories import MemberCityFactory

DOC: dict[str, Any] = {
    "language": "pt",
    "title": "Enchentes no centro",
    "description": "As chuvas de verão alagam o **centro** todos os anos.",
    "desired_outcome": "Menos de um alagamento por ano.",
    "sectors": ["water", "urban-management"],
    "constraints": {"budget": "Até 2 milhões de reais", "timeframe": "2 anos", "conditions": "Solo impermeável"},
    "is_public": False,
}


def challenge_doc(**overrides: Any) -> dict[str, Any]:
    doc = copy.deepcopy(DOC)
    doc.update(overrides)
    return doc


class ChallengeFactory(DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"ch-{n}")
    city = factory.SubFactory(MemberCityFactory)
    language_id = "en"
    title = factory.Sequence(lambda n: f"Challenge {n}")
    description = "We need help."
    is_public = False

    @factory.post_generation
    def sectors(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.sectors.set(Sector.objects.filter(code__in=extracted or ["water"]))
