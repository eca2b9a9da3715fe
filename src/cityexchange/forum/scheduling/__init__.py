"""The 1:1 meeting scheduler of the forum: pure Python, no Django (plain dataclasses in and out).

Typical use by the forum app::

    instance = Instance(slots=[Slot(...)], delegates=[Delegate(...)], tables=[Table(...)],
                        requests=[Request(...)], interpreters=[Interpreter(...)], min_meetings_per_city=1)
    instance.check()                       # raises InstanceError listing every problem
    result = solve(instance, time_limit=60, pinned=[Assignment(...)])
    result.assignments, result.status, result.bound, result.gap_pct, result.stats
    validate(instance, assignments, pinned)  # [] when every hard constraint holds
"""

from .cpsat import SolveResult, StageReport, solve
from .greedy import greedy
from .instance import (
    Assignment,
    Delegate,
    Instance,
    InstanceError,
    Interpreter,
    Prepared,
    Request,
    Slot,
    Table,
    pair,
)
from .stats import Stats, compute_stats
from .validator import Violation, validate

__all__ = [
    "Assignment",
    "Delegate",
    "Instance",
    "InstanceError",
    "Interpreter",
    "Prepared",
    "Request",
    "Slot",
    "SolveResult",
    "StageReport",
    "Stats",
    "Table",
    "Violation",
    "compute_stats",
    "greedy",
    "pair",
    "solve",
    "validate",
]
