"""The scheduling instance: plain dataclasses in, with input checks that name the offending item.

Model decisions (the Django forum app converts its models to these and back):

* A **slot** is one cell of the meeting grid (``start``/``end``); slots must not overlap. The *day* of a slot is
  ``start.date()``; slots of a day are ordered by start, and "consecutive" means consecutive in that order.
* A **delegate** belongs to a city (and country) and optionally to a **delegation**. A delegation is the *party*
  of its meetings: its members travel, sit and talk together, so a meeting requested by or of any member is
  attended by the whole delegation. Hence a delegation has one shared schedule (at most one meeting per slot),
  it is free in a slot only if every member is available and none has an own session then, the table must seat
  both parties' sizes, and it speaks the union of its members' languages. We chose this over "each member meets
  separately" because city delegations at such forums meet as one (the mayor with deputies, sharing one
  interpreter), and it gives one simple resource per party and slot. A delegate without a delegation is a party
  of one.
* **Availability** is a set of slot ids; **own sessions** (``busy``) are slots where the delegate speaks or
  chairs and cannot meet.
* A **table** has a number of seats; identical tables are interchangeable, which the solver exploits.
* An **interpreter** covers language pairs and is available in a set of slots; a meeting whose two parties share
  no language needs one interpreter covering a pair (one language of each side) for its slot.
* A **request** is an accepted 1:1 meeting request between two delegates (so two parties) with a priority >= 1.
* ``min_meetings_per_city``: fairness target, applied "where feasible" (see ``cpsat.py`` for the lexicographic
  objective).

``Instance.check()`` raises :class:`InstanceError` listing every problem found, each naming the request,
delegate, slot, table or interpreter at fault. :class:`Prepared` derives what every algorithm needs (parties,
feasible slots per request, compatible interpreters) once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property


class InstanceError(ValueError):
    """Bad scheduling input. ``problems`` lists one human-readable message per fault."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid scheduling input:\n- " + "\n- ".join(problems))


@dataclass(frozen=True)
class Slot:
    id: str
    start: dt.datetime
    end: dt.datetime

    @property
    def day(self) -> dt.date:
        return self.start.date()


@dataclass(frozen=True)
class Delegate:
    id: str
    city: str
    country: str = ""
    delegation: str | None = None
    languages: frozenset[str] = frozenset()
    available: frozenset[str] = frozenset()
    busy: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Table:
    id: str
    seats: int


