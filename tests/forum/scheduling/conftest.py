"""A tiny hand-made instance shared by the validator and input tests."""

from __future__ import annotations

import datetime as dt

import pytest

from cityexchange.forum.scheduling import Delegate, Instance, Interpreter, Request, Slot, Table, pair

T0 = dt.datetime(2025, 9, 10, 9, 0)


def slots(n: int = 3) -> list[Slot]:
    return [Slot(f"s{k}", T0 + dt.timedelta(minutes=30 * k), T0 + dt.timedelta(minutes=30 * k + 25)) for k in range(n)]


ALL = frozenset({"s0", "s1", "s2"})


def make_instance() -> Instance:
    return Instance(
        slots=slots(),
        delegates=[
            Delegate("ann", "Kazan", "RU", None, frozenset({"ru", "en"}), ALL),
            Delegate("bob", "Recife", "BR", None, frozenset({"pt", "en"}), ALL, frozenset({"s2"})),
            Delegate("chen", "Wuhan", "CN", None, frozenset({"zh"}), frozenset({"s0", "s1"})),
            Delegate("dan", "Durban", "ZA", "za", frozenset({"en"}), ALL),
            Delegate("dee", "Durban", "ZA", "za", frozenset({"en"}), ALL),
        ],
        tables=[Table("t2", 2), Table("t4", 4)],
        requests=[
            Request("ab", "ann", "bob", 3),  # shared language
            Request("ac", "ann", "chen", 2),  # needs a ru/en-zh interpreter
            Request("bd", "bob", "dan", 1),  # delegation za (2 people) + bob: needs 3 seats
        ],
        interpreters=[Interpreter("iv", frozenset({pair("en", "zh")}), frozenset({"s0", "s1"}))],
    )


@pytest.fixture
def instance() -> Instance:
    return make_instance()
