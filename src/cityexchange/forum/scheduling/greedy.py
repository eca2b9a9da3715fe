"""The baseline most event tools use: requests by priority (highest first, then input order), each put in the
first slot, chronologically, where both parties are free and a table and (if needed) an interpreter are left.

It respects every hard constraint (delegations, tables, interpreters, pins) so the comparison with the solver
is fair, and its schedule is the solver's warm start.
"""

from __future__ import annotations

from collections import defaultdict

from .instance import Assignment, Instance, Prepared


def greedy(instance: Instance | Prepared, pinned: list[Assignment] = ()) -> list[Assignment]:  # type: ignore[assignment]
    prep = instance if isinstance(instance, Prepared) else Prepared(instance)
    prep.instance.check_pins(list(pinned))
    busy: set[tuple[str, str]] = set()  # (party, slot)
    tables_taken: set[tuple[str, str]] = set()  # (table, slot)
    interp_taken: set[tuple[str, str]] = set()
    out: list[Assignment] = []
    tables = sorted(prep.tables.values(), key=lambda t: (t.seats, t.id))

    def book(a: Assignment) -> None:
        n = prep.needs[a.request]
        busy.update({(n.a, a.slot), (n.b, a.slot)})
        tables_taken.add((a.table, a.slot))
        if a.interpreter:
            interp_taken.add((a.interpreter, a.slot))
        out.append(a)

    pins_wanting_interpreter: dict[str, list[Assignment]] = defaultdict(list)
    for p in pinned:
        if prep.needs[p.request].interpreters is not None and p.interpreter is None:
            pins_wanting_interpreter[p.slot].append(p)
        else:
            book(p)
    for s, ps in pins_wanting_interpreter.items():
        from .resources import match_interpreters

        m = match_interpreters(prep, s, ps) or {}  # check_pins guaranteed a matching exists
        for p in ps:
            book(Assignment(p.request, p.slot, p.table, m[p.request]))
    pinned_ids = {p.request for p in pinned}
    order = sorted(
        (n for n in prep.needs.values() if n.request.id not in pinned_ids), key=lambda n: -n.request.priority
    )
    for n in order:
        for s in n.slots:
            if (n.a, s) in busy or (n.b, s) in busy:
                continue
            table = next((t.id for t in tables if t.seats >= n.seats and (t.id, s) not in tables_taken), None)
            if table is None:
                continue
            interp = None
            if n.interpreters is not None:
                interp = next(
                    (
                        i
                        for i in sorted(n.interpreters)
                        if s in prep.interpreters[i].available and (i, s) not in interp_taken
                    ),
                    None,
                )
                if interp is None:
                    continue
            book(Assignment(n.request.id, s, table, interp))
            break
    return sorted(out, key=lambda a: (prep.slot_index[a.slot], a.table))
