"""One test per hard constraint: the validator must catch each violation, and accept a valid schedule."""

from __future__ import annotations

import pytest

from cityexchange.forum.scheduling import Assignment, Instance, validate

VALID = [Assignment("ab", "s0", "t2"), Assignment("ac", "s1", "t2", "iv"), Assignment("bd", "s1", "t4")]


def codes(instance: Instance, schedule: list[Assignment], pinned: list[Assignment] = ()) -> set[str]:  # type: ignore[assignment]
    return {v.code for v in validate(instance, schedule, pinned)}


def test_valid_schedule_has_no_violation(instance: Instance) -> None:
    assert validate(instance, VALID) == []


@pytest.mark.parametrize(
    ("schedule", "code"),
    [
        ([Assignment("zz", "s0", "t2")], "unknown"),
        ([Assignment("ab", "s9", "t2")], "unknown"),
        ([Assignment("ab", "s0", "t9")], "unknown"),
        ([Assignment("ab", "s0", "t2"), Assignment("ab", "s1", "t2")], "duplicate"),
        ([Assignment("ab", "s0", "t2"), Assignment("ac", "s0", "t4", "iv")], "party_clash"),
        ([Assignment("ac", "s2", "t2", "iv")], "unavailable"),
        ([Assignment("ab", "s2", "t2")], "own_session"),
        ([Assignment("ab", "s0", "t2"), Assignment("bd", "s1", "t2")], "table_too_small"),
        ([Assignment("ab", "s1", "t4"), Assignment("ac", "s0", "t2", "iv"), Assignment("bd", "s0", "t2")],
         "table_clash"),
        ([Assignment("ac", "s0", "t2")], "interpreter_missing"),
        ([Assignment("ac", "s0", "t2", "ghost")], "unknown"),
    ],
)  # fmt: skip
def test_each_constraint_is_checked(instance: Instance, schedule: list[Assignment], code: str) -> None:
    assert code in codes(instance, schedule)


def test_interpreter_must_cover_the_languages(instance: Instance) -> None:
    from cityexchange.forum.scheduling import Interpreter, pair

    instance.interpreters.append(Interpreter("pt", frozenset({pair("pt", "es")}), frozenset({"s0"})))
    assert "interpreter_language" in codes(instance, [Assignment("ac", "s0", "t2", "pt")])


def test_interpreter_must_be_available(instance: Instance) -> None:
    # chen is available in s0/s1 only, iv too; make chen available in s2 to isolate the interpreter rule.
    d = instance.delegates[2]
    instance.delegates[2] = type(d)(d.id, d.city, d.country, None, d.languages, d.available | {"s2"})
    assert "interpreter_unavailable" in codes(instance, [Assignment("ac", "s2", "t2", "iv")])


def test_interpreter_in_two_meetings_at_once(instance: Instance) -> None:
    from cityexchange.forum.scheduling import Delegate, Request

    instance.delegates.append(Delegate("eve", "Xian", "CN", None, frozenset({"zh"}), frozenset({"s0"})))
    instance.requests.append(Request("de", "dan", "eve", 1))
    schedule = [Assignment("ac", "s0", "t2", "iv"), Assignment("de", "s0", "t4", "iv")]
    assert "interpreter_clash" in codes(instance, schedule)


def test_delegation_is_one_party(instance: Instance) -> None:
    from cityexchange.forum.scheduling import Request

    instance.requests.append(Request("ae", "ann", "dee", 1))  # dee is in delegation za with dan
    schedule = [Assignment("bd", "s0", "t4"), Assignment("ae", "s0", "t2")]
    assert "party_clash" in codes(instance, schedule)


def test_pinned_meeting_moved(instance: Instance) -> None:
    pin = Assignment("ab", "s0", "t2")
    assert "pin_moved" in codes(instance, [Assignment("ab", "s1", "t2")], [pin])
    assert "pin_moved" in codes(instance, [], [pin])
    assert codes(instance, [pin], [pin]) == set()
