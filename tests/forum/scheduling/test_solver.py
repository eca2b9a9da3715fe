"""Greedy and solver outputs always validate; the solver matches exhaustive search; pins never move."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityexchange.forum.scheduling import (
    Assignment,
    Delegate,
    Instance,
    Interpreter,
    Request,
    Slot,
    Table,
    greedy,
    pair,
    solve,
    validate,
)
from cityexchange.forum.scheduling.exhaustive import exhaustive
from cityexchange.forum.scheduling.generator import generate

T0 = dt.datetime(2025, 9, 10, 9, 0)
LANGS = ("en", "ru", "zh")


@st.composite
def small_instances(draw: st.DrawFn) -> Instance:
    n_slots = draw(st.integers(2, 4))
    per_day = draw(st.integers(2, 3))
    slots = [
        Slot(f"s{k}", T0 + dt.timedelta(days=k // per_day, minutes=30 * (k % per_day)),
             T0 + dt.timedelta(days=k // per_day, minutes=30 * (k % per_day) + 25))
        for k in range(n_slots)
    ]  # fmt: skip
    ids = [s.id for s in slots]
    n_del = draw(st.integers(3, 5))
    delegates = []
    for k in range(n_del):
        delegates.append(
            Delegate(
                f"d{k}",
                draw(st.sampled_from(["c0", "c1", "c2"])),
                "XX",
                draw(st.sampled_from([None, None, "g"])) if k < 3 else None,
                frozenset(draw(st.sets(st.sampled_from(LANGS), min_size=1, max_size=2))),
                frozenset(draw(st.sets(st.sampled_from(ids), min_size=1))),
                frozenset(draw(st.sets(st.sampled_from(ids), max_size=1))),
            )
        )
    party = {d.id: d.delegation or d.id for d in delegates}
    pairs = [(a.id, b.id) for a in delegates for b in delegates if a.id < b.id and party[a.id] != party[b.id]]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=5)) if pairs else []
    requests = [Request(f"r{k}", a, b, draw(st.integers(1, 3))) for k, (a, b) in enumerate(chosen)]
    tables = [Table(f"t{k}", draw(st.sampled_from([2, 3, 4]))) for k in range(draw(st.integers(1, 2)))]
    interpreters = [
        Interpreter(f"i{k}", frozenset({pair(*draw(st.sampled_from([("en", "zh"), ("ru", "zh"), ("en", "ru")])))}),
                    frozenset(draw(st.sets(st.sampled_from(ids)))))
        for k in range(draw(st.integers(0, 1)))
    ]  # fmt: skip
    return Instance(slots, delegates, tables, requests, interpreters, draw(st.integers(0, 2)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_solver_matches_exhaustive_search(instance: Instance) -> None:
    best = exhaustive(instance)
    result = solve(instance, time_limit=10)
    assert result.violations == []
    assert validate(instance, result.assignments) == []
    assert result.status == "OPTIMAL"
    assert result.stats.fairness == best.fairness
    assert result.stats.total_priority == best.total_priority
    assert result.stats.total_priority <= result.bound + 1e-6
    if result.stages[-1].status == "OPTIMAL":
        assert result.stats.idle_gaps == best.idle_gaps


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(), st.data())
def test_pinned_meetings_never_move(instance: Instance, data: st.DataObject) -> None:
    base = greedy(instance)
    pins = data.draw(st.lists(st.sampled_from(base), unique=True, max_size=2)) if base else []
    result = solve(instance, time_limit=10, pinned=pins)
    assert validate(instance, result.assignments, pins) == []
    got = {a.request: a for a in result.assignments}
    for p in pins:
        assert (got[p.request].slot, got[p.request].table) == (p.slot, p.table)
    # Optimal among schedules that keep the pins.
    assert result.stats.total_priority == exhaustive(instance, pins).total_priority or result.stats.fairness < (
        exhaustive(instance, pins).fairness
    )


def test_greedy_and_solver_validate_on_generated_instances() -> None:
    for seed in range(3):
        inst = generate(seed, delegates=30, requests=120, tables=8, slots_per_day=5)
        g = greedy(inst)
        assert validate(inst, g) == []
        result = solve(inst, time_limit=4)
        assert result.violations == []
        assert result.stats.total_priority >= result.greedy_stats.total_priority or (
            result.stats.fairness < result.greedy_stats.fairness
        )


def test_rerun_keeps_pins_and_schedules_around_them() -> None:
    inst = generate(7, delegates=30, requests=120, tables=8, slots_per_day=5)
    first = solve(inst, time_limit=4)
    pins = first.assignments[:10]
    second = solve(inst, time_limit=4, pinned=pins)
    assert validate(inst, second.assignments, pins) == []
    assert set(pins) <= set(second.assignments)


def test_pinned_meeting_without_interpreter_gets_one() -> None:
    from .conftest import make_instance

    inst = make_instance()
    result = solve(inst, time_limit=5, pinned=[Assignment("ac", "s0", "t2")])
    got = {a.request: a for a in result.assignments}
    assert got["ac"].slot == "s0" and got["ac"].interpreter == "iv"
    assert result.violations == []


def test_table_bound_instance_stays_valid() -> None:
    # Few tables: LNS neighbourhoods must respect seat thresholds of the fixed meetings too.
    inst = generate(3, delegates=40, requests=200, tables=4, slots_per_day=5)
    result = solve(inst, time_limit=6, full_model_limit=0)
    assert result.violations == []
    assert result.stats.total_priority >= result.greedy_stats.total_priority
