"""Practices and challenges made directly (no services, no signals): insights only reads them."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from cityexchange.challenges.models import Challenge
from cityexchange.practices.models import Practice
from cityexchange.registry.models import Sector
from tests.registry.factories import MemberCityFactory


class PracticeFactory(DjangoModelFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"insights-p-{n}")
    city = factory.SubFactory(MemberCityFactory)
    language_id = "en"
    title = factory.Sequence(lambda n: f"Practice {n}")
    summary = "A short summary."
    problem = "The problem."
    solution = "The solution."
    cost_band = "under-100k"
    maturity = "pilot"
    status = Practice.Status.PUBLISHED

    @factory.post_generation
    def sectors(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.sectors.set(Sector.objects.filter(code__in=extracted or ["transportation"]))


class ChallengeFactory(DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"insights-c-{n}")
    city = factory.SubFactory(MemberCityFactory)
    language_id = "en"
    title = factory.Sequence(lambda n: f"Challenge {n}")
    description = "What we need."
    status = Challenge.Status.OPEN
    is_public = True

    @factory.post_generation
    def sectors(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.sectors.set(Sector.objects.filter(code__in=extracted or ["transportation"]))
