"""Checks every hard constraint of a schedule and reports each violation with a code and a clear message.

Codes (one per hard constraint, so tests can target each):
``unknown`` (request, slot, table or interpreter not in the instance), ``duplicate`` (a request scheduled
twice), ``party_clash`` (a delegate/delegation in two meetings of one slot), ``unavailable`` (slot outside a
member's availability), ``own_session`` (slot in a member's own session), ``table_clash`` (two meetings at one
table in one slot), ``table_too_small``, ``interpreter_missing`` (parties share no language and no interpreter
assigned), ``interpreter_language`` (interpreter does not cover a pair of the two sides), ``interpreter_unavailable``,
``interpreter_clash``, ``pin_moved`` (a pinned meeting absent or at another slot/table/interpreter).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .instance import Assignment, Instance, Prepared


@dataclass(frozen=True)
class Violation:
    code: str
    message: str


def validate(
    instance: Instance | Prepared,
    assignments: list[Assignment],
    pinned: list[Assignment] = (),  # type: ignore[assignment]
    *,
    require_interpreter_choice: bool = True,
) -> list[Violation]:
    """Return all hard-constraint violations of ``assignments`` (empty list: the schedule is valid).

    ``require_interpreter_choice=False`` accepts a missing interpreter (used for pins, where the solver may
    choose the interpreter)."""
    prep = instance if isinstance(instance, Prepared) else Prepared(instance)
    out: list[Violation] = []

    def bad(code: str, msg: str) -> None:
        out.append(Violation(code, msg))

    seen: set[str] = set()
    party_slot: dict[tuple[str, str], str] = {}
    table_slot: dict[tuple[str, str], str] = {}
    interp_slot: dict[tuple[str, str], str] = {}
    for a in assignments:
        need = prep.needs.get(a.request)
        known = True
        if need is None:
            bad("unknown", f"request {a.request!r} is not an accepted request of the instance")
            known = False
        if a.slot not in prep.slot_index:
            bad("unknown", f"request {a.request!r}: slot {a.slot!r} is not a slot of the event")
            known = False
        if a.table not in prep.tables:
            bad("unknown", f"request {a.request!r}: table {a.table!r} does not exist")
            known = False
        if a.interpreter is not None and a.interpreter not in prep.interpreters:
            bad("unknown", f"request {a.request!r}: interpreter {a.interpreter!r} does not exist")
            known = False
        if not known or need is None:
            continue
        if a.request in seen:
            bad("duplicate", f"request {a.request!r} is scheduled more than once")
        seen.add(a.request)
        for pid in (need.a, need.b):
            other = party_slot.get((pid, a.slot))
            if other is not None:
                bad("party_clash", f"{_who(prep, pid)} has requests {other!r} and {a.request!r} in slot {a.slot!r}")
            party_slot[(pid, a.slot)] = a.request
            for m in prep.parties[pid].members:
                d = prep.delegates[m]
                if a.slot not in d.available:
                    bad("unavailable", f"request {a.request!r}: delegate {m!r} is not available in slot {a.slot!r}")
                if a.slot in d.busy:
                    bad("own_session", f"request {a.request!r}: delegate {m!r} has an own session in slot {a.slot!r}")
        other = table_slot.get((a.table, a.slot))
        if other is not None:
            bad("table_clash", f"table {a.table!r} has requests {other!r} and {a.request!r} in slot {a.slot!r}")
        table_slot[(a.table, a.slot)] = a.request
        seats = prep.tables[a.table].seats
        if seats < need.seats:
            bad("table_too_small", f"request {a.request!r}: table {a.table!r} seats {seats}, needs {need.seats}")
        if need.interpreters is not None and a.interpreter is None and require_interpreter_choice:
            bad("interpreter_missing", f"request {a.request!r}: the parties share no language and have no interpreter")
        if a.interpreter is not None:
            i = prep.interpreters[a.interpreter]
            pa, pb = prep.parties[need.a], prep.parties[need.b]
            if need.interpreters is not None and not i.covers(pa.languages, pb.languages):
                bad(
                    "interpreter_language",
                    f"request {a.request!r}: interpreter {i.id!r} covers no pair of "
                    f"{sorted(pa.languages)} and {sorted(pb.languages)}",
                )
            if a.slot not in i.available:
                bad(
                    "interpreter_unavailable",
                    f"request {a.request!r}: interpreter {i.id!r} is not available in slot {a.slot!r}",
                )
            other = interp_slot.get((i.id, a.slot))
            if other is not None:
                bad(
                    "interpreter_clash",
                    f"interpreter {i.id!r} has requests {other!r} and {a.request!r} in slot {a.slot!r}",
                )
            interp_slot[(i.id, a.slot)] = a.request
    if not require_interpreter_choice:
        # Pins without a chosen interpreter still must not exceed the interpreters available in the slot.
        out += _interpreter_capacity(prep, assignments)
    by_request = {a.request: a for a in assignments}
    for p in pinned:
        got = by_request.get(p.request)
        if got is None:
            bad("pin_moved", f"pinned request {p.request!r} is not scheduled")
        elif (got.slot, got.table) != (p.slot, p.table) or (
            p.interpreter is not None and got.interpreter != p.interpreter
        ):
            bad(
                "pin_moved",
                f"pinned request {p.request!r} moved from slot {p.slot!r} table {p.table!r} to "
                f"slot {got.slot!r} table {got.table!r}",
            )
    return out


def _interpreter_capacity(prep: Prepared, assignments: list[Assignment]) -> list[Violation]:
    from .resources import match_interpreters

    by_slot: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        n = prep.needs.get(a.request)
        if n is not None and n.interpreters is not None and a.slot in prep.slot_index:
            by_slot[a.slot].append(a)
    out = []
    for s, items in by_slot.items():
        if match_interpreters(prep, s, items) is None:
            out.append(
                Violation(
                    "interpreter_missing",
                    f"slot {s!r}: not enough interpreters for requests {sorted(a.request for a in items)}",
                )
            )
    return out


def _who(prep: Prepared, party: str) -> str:
    kind, _, name = party.partition(":")
    return f"{kind} {name!r}"
