"""Seeded random instances shaped like the BRICS+ cities forum, for benchmarks and tests.

Shape: delegates from 21 countries (6 languages; about 75 % of non-native English speakers speak English),
grouped in parties — mostly single delegates, some city delegations of 2-3 who meet together; each party is
available in about 85 % of the slots (independently per slot), some delegates have own sessions; request targets
follow a mild popularity skew; priorities 1-3 (50/30/20 %); tables mostly 4 seats, some 8; interpreters know 2-3
languages and cover every pair among them, available in about 90 % of the slots.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from .instance import Delegate, Instance, Interpreter, Request, Slot, Table, pair

LANGUAGES = ("en", "ru", "zh", "pt", "ar", "es")
COUNTRIES = {
    "BR": "pt", "RU": "ru", "IN": "en", "CN": "zh", "ZA": "en", "EG": "ar", "ET": "en", "AE": "ar", "SA": "ar",
    "ID": "en", "BY": "ru", "BO": "es", "KZ": "ru", "CU": "es", "MY": "en", "TH": "en", "UG": "en", "UZ": "ru",
    "NG": "en", "VN": "en", "DZ": "ar",
}  # fmt: skip


def generate(
    seed: int = 0,
    *,
    delegates: int = 200,
    requests: int = 1200,
    tables: int = 80,
    days: int = 2,
    slots_per_day: int = 10,
    availability: float = 0.85,
    interpreters: int = 10,
    min_meetings_per_city: int = 1,
) -> Instance:
    rng = random.Random(seed)
    start = dt.datetime(2025, 9, 10, 9, 0)
    slots = [
        Slot(f"d{d + 1}s{k + 1:02d}", start + dt.timedelta(days=d, minutes=30 * k),
             start + dt.timedelta(days=d, minutes=30 * k + 25))
        for d in range(days)
        for k in range(slots_per_day)
    ]  # fmt: skip
    slot_ids = [s.id for s in slots]
    countries = list(COUNTRIES)
    cities = [(f"city{c:04d}", countries[c % len(countries)]) for c in range(max(1, delegates // 2))]
    people: list[Delegate] = []
    parties: list[list[str]] = []
    while len(people) < delegates:
        size = min(rng.choices((1, 2, 3), (0.8, 0.13, 0.07))[0], delegates - len(people))
        city, country = rng.choice(cities)
        free = frozenset(s for s in slot_ids if rng.random() < availability)
        deleg = f"del{len(parties):04d}" if size > 1 else None
        members = []
        for _ in range(size):
            native = COUNTRIES[country]
            langs = {native}
            if native != "en" and rng.random() < 0.75:
                langs.add("en")
            if rng.random() < 0.1:
                langs.add("ru")
            busy = frozenset(rng.sample(slot_ids, rng.randint(1, 2))) if rng.random() < 0.15 else frozenset()
            d = Delegate(f"p{len(people):05d}", city, country, deleg, frozenset(langs), free, busy)
            people.append(d)
            members.append(d.id)
        parties.append(members)
    popularity = [rng.lognormvariate(0, 0.6) for _ in parties]
    seen: set[tuple[int, int]] = set()
    reqs: list[Request] = []
    limit = len(parties) * (len(parties) - 1) // 2
    while len(reqs) < min(requests, limit):
        a = rng.randrange(len(parties))
        b = rng.choices(range(len(parties)), popularity)[0]
        key = (min(a, b), max(a, b))
        if a == b or key in seen:
            continue
        seen.add(key)
        prio = rng.choices((1, 2, 3), (0.5, 0.3, 0.2))[0]
        reqs.append(Request(f"r{len(reqs):05d}", rng.choice(parties[a]), rng.choice(parties[b]), prio))
    tabs = [Table(f"t{k:04d}", 8 if k >= tables * 0.85 else 4) for k in range(tables)]
    interps = []
    for k in range(interpreters):
        known = rng.sample(LANGUAGES, rng.choice((2, 2, 3)))
        pairs = frozenset(pair(x, y) for x, y in itertools.combinations(known, 2))
        interps.append(Interpreter(f"i{k:02d}", pairs, frozenset(s for s in slot_ids if rng.random() < 0.9)))
    return Instance(slots, people, tabs, reqs, interps, min_meetings_per_city)


VARIANTS: dict[str, dict[str, int]] = {
    "a": {"delegates": 200, "requests": 1200, "tables": 80},
    "b": {"delegates": 200, "requests": 2000, "tables": 80},
    "c": {"delegates": 200, "requests": 1200, "tables": 30},
    "d": {"delegates": 2000, "requests": 20000, "tables": 800},
}
