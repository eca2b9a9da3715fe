"""A small platform with something on every main page: two member cities, practices in Portuguese and English (so
that English user content must be told apart from English interface text), a Russian challenge, a cooperation, a
forum event with a session and a registration, the general assembly with an open vote, a working group and a
document. Built through the services, as the platform builds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from cityexchange.challenges.models import Challenge
from cityexchange.cooperation import services as cooperation_services
from cityexchange.cooperation.models import Agreement, StageEvent
from cityexchange.cooperation.stages import Stage
from cityexchange.forum import services as forum_services
from cityexchange.forum.models import Event
from cityexchange.governance import services as governance_services
from cityexchange.governance.models import Document
from cityexchange.matching import store
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.practices import services as practice_services
from cityexchange.practices.models import Indicator, Practice
from cityexchange.registry.models import Language, Sector
from tests.challenges.factories import ChallengeFactory
from tests.cooperation.factories import walk
from tests.forum.factories import at
from tests.governance.factories import assembly_with, open_vote
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory

BUS_QUERY = "faixas exclusivas para ônibus"


@dataclass
class World:
    practice: Practice
    english_practice: Practice
    challenge: Challenge
    cooperation: Any
    event: Event
    officer: Any
    kazan: Any
    group: Any
    document: Document
    vote: Any


def build(*, secretariat: Any, kazan: Any, sao_paulo: Any, capture: Any) -> World:
    store.set_encoder(HashingEncoder(dim=384))
    officer = CityRoleFactory(city=kazan, role="officer").user
    sp_officer = CityRoleFactory(city=sao_paulo, role="officer").user
    practice = PracticeFactory(
        city=sao_paulo,
        language_id="pt",
        status=Practice.Status.SUBMITTED,
        title="Faixas exclusivas para ônibus",
        summary="Faixas exclusivas para ônibus reduziram o tempo de viagem em 30 % na hora de pico.",
        problem="Os ônibus ficavam presos nos congestionamentos.",
        solution="Faixas exclusivas e embarque em nível.",
        sectors=["transportation"],
        sdgs=[11],
        min_population=500_000,
        climates=["continental", "temperate"],
    )
    Indicator.objects.create(practice=practice, name="Tempo de viagem", baseline=42, achieved=28, unit="min", year=2023)
    english = PracticeFactory(
        city=kazan,
        language_id="en",
        status=Practice.Status.SUBMITTED,
        title="Smart traffic lights for the city centre",
        summary="Why the lights matched the traffic: the Search for a Practice that met the Challenge.",
        problem="Option one of the Contract was the plan.",
        solution="Sign in to the lights of the city.",
        sectors=["transportation"],
    )
    with capture(execute=True):
        practice_services.practice_publish(actor=secretariat, practice=practice)
        practice_services.practice_publish(actor=secretariat, practice=english)
    challenge = ChallengeFactory(
        city=kazan,
        language_id="ru",
        title="Автобусы стоят в пробках",
        description="Автобусы в центре города стоят в пробках в час пик.",
        is_public=True,
        status=Challenge.Status.OPEN,
        sectors=["transportation"],
    )
    request = cooperation_services.contact_request_create(actor=officer, practice=practice, message="Давайте обсудим.")
    cooperation = cooperation_services.contact_request_accept(actor=sp_officer, request=request, answer="Com prazer.")
    # An agreement (a contract) on record, so its kind and the register show; stages dated from a week ago.
    StageEvent.objects.filter(cooperation=cooperation).update(occurred_on=timezone.localdate() - dt.timedelta(days=7))
    walk(cooperation, officer, Stage.STUDY_VISIT)
    walk(cooperation, officer, Stage.AGREEMENT)
    Agreement.objects.filter(cooperation=cooperation).update(kind="contract")
    event = forum_services.event_create(
        actor=secretariat,
        name="Форум городов",
        slug="forum-kazan",
        city=kazan,
        timezone_name="Europe/Moscow",
        starts_on=at(1, 0).date(),
        ends_on=at(2, 0).date(),
        venue="Казань Экспо",
        working_languages=Language.objects.filter(code__in=["en", "ru"]),
        is_published=True,
        organisers=[secretariat],
    )
    forum_services.session_add(
        actor=secretariat,
        event=event,
        title="Пленарное заседание",
        kind="plenary",
        starts_at=at(1, 9),
        ends_at=at(1, 10),
    )
    forum_services.registration_create(
        actor=secretariat,
        event=event,
        user=officer,
        city=kazan,
        role="Заместитель мэра",
        languages=Language.objects.filter(code__in=["ru"]),
        arrival=at(1, 0),
        departure=at(2, 23),
    )
    assembly = assembly_with(kazan, sao_paulo)
    vote = open_vote(secretariat, assembly, title="Утвердить годовой отчёт")
    group = governance_services.group_create(
        actor=secretariat,
        slug="transport",
        name="Transport",
        names={"ru": "Транспорт", "pt": "Transporte"},
        sectors=Sector.objects.filter(code="transportation"),
    )
    document = Document.objects.create(slug="statutes", kind="statutes")
    governance_services.document_version_add(
        actor=secretariat,
        document=document,
        adopted_on=timezone.localdate() - dt.timedelta(days=30),
        decision="Учредительное собрание, Казань",
        texts={"ru": ("Устав", "Статья 1. Название.")},
    )
    return World(practice, english, challenge, cooperation, event, officer, kazan, group, document, vote)


def built(secretariat: Any, kazan: Any, sao_paulo: Any, capture: Any) -> Iterator[World]:
    """The body of a `world` fixture: the site built in English, then the index's encoder put back."""
    with translation.override("en"):
        world = build(secretariat=secretariat, kazan=kazan, sao_paulo=sao_paulo, capture=capture)
    yield world
    store.set_encoder(None)
