"""Bad input gets a clear error naming the offending request, delegate or slot."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from cityexchange.forum.scheduling import Assignment, Instance, InstanceError, Request, Slot, solve


def error_of(instance: Instance) -> str:
    with pytest.raises(InstanceError) as e:
        instance.check()
    return str(e.value)


def test_request_to_oneself(instance: Instance) -> None:
    instance.requests.append(Request("self", "ann", "ann", 1))
    assert "request 'self'" in error_of(instance) and "themself" in error_of(instance)


def test_request_to_unregistered_delegate(instance: Instance) -> None:
    instance.requests.append(Request("ghost", "ann", "zed", 1))
    assert "request 'ghost': delegate 'zed' is not registered" in error_of(instance)


def test_request_inside_one_delegation(instance: Instance) -> None:
    instance.requests.append(Request("inside", "dan", "dee", 1))
    assert "same delegation" in error_of(instance)


def test_overlapping_slots(instance: Instance) -> None:
    s0 = instance.slots[0]
    instance.slots.append(Slot("late", s0.start + dt.timedelta(minutes=10), s0.end + dt.timedelta(minutes=10)))
    assert "'s0'" in error_of(instance) and "'late'" in error_of(instance) and "overlap" in error_of(instance)


def test_availability_outside_the_event(instance: Instance) -> None:
    instance.delegates[0] = dataclasses.replace(instance.delegates[0], available=frozenset({"s0", "gala"}))
    assert "delegate 'ann': available slot 'gala' is not a slot of the event" in error_of(instance)


def test_bad_priority_and_duplicate_ids(instance: Instance) -> None:
    instance.requests.append(Request("ab", "bob", "chen", 0))
    msg = error_of(instance)
    assert "request 'ab' is defined more than once" in msg and "priority 0" in msg


def test_every_problem_is_listed(instance: Instance) -> None:
    instance.requests += [Request("x1", "ann", "ann"), Request("x2", "ann", "nobody")]
    with pytest.raises(InstanceError) as e:
        instance.check()
    assert len(e.value.problems) == 2


def test_infeasible_pins_are_refused(instance: Instance) -> None:
    with pytest.raises(InstanceError, match=r"pinned meetings: .*own session"):
        solve(instance, 5, pinned=[Assignment("ab", "s2", "t2")])
    with pytest.raises(InstanceError, match=r"pinned meetings: .*'t2' has requests"):
        solve(instance, 5, pinned=[Assignment("ab", "s1", "t2"), Assignment("bd", "s1", "t2")])
