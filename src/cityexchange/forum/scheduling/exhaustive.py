"""Exhaustive search for tiny instances: the reference the property-based tests compare the solver with.

Enumerates every choice of slot (or none) for every request with backtracking on party clashes, checks tables
and interpreters exactly (``resources.assign_resources``), and returns the lexicographically best figures
(fairness, then total priority, then idle gaps). Exponential: keep it to a handful of requests and slots.
"""

from __future__ import annotations

from .instance import Assignment, Instance, Prepared
from .resources import ResourceError, assign_resources
from .stats import Stats, compute_stats


def exhaustive(instance: Instance | Prepared, pinned: list[Assignment] = ()) -> Stats:  # type: ignore[assignment]
    prep = instance if isinstance(instance, Prepared) else Prepared(instance)
    pins = {p.request: p for p in pinned}
    order = list(prep.needs)
    best: list[tuple[tuple[int, int, int], Stats]] = []
    chosen: dict[str, str] = {}
    busy: set[tuple[str, str]] = set()

    def visit(k: int) -> None:
        if k == len(order):
            try:
                assignments = assign_resources(prep, chosen, pinned)
            except ResourceError:
                return
            st = compute_stats(prep, assignments)
            key = (st.fairness, -st.total_priority, st.idle_gaps)
            if not best or key < best[0][0]:
                best[:] = [(key, st)]
            return
        r = order[k]
        n = prep.needs[r]
        options: list[str | None] = [pins[r].slot] if r in pins else [None, *n.slots]
        for s in options:
            if s is None:
                visit(k + 1)
                continue
            if (n.a, s) in busy or (n.b, s) in busy:
                continue
            chosen[r] = s
            busy.update({(n.a, s), (n.b, s)})
            visit(k + 1)
            busy.difference_update({(n.a, s), (n.b, s)})
            del chosen[r]

    visit(0)
    return best[0][1]