def pair(a: str, b: str) -> tuple[str, str]:
    """A language pair in canonical (sorted) order, so ``pair("ru", "en") == pair("en", "ru")``."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Interpreter:
    id: str
    pairs: frozenset[tuple[str, str]]
    available: frozenset[str]

    def covers(self, langs_a: frozenset[str], langs_b: frozenset[str]) -> bool:
        return any(pair(a, b) in self.pairs for a in langs_a for b in langs_b if a != b)


@dataclass(frozen=True)
class Request:
    id: str
    requester: str
    target: str
    priority: int = 1


@dataclass(frozen=True)
class Assignment:
    """One scheduled meeting. ``interpreter`` is None when the parties share a language."""

    request: str
    slot: str
    table: str
    interpreter: str | None = None


@dataclass
class Instance:
    slots: list[Slot]
    delegates: list[Delegate]
    tables: list[Table]
    requests: list[Request]
    interpreters: list[Interpreter] = field(default_factory=list)
    min_meetings_per_city: int = 1

    def check(self) -> None:
        """Raise InstanceError naming every bad item; return None when the instance is usable."""
        problems: list[str] = []
        for kind, items in (
            ("slot", self.slots),
            ("delegate", self.delegates),
            ("table", self.tables),
            ("request", self.requests),
            ("interpreter", self.interpreters),
        ):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    problems.append(f"{kind} {item.id!r} is defined more than once")
                seen.add(item.id)
        slot_ids = {s.id for s in self.slots}
        ordered = sorted(self.slots, key=lambda s: (s.start, s.end))
        for s in ordered:
            if s.end <= s.start:
                problems.append(f"slot {s.id!r} ends ({s.end:%Y-%m-%d %H:%M}) before it starts")
        for a, b in itertools.pairwise(ordered):
            if b.start < a.end:
                problems.append(
                    f"slots {a.id!r} ({a.start:%Y-%m-%d %H:%M}-{a.end:%H:%M}) and {b.id!r} "
                    f"({b.start:%Y-%m-%d %H:%M}-{b.end:%H:%M}) overlap"
                )
        for d in self.delegates:
            for sid in sorted(d.available - slot_ids):
                problems.append(f"delegate {d.id!r}: available slot {sid!r} is not a slot of the event")
            for sid in sorted(d.busy - slot_ids):
                problems.append(f"delegate {d.id!r}: own session in slot {sid!r}, which is not a slot of the event")
            if not d.city:
                problems.append(f"delegate {d.id!r} has no city")
        for t in self.tables:
            if t.seats < 2:
                problems.append(f"table {t.id!r} has {t.seats} seats; a meeting needs at least 2")
        for i in self.interpreters:
            for sid in sorted(i.available - slot_ids):
                problems.append(f"interpreter {i.id!r}: available slot {sid!r} is not a slot of the event")
            for p in sorted(i.pairs):
                if len(p) != 2 or p[0] == p[1]:
                    problems.append(f"interpreter {i.id!r}: {p!r} is not a pair of two different languages")
        by_id = {d.id: d for d in self.delegates}
        for r in self.requests:
            if r.priority < 1:
                problems.append(f"request {r.id!r}: priority {r.priority} must be at least 1")
            missing = [x for x in (r.requester, r.target) if x not in by_id]
            for x in missing:
                problems.append(f"request {r.id!r}: delegate {x!r} is not registered for the event")
            if missing:
                continue
            if r.requester == r.target:
                problems.append(f"request {r.id!r}: delegate {r.requester!r} requests a meeting with themself")
            elif _party_of(by_id[r.requester]) == _party_of(by_id[r.target]):
                problems.append(
                    f"request {r.id!r}: {r.requester!r} and {r.target!r} are in the same delegation "
                    f"{by_id[r.target].delegation!r}"
                )
        if self.min_meetings_per_city < 0:
            problems.append("min_meetings_per_city must not be negative")
        if problems:
            raise InstanceError(problems)

    def check_pins(self, pinned: list[Assignment]) -> None:
        """Pins must name known items, and be jointly feasible (validator rules applied to the pins alone)."""
        from .validator import validate  # local import: validator imports this module

        problems: list[str] = []
        seen: set[str] = set()
        for p in pinned:
            if p.request in seen:
                problems.append(f"request {p.request!r} is pinned twice")
            seen.add(p.request)
        problems += [v.message for v in validate(self, pinned, require_interpreter_choice=False)]
        if problems:
            raise InstanceError(["pinned meetings: " + m for m in problems])


def _party_of(d: Delegate) -> str:
    # Prefix keeps a delegation id from clashing with a delegate id.
    return f"delegation:{d.delegation}" if d.delegation else f"delegate:{d.id}"


@dataclass(frozen=True)
class Party:
    id: str
    members: tuple[str, ...]
    cities: frozenset[str]
    languages: frozenset[str]
    free: frozenset[str]  # slots every member is available and has no own session

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Need:
    """What a request needs to be scheduled, derived once."""

    request: Request
    a: str  # party ids
    b: str
    seats: int
    interpreters: frozenset[str] | None  # None: the parties share a language
    slots: tuple[str, ...]  # feasible slots, chronological


class Prepared:
    """Derived view of a checked instance that all algorithms share."""

    def __init__(self, instance: Instance) -> None:
        instance.check()
        self.instance = instance
        self.slots = sorted(instance.slots, key=lambda s: s.start)
        self.slot_index = {s.id: k for k, s in enumerate(self.slots)}
        self.days: list[list[str]] = []
        for s in self.slots:
            if not self.days or self.slots[self.slot_index[self.days[-1][0]]].day != s.day:
                self.days.append([])
            self.days[-1].append(s.id)
        self.delegates = {d.id: d for d in instance.delegates}
        self.tables = {t.id: t for t in instance.tables}
        self.interpreters = {i.id: i for i in instance.interpreters}
        self.party_of = {d.id: _party_of(d) for d in instance.delegates}
        members: dict[str, list[Delegate]] = defaultdict(list)
        for d in instance.delegates:
            members[self.party_of[d.id]].append(d)
        all_slots = frozenset(self.slot_index)
        self.parties: dict[str, Party] = {}
        for pid, ds in members.items():
            free = all_slots
            for d in ds:
                free = free & d.available - d.busy
            self.parties[pid] = Party(
                id=pid,
                members=tuple(d.id for d in ds),
                cities=frozenset(d.city for d in ds),
                languages=frozenset().union(*(d.languages for d in ds)),
                free=free,
            )
        max_seats = max((t.seats for t in instance.tables), default=0)
        self.needs: dict[str, Need] = {}
        for r in instance.requests:
            a, b = self.party_of[r.requester], self.party_of[r.target]
            pa, pb = self.parties[a], self.parties[b]
            seats = pa.size + pb.size
            common = pa.free & pb.free
            interp: frozenset[str] | None = None
            if not pa.languages & pb.languages:
                interp = frozenset(i.id for i in instance.interpreters if i.covers(pa.languages, pb.languages))
                common = frozenset(s for s in common if any(s in self.interpreters[i].available for i in interp))
            if seats > max_seats:
                common = frozenset()
            self.needs[r.id] = Need(r, a, b, seats, interp, tuple(sorted(common, key=lambda s: self.slot_index[s])))

    @cached_property
    def requests_of_party(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for n in self.needs.values():
            out[n.a].append(n.request.id)
            out[n.b].append(n.request.id)
        return out

    @cached_property
    def cities_with_requests(self) -> list[str]:
        return sorted({c for p in self.requests_of_party for c in self.parties[p].cities})
