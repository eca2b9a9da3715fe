"""Builders for cooperation tests: published practices with indicators, challenges, and cooperations walked to a
stage through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cityexchange.challenges.models import Challenge
from cityexchange.cooperation import services
from cityexchange.cooperation.stages import Evidence, Result, Signatory, Stage
from cityexchange.practices.models import Indicator, Practice
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory, MemberCityFactory


def published_practice(city: Any, **kwargs: Any) -> Practice:
    practice = PracticeFactory(city=city, status=Practice.Status.PUBLISHED, published_at=timezone.now(), **kwargs)
    Indicator.objects.create(practice=practice, position=0, name="Bus speed", baseline=12.0, achieved=19.0, unit="km/h")
    Indicator.objects.create(practice=practice, position=1, name="Riders", baseline=1.0, achieved=1.4, unit="million")
    return practice


def challenge(city: Any, **kwargs: Any) -> Challenge:
    data = {
        "external_id": f"ch-{Challenge.objects.count() + 1}-{city.pk}",
        "city": city,
        "language_id": "en",
        "title": "Congested buses",
        "description": "Our buses are slow.",
        "status": Challenge.Status.OPEN,
        "is_public": True,
    }
    data.update(kwargs)
    return Challenge.objects.create(**data)


def officer_of(city: Any, role: str = "officer") -> Any:
    return CityRoleFactory(city=city, role=role).user


def stranger_officer() -> Any:
    return officer_of(MemberCityFactory(name="Elsewhere"))


YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def evidence_for(stage: str, cooperation: Any, **overrides: Any) -> Evidence:
    """Complete evidence for moving `cooperation` to `stage`."""
    city_ids = list(cooperation.participants.values_list("city_id", flat=True))
    indicators = list(Indicator.objects.filter(practice_id=cooperation.practice_id).values_list("pk", flat=True))
    data: dict[str, Any] = {"occurred_on": YESTERDAY, "note": f"{stage} done", "private_note": f"secret {stage}"}
    if stage == Stage.AGREEMENT:
        data |= {
            "agreement_kind": "memorandum",
            "signed_on": YESTERDAY,
            "signatories": [Signatory(c, f"Mayor {c}", "Mayor") for c in city_ids],
        }
    if stage == Stage.EVALUATED:
        data["results"] = (
            [Result(value=17.5, indicator_id=indicators[0])] if indicators else [Result(value=3.0, name="Queue")]
        )
    if stage == Stage.CLOSED:
        data["reason"] = "The budget was cut."
    data.update(overrides)
    return Evidence(**data)


def walk(cooperation: Any, actor: Any, *stages: str) -> Any:
    for stage in stages:
        services.cooperation_move(
            actor=actor, cooperation=cooperation, to_stage=stage, evidence=evidence_for(stage, cooperation)
        )
    cooperation.refresh_from_db()
    return cooperation
