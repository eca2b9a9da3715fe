"""Concrete tables and interpreters for meetings whose slots are decided.

The solver only decides *slots* and keeps tables and interpreters as per-slot capacities (which is exact, see
``cpsat.py``); this module turns a slot choice into concrete resources.

* Tables: the tables fitting a meeting are "all tables with at least its seats" — nested sets — so giving the
  meeting with the most seats the smallest free table that fits, in turn, succeeds whenever the per-threshold
  counts hold.
* Interpreters: a bipartite matching per slot (Kuhn's augmenting paths; a slot has at most a few dozen
  interpreted meetings).
"""

from __future__ import annotations

from collections import defaultdict

from .instance import Assignment, Prepared


class ResourceError(RuntimeError):
    """A slot choice that cannot be given tables or interpreters (a bug in the caller, not bad input)."""


def match_interpreters(
    prep: Prepared, slot: str, items: list[Assignment], allowed: set[str] | None = None
) -> dict[str, str] | None:
    """Interpreter per request for the interpreted ``items`` of ``slot`` (fixed ones kept), or None.

    ``allowed`` restricts the interpreters that may be chosen for the items without one."""
    fixed = {a.request: a.interpreter for a in items if a.interpreter is not None}
    owner: dict[str, str] = {i: r for r, i in fixed.items() if i is not None}
    if len(owner) < len(fixed):
        return None
    free_requests = [a.request for a in items if a.interpreter is None]

    def options(r: str) -> list[str]:
        cands = prep.needs[r].interpreters or frozenset()
        return sorted(
            i
            for i in cands
            if slot in prep.interpreters[i].available and i not in fixed.values() and (allowed is None or i in allowed)
        )

    def augment(r: str, seen: set[str]) -> bool:
        for i in options(r):
            if i in seen:
                continue
            seen.add(i)
            if i not in owner or augment(owner[i], seen):
                owner[i] = r
                return True
        return False

    for r in free_requests:
        if not augment(r, set()):
            return None
    return {r: i for i, r in owner.items()}


def assign_resources(
    prep: Prepared,
    chosen: dict[str, str],
    pinned: list[Assignment] = (),  # type: ignore[assignment]
) -> list[Assignment]:
    """Assignments for ``chosen`` (request -> slot); pinned requests keep their table (and interpreter)."""
    pins = {p.request: p for p in pinned}
    by_slot: dict[str, list[str]] = defaultdict(list)
    for r, s in chosen.items():
        by_slot[s].append(r)
    out: list[Assignment] = []
    tables_by_size = sorted(prep.tables.values(), key=lambda t: (t.seats, t.id))
    for s, rs in sorted(by_slot.items(), key=lambda kv: prep.slot_index[kv[0]]):
        taken = {pins[r].table for r in rs if r in pins}
        table_of = {r: pins[r].table for r in rs if r in pins}
        for r in sorted((r for r in rs if r not in pins), key=lambda r: -prep.needs[r].seats):
            seats = prep.needs[r].seats
            t = next((t for t in tables_by_size if t.seats >= seats and t.id not in taken), None)
            if t is None:
                raise ResourceError(f"no table for request {r!r} in slot {s!r}")
            taken.add(t.id)
            table_of[r] = t.id
        interpreted = [
            Assignment(r, s, table_of[r], pins[r].interpreter if r in pins else None)
            for r in rs
            if prep.needs[r].interpreters is not None
        ]
        interp = match_interpreters(prep, s, interpreted) if interpreted else {}
        if interp is None:
            raise ResourceError(f"not enough interpreters in slot {s!r}")
        out += [Assignment(r, s, table_of[r], interp.get(r)) for r in rs]
    return sorted(out, key=lambda a: (prep.slot_index[a.slot], a.table))
