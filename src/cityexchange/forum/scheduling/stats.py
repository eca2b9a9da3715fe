"""Figures of a schedule: meetings, total priority, unmet delegates, idle gaps, fairness shortfall.

Definitions (shared by greedy, solver, benchmark and tests so they compare like with like):

* *unmet delegate*: a delegate whose party (delegation) has at least one accepted request but no meeting.
* *idle gap*: a slot of a day, strictly between the party's first and last meeting of that day, in which the
  party is free (available, no own session) but has no meeting. Counted per delegate (a delegation of three
  waiting one slot is three idle gaps), because people wait, not parties.
* *city shortfall*: sum over cities with requests of ``max(0, min_meetings_per_city - meetings of the city)``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .instance import Assignment, Prepared


@dataclass(frozen=True)
class Stats:
    meetings: int
    total_priority: int
    unmet_delegates: int
    idle_gaps: int
    city_shortfall: int

    @property
    def fairness(self) -> int:
        """The first (most important) objective tier, minimised: unmet delegates + city shortfall."""
        return self.unmet_delegates + self.city_shortfall


def party_gaps(prep: Prepared, party: str, used: set[str]) -> int:
    p = prep.parties[party]
    gaps = 0
    for day in prep.days:
        pos = [k for k, s in enumerate(day) if s in used]
        if len(pos) >= 2:
            gaps += sum(1 for s in day[pos[0] + 1 : pos[-1]] if s not in used and s in p.free)
    return gaps


def compute_stats(prep: Prepared, assignments: list[Assignment]) -> Stats:
    used: dict[str, set[str]] = defaultdict(set)
    city_meetings: dict[str, int] = defaultdict(int)
    total = 0
    for a in assignments:
        n = prep.needs[a.request]
        total += n.request.priority
        used[n.a].add(a.slot)
        used[n.b].add(a.slot)
        for c in prep.parties[n.a].cities | prep.parties[n.b].cities:
            city_meetings[c] += 1
    unmet = sum(prep.parties[p].size for p in prep.requests_of_party if not used[p])
    gaps = sum(party_gaps(prep, p, s) * prep.parties[p].size for p, s in used.items())
    m = prep.instance.min_meetings_per_city
    shortfall = sum(max(0, m - city_meetings[c]) for c in prep.cities_with_requests)
    return Stats(len(assignments), total, unmet, gaps, shortfall)
