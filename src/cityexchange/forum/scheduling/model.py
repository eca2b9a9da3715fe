"""The CP-SAT model of (part of) the scheduling problem, used for the whole instance and for LNS neighbourhoods.

Formulation (why it is much stronger and smaller than x[request, slot, table]):

* ``x[r, s]`` only for slots ``s`` where both parties are free, a table could seat them and (if needed) some
  compatible interpreter is available — no table index at all. Each request at most once; each party at most one
  meeting per slot (a clique, which CP-SAT's LP uses directly).
* Tables are a per-slot *count*. The tables that fit a meeting are "all tables with >= its seats", nested sets,
  so by Hall's theorem a slot is feasible iff for every seat threshold q: #meetings needing >= q seats <= #tables
  with >= q seats. Concrete tables are assigned afterwards (``resources.py``), exactly. Identical tables no
  longer create symmetric solutions.
* Interpreters: requests are grouped by the set of interpreters that could serve them (few classes); per slot a
  small 0/1 flow ``f[class, interpreter]`` with ``sum_i f = meetings of the class`` and ``sum_class f <= 1`` per
  interpreter — an exact bipartite-matching condition without per-request interpreter variables.

A model covers the ``free`` requests; every other meeting is ``fixed`` (pinned ones keep their table, the other
fixed ones only count against the seat thresholds and in the interpreter flows as constants). With ``free`` = all
unpinned requests it is the full problem; with a few slots' or parties' requests it is an LNS neighbourhood, in which
the caller keeps fairness from getting worse (``current_fairness``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ortools.sat.python import cp_model

from .instance import Assignment, Prepared
from .resources import match_interpreters


class Model:
    def __init__(
        self,
        prep: Prepared,
        pins: dict[str, Assignment],
        fixed: dict[str, str],
        free: Iterable[str],
    ) -> None:
        self.prep = prep
        self.m = m = cp_model.CpModel()
        self.fixed = fixed
        self.pins = pins
        busy = {(prep.needs[r].a, s) for r, s in fixed.items()} | {(prep.needs[r].b, s) for r, s in fixed.items()}
        self.busy = busy
        self.free = [r for r in free if r not in fixed]
        self.x: dict[tuple[str, str], cp_model.IntVar] = {}
        by_slot: dict[str, list[str]] = defaultdict(list)
        self.slots_of: dict[str, list[str]] = {}
        for r in self.free:
            n = prep.needs[r]
            slots = [s for s in n.slots if (n.a, s) not in busy and (n.b, s) not in busy]
            self.slots_of[r] = slots
            for s in slots:
                self.x[(r, s)] = m.new_bool_var("")
                by_slot[s].append(r)
            if len(slots) > 1:
                m.add_at_most_one(self.x[(r, s)] for s in slots)
        self.y = {r: sum(self.x[(r, s)] for s in self.slots_of[r]) for r in self.free}
        self.occ: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        for (r, s), v in self.x.items():
            n = prep.needs[r]
            self.occ[(n.a, s)].append(v)
            self.occ[(n.b, s)].append(v)
        for vs in self.occ.values():
            if len(vs) > 1:
                m.add_at_most_one(vs)
        fixed_by_slot: dict[str, list[str]] = defaultdict(list)
        for r, s in fixed.items():
            fixed_by_slot[s].append(r)
        for s, rids in by_slot.items():
            pinned_tables = {pins[r].table for r in fixed_by_slot[s] if r in pins}
            pool = [t.seats for t in prep.tables.values() if t.id not in pinned_tables]
            used = [prep.needs[r].seats for r in fixed_by_slot[s] if r not in pins]
            # Every seat need present in the slot is a threshold, the fixed meetings' too: checking only the free
            # ones' would miss e.g. a fixed 3-seat meeting competing with free 4-seat ones for 4-seat tables.
            needs = {prep.needs[r].seats for r in rids} | set(used)
            for q in sorted(needs):
                cands = [self.x[(r, s)] for r in rids if prep.needs[r].seats >= q]
                cap = sum(1 for c in pool if c >= q) - sum(1 for u in used if u >= q)
                if len(cands) > cap:
                    m.add(sum(cands) <= cap)
        self.flow: dict[tuple[str, frozenset[str], str], cp_model.IntVar] = {}
        self.classes: dict[tuple[str, frozenset[str]], list[str]] = {}
        for s, rids in by_slot.items():
            avail = self.interpreters_free(s)
            groups: dict[frozenset[str], list[str]] = defaultdict(list)
            fixed_count: dict[frozenset[str], int] = defaultdict(int)
            for r in rids:
                n = prep.needs[r]
                if n.interpreters is not None:
                    groups[frozenset(n.interpreters & avail)].append(r)
            # Fixed interpreted meetings (not pinned to an interpreter) take part in the flow as constants.
            for r in fixed_by_slot[s]:
                n = prep.needs[r]
                if n.interpreters is not None and not (r in pins and pins[r].interpreter):
                    fixed_count[frozenset(n.interpreters & avail)] += 1
            per_interp: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for cls in set(groups) | set(fixed_count):
                rs = groups.get(cls, [])
                self.classes[(s, cls)] = rs
                fs = []
                for i in sorted(cls):
                    f = m.new_bool_var("")
                    self.flow[(s, cls, i)] = f
                    per_interp[i].append(f)
                    fs.append(f)
                m.add(sum(fs) == sum(self.x[(r, s)] for r in rs) + fixed_count[cls])
            for fs in per_interp.values():
                if len(fs) > 1:
                    m.add_at_most_one(fs)
        # Fairness: parties and cities touched by the free requests.
        touched = {prep.needs[r].a for r in self.free} | {prep.needs[r].b for r in self.free}
        self.touched = touched
        fixed_parties = {prep.needs[r].a for r in fixed} | {prep.needs[r].b for r in fixed}
        free_of: dict[str, list[str]] = defaultdict(list)
        for r in self.free:
            free_of[prep.needs[r].a].append(r)
            free_of[prep.needs[r].b].append(r)
        self.cov: dict[str, cp_model.IntVar] = {}
        unmet = []
        for p in touched - fixed_parties:
            c = m.new_bool_var("")
            m.add(c <= sum(self.y[r] for r in free_of[p]))
            self.cov[p] = c
            unmet.append(prep.parties[p].size * (1 - c))
        mm = prep.instance.min_meetings_per_city
        city_fixed: dict[str, int] = defaultdict(int)
        city_free: dict[str, list[str]] = defaultdict(list)
        for r in fixed:
            for city in self._cities(r):
                city_fixed[city] += 1
        for r in self.free:
            for city in self._cities(r):
                city_free[city].append(r)
        self.city_free = city_free
        self.short: dict[str, cp_model.IntVar] = {}
        for city, rs in city_free.items():
            if city_fixed[city] < mm:
                sh = m.new_int_var(0, mm, "")
                m.add(sh >= mm - city_fixed[city] - sum(self.y[r] for r in rs))
                self.short[city] = sh
        self.city_fixed = city_fixed
        self.fairness = sum(unmet) + sum(self.short.values())
        self.priority = sum(prep.needs[r].request.priority * self.y[r] for r in self.free)
        self.gaps: cp_model.LinearExprT = 0

    def interpreters_free(self, s: str) -> set[str]:
        """Interpreters available in ``s`` and not pinned to a meeting there."""
        taken = {a.interpreter for r, a in self.pins.items() if a.slot == s and a.interpreter}
        return {i for i, it in self.prep.interpreters.items() if s in it.available and i not in taken}

    def _cities(self, r: str) -> frozenset[str]:
        n = self.prep.needs[r]
        return self.prep.parties[n.a].cities | self.prep.parties[n.b].cities

    def current_fairness(self, chosen: dict[str, str]) -> int:
        """The value ``self.fairness`` takes for ``chosen`` (the free requests' slots)."""
        prep = self.prep
        met = {prep.needs[r].a for r in chosen} | {prep.needs[r].b for r in chosen}
        unmet = sum(prep.parties[p].size for p in self.cov if p not in met)
        mm = prep.instance.min_meetings_per_city
        short = sum(
            max(0, mm - self.city_fixed[c] - sum(1 for r in self.city_free[c] if r in chosen)) for c in self.short
        )
        return unmet + short

    def add_gap_tier(self) -> None:
        """Idle gaps of the parties the free requests touch (others cannot change)."""
        m, prep = self.m, self.prep
        terms = []
        for p in self.touched:
            party = prep.parties[p]
            for day in prep.days:
                o = [1 if (p, s) in self.busy else sum(self.occ.get((p, s), [])) for s in day]
                if sum(1 for s in day if (p, s) in self.busy or self.occ.get((p, s))) < 2:
                    continue
                before = [m.new_bool_var("") for _ in day]
                after = [m.new_bool_var("") for _ in day]
                m.add(before[0] == 0)
                m.add(after[-1] == 0)
                for k in range(1, len(day)):
                    m.add(before[k] >= before[k - 1])
                    m.add(before[k] >= o[k - 1])
                    j = len(day) - 1 - k
                    m.add(after[j] >= after[j + 1])
                    m.add(after[j] >= o[j + 1])
                for k, s in enumerate(day):
                    if s in party.free and 0 < k < len(day) - 1 and (p, s) not in self.busy:
                        g = m.new_bool_var("")
                        m.add(g >= before[k] + after[k] - 1 - o[k])
                        terms.append(party.size * g)
        self.gaps = sum(terms)

    def hint(self, chosen: dict[str, str]) -> None:
        """Hint ``chosen`` (the whole schedule, request -> slot) with feasible interpreter flows."""
        m, prep = self.m, self.prep
        m.clear_hints()
        for (r, s), v in self.x.items():
            m.add_hint(v, chosen.get(r) == s)
        by_slot: dict[str, list[Assignment]] = defaultdict(list)
        for r, s in chosen.items():
            if prep.needs[r].interpreters is not None and not (r in self.pins and self.pins[r].interpreter):
                by_slot[s].append(Assignment(r, s, ""))
        used: set[tuple[str, frozenset[str], str]] = set()
        for s, items in by_slot.items():
            avail = self.interpreters_free(s)
            match = match_interpreters(prep, s, items, allowed=avail) or {}
            for r, i in match.items():
                used.add((s, frozenset((prep.needs[r].interpreters or frozenset()) & avail), i))
        for k, f in self.flow.items():
            m.add_hint(f, k in used)

    def chosen(self, solver: cp_model.CpSolver) -> dict[str, str]:
        return {r: s for (r, s), v in self.x.items() if solver.boolean_value(v)}


def run(
    model: Model, seconds: float, workers: int, seed: int, log: bool = False
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    # Measured on the benchmark's LNS neighbourhoods: level 2 (more cuts) closes larger neighbourhoods in time.
    solver.parameters.linearization_level = 2
    return solver, solver.solve(model.m)
