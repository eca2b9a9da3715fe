"""The demo forum for `cityexchange init --demo`: the International Forum of BRICS+ Cities in Kazan.

Two days, ten 30-minute meeting slots a day, eight tables, five working languages, a programme of plenaries and
sector tracks, about forty delegates of the demo member cities (some in delegations with their mayor), about sixty
meeting requests — most accepted — and no schedule yet, so the organiser can build it in the browser.
Everything goes through the services (so the audit log fills too). Idempotent: a rerun adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction

from cityexchange.accounts.models import CityRole, User
from cityexchange.registry.demo import MEMBERS, PASSWORD, SECRETARIAT_EMAIL, find_city
from cityexchange.registry.models import Language, Sector

from . import services
from .models import Event, MeetingRequest, Registration

SLUG = "brics-cities-forum-kazan"
NAME = "International Forum of BRICS+ Cities"
LANGS_BY_COUNTRY = {
    "RU": ["ru", "en"],
    "BR": ["pt", "en"],
    "CN": ["zh", "en"],
    "IN": ["en", "hi"],
    "ZA": ["en"],
    "EG": ["ar", "en"],
    "ET": ["en", "am"],
    "IR": ["fa", "en"],
    "AE": ["ar", "en"],
    "ID": ["id", "en"],
    "BY": ["ru"],
    "KZ": ["ru", "en"],
    "UZ": ["ru", "uz"],
    "MY": ["en", "ms"],
    "TH": ["th", "en"],
    "VN": ["vi", "en"],
    "NG": ["en"],
    "UG": ["en"],
    "BO": ["es"],
    "CU": ["es"],
}
# Cities that come as a delegation: the mayor (speaks only the local language) with the officer, some a deputy.
MAYORS = {"kazan", "saopaulo", "shanghai", "pune", "capetown", "dubai", "alexandria", "almaty", "lagos", "havana"}
DEPUTIES = {"kazan", "shanghai", "saopaulo", "dubai"}
# Coordinators whose registration waits for the organisers, so approval can be tried.
PENDING = {"ufa", "durban", "novosibirsk"}
TOPICS = {
    "transportation": "Bus rapid transit and smart traffic lights",
    "digital-government": "One-stop digital services for residents",
    "water": "Reducing water losses in the network",
    "waste": "Separate collection and recycling",
    "ecology": "Urban green corridors",
    "housing": "Affordable housing programmes",
    "healthcare": "Primary care clinics in every district",
    "tourism": "Year-round city tourism",
    "culture": "Heritage sites as living spaces",
    "sports": "Hosting international sports events",
    "industry": "Industrial parks and SME support",
    "energy": "Energy-efficient street lighting",
    "education": "Digital schools",
    "infrastructure": "Public-private partnerships for infrastructure",
    "urban-management": "Smart city control centres",
    "public-safety": "Safe city video analytics",
}


def _user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(username=email, email=email, display_name=name)
        user.set_password(PASSWORD)
        user.save()
    return user


def _langs(codes: list[str]) -> list[Language]:
    return list(Language.objects.filter(code__in=codes))


@transaction.atomic
def _build(stdout: TextIO) -> None:
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    kazan = find_city("Kazan", "RU")
    start = dt.date.today() + dt.timedelta(days=45)
    event = services.event_create(
        actor=secretariat,
        name=NAME,
        slug=SLUG,
        city=kazan,
        timezone_name="Europe/Moscow",
        starts_on=start,
        ends_on=start + dt.timedelta(days=1),
        venue="Kazan Expo International Exhibition Centre",
        description=(
            "The association's annual forum: about 200 municipal leaders of BRICS+ cities meet to exchange "
            "technologies and best practices — plenaries, sector tracks and one-to-one meetings between cities."
        ),
        working_languages=_langs(["en", "ru", "zh", "pt", "ar"]),
        is_published=True,
    )
    kazan_coordinator = User.objects.get(email="coordinator.kazan@demo.cityexchange.org")
    services.event_set_organisers(actor=secretariat, event=event, organisers=[secretariat, kazan_coordinator])
    tz = event.tz

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(start + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=tz)

    # Meeting grid: 10:30–13:00 and 15:00–17:30, two days → 20 slots of 30 minutes; 8 tables.
    for day in (0, 1):
        for first in (dt.time(10, 30), dt.time(15, 0)):
            services.slots_create_grid(
                actor=secretariat, event=event, day=start + dt.timedelta(days=day), first_start=first, count=5
            )
    services.tables_create(actor=secretariat, event=event, count=6, seats=4, prefix="T")
    services.tables_create(actor=secretariat, event=event, count=2, seats=8, prefix="T")
    for name, pairs in (
        ("Anna Sokolova", ["en-ru", "en-zh", "ru-zh"]),
        ("Carlos Mendes", ["es-en", "es-pt", "es-ru"]),
        ("Li Wei", ["zh-ru", "zh-en", "zh-pt"]),
        ("Layla Haddad", ["ar-en", "ar-ru", "fa-en"]),
    ):
        services.interpreter_add(actor=secretariat, event=event, name=name, language_pairs=pairs)

    # Delegates.
    regs: list[Registration] = []
    by_slug: dict[str, list[Registration]] = {}
    for k, (city_name, country, slug, _sectors) in enumerate(MEMBERS):
        city = find_city(city_name, country)
        langs = LANGS_BY_COUNTRY.get(country, ["en"])
        arrival, departure = at(-1, 18), at(2, 12)
        if k % 9 == 4:
            arrival = at(1, 8)  # arrives for the second day only
        elif k % 11 == 6:
            departure = at(0, 20)  # leaves after the first day
        people = [
            (
                f"officer.{slug}@demo.cityexchange.org",
                f"Officer of {city_name}",
                "Head of international relations",
                langs,
            )
        ]
        if slug in MAYORS:
            people.insert(0, (f"mayor.{slug}@demo.cityexchange.org", f"Mayor of {city_name}", "Mayor", langs[:1]))
        if slug in DEPUTIES:
            people.append(
                (f"deputy.{slug}@demo.cityexchange.org", f"Deputy mayor of {city_name}", "Deputy mayor", langs)
            )
        for email, display, role, spoken in people:
            user = _user(email, display)
            CityRole.objects.get_or_create(user=user, city=city, defaults={"role": CityRole.Role.OFFICER})
            reg = services.registration_create(
                actor=secretariat,
                event=event,
                user=user,
                city=city,
                role=role,
                languages=_langs(spoken),
                arrival=arrival,
                departure=departure,
                needs_interpreter=not ({"en", "ru"} & set(spoken)),
                join_delegation=len(people) > 1,
            )
            regs.append(reg)
            by_slug.setdefault(slug, []).append(reg)
        if slug in PENDING:
            coordinator = User.objects.get(email=f"coordinator.{slug}@demo.cityexchange.org")
            services.registration_create(
                actor=coordinator,
                event=event,
                user=coordinator,
                city=city,
                role="City coordinator",
                languages=_langs(langs),
                arrival=at(-1, 18),
                departure=at(2, 12),
            )

    # Programme: opening plenary, sector tracks in three halls, closing plenary.
    plenary = services.room_add(actor=secretariat, event=event, name="Plenary hall", capacity=400)
    halls = [services.room_add(actor=secretariat, event=event, name=f"Hall {x}", capacity=120) for x in "ABC"]
    speakers = [by_slug[s][0] for s in ("kazan", "shanghai", "saopaulo", "pune", "dubai", "capetown")]
    services.session_add(
        actor=secretariat,
        event=event,
        title="Opening plenary: cities of BRICS+ working together",
        kind="plenary",
        starts_at=at(0, 9),
        ends_at=at(0, 10, 15),
        room=plenary,
        speakers=speakers[:2],
    )
    tracks = ["transportation", "digital-government", "water", "ecology", "healthcare", "tourism"]
    for day in (0, 1):
        for n, hall in enumerate(halls):
            code = tracks[day * 3 + n]
            sector = Sector.objects.get(code=code)
            services.session_add(
                actor=secretariat,
                event=event,
                title=f"{sector.name}: {TOPICS[code]}",
                sector=sector,
                room=hall,
                starts_at=at(day, 13, 30),
                ends_at=at(day, 14, 45),
                speakers=[speakers[(day * 3 + n) % 6]],
            )
    services.session_add(
        actor=secretariat,
        event=event,
        title="Closing plenary and Kazan declaration",
        kind="plenary",
        starts_at=at(1, 17, 45),
        ends_at=at(1, 18, 45),
        room=plenary,
        speakers=speakers[:1],
    )

    # Meeting requests: about sixty, most accepted, some waiting, a few declined.
    rng = random.Random(2026)
    sectors_of = {slug: codes for _n, _c, slug, codes in MEMBERS}
    slug_of = {r.pk: s for s, rs in by_slug.items() for r in rs}
    made: set[frozenset[str]] = set()
    count = 0
    while count < 60:
        a, b = rng.sample(regs, 2)
        sa, sb = slug_of[a.pk], slug_of[b.pk]
        if sa == sb or frozenset((sa, sb)) in made:
            continue
        made.add(frozenset((sa, sb)))
        shared = [c for c in sectors_of[sa] if c in sectors_of[sb]] or sectors_of[sb]
        req = services.meeting_request_create(
            actor=a.user, requester=a, target=b, priority=rng.choice((1, 1, 2, 2, 3)), topic=TOPICS[shared[0]]
        )
        count += 1
        roll = count % 10
        if roll < 8:
            services.meeting_request_accept(actor=b.user, request=req)
        elif roll == 8 and count % 20 == 8:
            services.meeting_request_decline(actor=b.user, request=req)
    stdout.write(
        f"Demo forum: {Registration.objects.filter(event=event).count()} registrations, "
        f"{MeetingRequest.objects.filter(event=event, status='accepted').count()} accepted meeting requests, "
        f"{event.slots.count()} slots × {event.tables.count()} tables; schedule not built yet."
    )


def load(stdout: TextIO) -> list[tuple[str, str, str]]:
    if not Event.objects.filter(slug=SLUG).exists():
        _build(stdout)
    return [
        (SECRETARIAT_EMAIL, PASSWORD, f"forum organiser: /en/forum/{SLUG}/manage/schedule/"),
        ("coordinator.kazan@demo.cityexchange.org", PASSWORD, "forum organiser (Kazan)"),
        ("mayor.kazan@demo.cityexchange.org", PASSWORD, "forum delegate, Kazan delegation"),
        ("officer.saopaulo@demo.cityexchange.org", PASSWORD, "forum delegate, São Paulo delegation"),
    ]


__all__: list[Any] = ["SLUG", "load"]
