"""An upper bound on total priority from the LP relaxation of the aggregated model.

It ignores fairness, so it bounds the total priority of *every* valid schedule (greedy's and the solver's). The
LP keeps what makes the bound strong: each request at most once, each party at most one meeting per slot (the
per-slot cliques make it at least as strong as a fractional b-matching with b = free slots), per-slot table counts
per seat threshold, and per-slot interpreter flows per class of compatible interpreters.

Solved with PDLP (first-order, shipped with OR-Tools; GLOP's simplex is about ten times slower on this highly
degenerate LP). PDLP's answer is approximate, so the bound is *recomputed from its dual vector*: for
``max c·x, L <= Ax <= U, 0 <= x <= 1`` and any ``y``, ``c·x = y·Ax + (c - Aᵀy)·x
<= Σ max(y_i L_i, y_i U_i) + Σ max(0, (c - Aᵀy)_j)``, which holds whatever the solver's accuracy.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from ortools.linear_solver import pywraplp

from .instance import Assignment, Prepared


class _LP:
    def __init__(self) -> None:
        self.lp = pywraplp.Solver.CreateSolver("PDLP")
        self.cost: list[float] = []
        self.vars: list[pywraplp.Variable] = []
        self.rows: list[pywraplp.Constraint] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.entries: tuple[list[int], list[int], list[float]] = ([], [], [])

    def var(self, cost: float) -> int:
        self.vars.append(self.lp.NumVar(0.0, 1.0, ""))
        self.cost.append(cost)
        self.lp.Objective().SetCoefficient(self.vars[-1], cost)
        return len(self.vars) - 1

    def row(self, lo: float, hi: float, terms: list[tuple[int, float]]) -> None:
        c = self.lp.Constraint(lo, hi)
        for j, a in terms:
            c.SetCoefficient(self.vars[j], a)
            self.entries[0].append(len(self.rows))
            self.entries[1].append(j)
            self.entries[2].append(a)
        self.rows.append(c)
        self.lo.append(lo)
        self.hi.append(hi)

    def solve(self, time_limit: float) -> float | None:
        self.lp.Objective().SetMaximization()
        self.lp.SetTimeLimit(int(time_limit * 1000))
        # Any dual vector yields a valid bound, so a run stopped by the time limit is still usable.
        if self.lp.Solve() in (pywraplp.Solver.INFEASIBLE, pywraplp.Solver.NOT_SOLVED):
            return None
        y = np.array([r.dual_value() for r in self.rows], dtype=float)
        r_i, c_j, a = (np.array(e) for e in self.entries)
        lo, hi, cost = np.array(self.lo), np.array(self.hi), np.array(self.cost)

        def bound(y: np.ndarray) -> float:
            aty = np.zeros(len(cost))
            np.add.at(aty, c_j.astype(int), a * y[r_i.astype(int)])
            return float(np.maximum(y * lo, y * hi).sum() + np.maximum(0.0, cost - aty).sum())

        return min(bound(y), bound(-y))  # the solver's sign convention for duals does not matter


def lp_bound(prep: Prepared, pinned: list[Assignment] = (), time_limit: float = 60.0) -> float | None:  # type: ignore[assignment]
    """A valid upper bound on the total priority of any schedule keeping ``pinned``, or None on failure."""
    lp = _LP()
    pins = {p.request: p for p in pinned}
    x: dict[tuple[str, str], int] = {}
    by_slot: dict[str, list[str]] = defaultdict(list)
    occ: dict[tuple[str, str], list[int]] = defaultdict(list)
    for rid, n in prep.needs.items():
        slots = [pins[rid].slot] if rid in pins else list(n.slots)
        terms = []
        for s in slots:
            j = lp.var(float(n.request.priority))
            x[(rid, s)] = j
            terms.append((j, 1.0))
            by_slot[s].append(rid)
            occ[(n.a, s)].append(j)
            occ[(n.b, s)].append(j)
        if terms:
            lp.row(1.0 if rid in pins else 0.0, 1.0, terms)
    for js in occ.values():
        if len(js) > 1:
            lp.row(0.0, 1.0, [(j, 1.0) for j in js])
    for s, rids in by_slot.items():
        pinned_tables = {pins[r].table for r in rids if r in pins}
        pool = [t.seats for t in prep.tables.values() if t.id not in pinned_tables]
        free = [r for r in rids if r not in pins]
        for q in sorted({prep.needs[r].seats for r in free}):
            cands = [r for r in free if prep.needs[r].seats >= q]
            cap = sum(1 for c in pool if c >= q)
            if len(cands) > cap:
                lp.row(0.0, float(cap), [(x[(r, s)], 1.0) for r in cands])
        taken = {pins[r].interpreter for r in rids if r in pins and pins[r].interpreter}
        avail = {i for i, it in prep.interpreters.items() if s in it.available and i not in taken}
        groups: dict[frozenset[str], list[str]] = defaultdict(list)
        for r in rids:
            n = prep.needs[r]
            if n.interpreters is not None and not (r in pins and pins[r].interpreter):
                groups[frozenset(n.interpreters & avail)].append(r)
        per_interp: dict[str, list[int]] = defaultdict(list)
        for cls, rs in groups.items():
            flows = []
            for i in sorted(cls):
                f = lp.var(0.0)
                flows.append((f, 1.0))
                per_interp[i].append(f)
            lp.row(0.0, 0.0, flows + [(x[(r, s)], -1.0) for r in rs])  # flow out of the class == its meetings
        for fs in per_interp.values():
            if len(fs) > 1:
                lp.row(0.0, 1.0, [(f, 1.0) for f in fs])
    if not lp.vars:
        return 0.0
    return lp.solve(time_limit)
