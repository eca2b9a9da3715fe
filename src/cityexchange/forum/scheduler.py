"""The edge between the forum's models and the pure scheduler package (`forum.scheduling`).

`build_instance` turns an event into a scheduling `Instance` (approved delegates with their availability and own
sessions, delegations, slots, tables, interpreters, accepted requests) plus the pinned assignments of the draft;
`run_build` solves it with CP-SAT, checks the result with the independent validator and stores it as a
`ScheduleRun` with its `Meeting` rows. Ids in the instance are short strings ("s12" slot, "g5" registration,
"d3" delegation, "t4" table, "i2" interpreter, "r40" request); error messages are translated back to names.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Event,
    Interpreter,
    Meeting,
    MeetingRequest,
    MeetingTable,
    Registration,
    ScheduleRun,
    Slot,
)
from .scheduling.cpsat import solve
from .scheduling.instance import Assignment, Delegate, Instance, InstanceError, Prepared, Request, pair
from .scheduling.instance import Interpreter as SInterpreter
from .scheduling.instance import Slot as SSlot
from .scheduling.instance import Table as STable
from .scheduling.validator import validate

logger = logging.getLogger(__name__)


@dataclass
class Conversion:
    instance: Instance
    pinned: list[Assignment]
    labels: dict[str, str]
    slots: dict[str, Slot]
    tables: dict[str, MeetingTable]
    interpreters: dict[str, Interpreter]
    requests: dict[str, MeetingRequest]
    dropped_pins: list[int] = field(default_factory=list)  # request ids whose pin could not be kept
    skipped_requests: list[int] = field(default_factory=list)  # accepted but not schedulable (same delegation)

    def explain(self, message: str) -> str:
        """A solver message with our short ids replaced by names ('g5' → 'Anna Petrova (Kazan)')."""
        for key, label in self.labels.items():
            message = message.replace(repr(key), f"«{label}»")
        return message


def build_instance(event: Event, *, pins_from: ScheduleRun | None = None) -> Conversion:
    tz = event.tz
    slots = {f"s{s.pk}": s for s in event.slots.order_by("starts_at")}
    tables = {f"t{t.pk}": t for t in event.tables.order_by("pk")}
    interpreters = {f"i{i.pk}": i for i in event.interpreters.prefetch_related("available_slots")}
    regs = list(
        Registration.objects.filter(event=event, status=Registration.Status.APPROVED)
        .select_related("user", "city")
        .prefetch_related("languages")
    )
    labels: dict[str, str] = {}
    for sid, s in slots.items():
        labels[sid] = f"{s.starts_at.astimezone(tz):%Y-%m-%d %H:%M}"
    for tid, t in tables.items():
        labels[tid] = _("table %(name)s") % {"name": t.name}
    for iid, i in interpreters.items():
        labels[iid] = i.name

    # Own sessions: a speaker cannot meet in a slot that overlaps a session they speak at.
    busy: dict[int, set[str]] = defaultdict(set)
    for session in event.sessions.prefetch_related("speakers"):
        overlapping = [
            sid for sid, s in slots.items() if s.starts_at < session.ends_at and s.ends_at > session.starts_at
        ]
        for speaker in session.speakers.all():
            busy[speaker.pk].update(overlapping)

    delegates = []
    reg_by_id = {r.pk: r for r in regs}
    for r in regs:
        gid = f"g{r.pk}"
        labels[gid] = f"{r.user} ({r.city.name})"
        available = frozenset(sid for sid, s in slots.items() if s.starts_at >= r.arrival and s.ends_at <= r.departure)
        delegates.append(
            Delegate(
                id=gid,
                city=str(r.city_id),
                country=r.city.country_id,
                delegation=f"d{r.delegation_id}" if r.delegation_id else None,
                languages=frozenset(lang.code for lang in r.languages.all()),
                available=available,
                busy=frozenset(busy.get(r.pk, ())),
            )
        )
        if r.delegation_id:
            labels[f"d{r.delegation_id}"] = _("delegation of %(city)s") % {"city": r.city.name}

    requests: dict[str, MeetingRequest] = {}
    reqs = []
    skipped = []
    accepted = MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.ACCEPTED).order_by("pk")
    for mr in accepted:
        a, b = reg_by_id.get(mr.requester_id), reg_by_id.get(mr.target_id)
        if a is None or b is None:
            continue  # a side is no longer an approved delegate
        if a.delegation_id is not None and a.delegation_id == b.delegation_id:
            skipped.append(mr.pk)
            continue
        rid = f"r{mr.pk}"
        requests[rid] = mr
        labels[rid] = _("request %(a)s ↔ %(b)s") % {"a": labels[f"g{a.pk}"], "b": labels[f"g{b.pk}"]}
        reqs.append(Request(rid, f"g{a.pk}", f"g{b.pk}", int(mr.priority)))

    all_slots = frozenset(slots)
    s_interpreters = []
    for iid, i in interpreters.items():
        pairs = frozenset(pair(*p.split("-", 1)) for p in i.language_pairs if isinstance(p, str) and "-" in p)
        chosen = frozenset(f"s{s.pk}" for s in i.available_slots.all())
        s_interpreters.append(SInterpreter(iid, pairs, chosen or all_slots))

    instance = Instance(
        slots=[SSlot(sid, s.starts_at.astimezone(tz), s.ends_at.astimezone(tz)) for sid, s in slots.items()],
        delegates=delegates,
        tables=[STable(tid, t.seats) for tid, t in tables.items()],
        requests=reqs,
        interpreters=s_interpreters,
        min_meetings_per_city=event.min_meetings_per_city,
    )
    pinned: list[Assignment] = []
    dropped: list[int] = []
    if pins_from is not None:
        for m in pins_from.meetings.filter(pinned=True):
            rid = f"r{m.request_id}"
            if rid in requests and f"s{m.slot_id}" in slots and f"t{m.table_id}" in tables:
                interp = f"i{m.interpreter_id}" if m.interpreter_id and f"i{m.interpreter_id}" in interpreters else None
                pinned.append(Assignment(rid, f"s{m.slot_id}", f"t{m.table_id}", interp))
            else:
                dropped.append(m.request_id)
    return Conversion(instance, pinned, labels, slots, tables, interpreters, requests, dropped, skipped)


def meetings_from(conv: Conversion, run: ScheduleRun, assignments: list[Assignment]) -> list[Meeting]:
    """Unsaved Meeting rows for the solver's assignments (pins stay pinned)."""
    pinned = {p.request for p in conv.pinned}
    return [
        Meeting(
            run=run,
            request=conv.requests[a.request],
            slot=conv.slots[a.slot],
            table=conv.tables[a.table],
            interpreter=conv.interpreters[a.interpreter] if a.interpreter else None,
            pinned=a.request in pinned,
        )
        for a in assignments
    ]


def assignments_of(run: ScheduleRun) -> list[Assignment]:
    """A stored run back as scheduling assignments (for validation and comparison)."""
    return [
        Assignment(
            f"r{m.request_id}", f"s{m.slot_id}", f"t{m.table_id}", f"i{m.interpreter_id}" if m.interpreter_id else None
        )
        for m in run.meetings.all()
    ]


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _fail(run_id: int, message: str) -> None:
    ScheduleRun.objects.filter(pk=run_id).update(
        status=ScheduleRun.Status.FAILED, error=message, finished_at=timezone.now(), is_valid=False
    )


def unscheduled_reasons(prep: Prepared, conv: Conversion, scheduled: set[str]) -> list[dict[str, Any]]:
    out = []
    for rid, need in prep.needs.items():
        if rid in scheduled:
            continue
        if not need.slots:
            reason = _("no slot in which both sides are free (and a table and, if needed, an interpreter exist)")
        else:
            reason = _("its possible slots went to meetings of higher priority or to fairness")
        out.append({"request": conv.requests[rid].pk, "label": conv.labels[rid], "reason": reason})
    return out


def run_build(run_id: int) -> ScheduleRun | None:
    """Solve and store one queued run. Never raises for bad input: the run records the error."""
    claimed = ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.QUEUED).update(
        status=ScheduleRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    event = run.event
    draft = event.runs.filter(status=ScheduleRun.Status.DONE).exclude(pk=run.pk).order_by("-number").first()
    try:
        conv = build_instance(event, pins_from=draft)
        prep = Prepared(conv.instance)
        result = solve(prep, time_limit=run.time_limit, pinned=conv.pinned)
        violations = validate(prep, result.assignments, conv.pinned)
    except InstanceError as exc:
        _fail(run_id, "\n".join(conv.explain(p) for p in exc.problems))
        return ScheduleRun.objects.get(pk=run_id)
    except Exception as exc:  # a solver bug must not leave the run "running" forever
        logger.exception("schedule run %s failed", run_id)
        _fail(run_id, _("The solver failed: %(error)s") % {"error": exc})
        return ScheduleRun.objects.get(pk=run_id)
    scheduled = {a.request for a in result.assignments}
    stats = dataclasses.asdict(result.stats) | {
        "fairness": result.stats.fairness,
        "requests": len(conv.requests),
        "pinned": len(conv.pinned),
        "delegates": len(conv.instance.delegates),
        "dropped_pins": conv.dropped_pins,
        "skipped_requests": conv.skipped_requests,
        "unscheduled": unscheduled_reasons(prep, conv, scheduled),
    }
    with transaction.atomic():
        Meeting.objects.bulk_create(meetings_from(conv, run, result.assignments))
        run.status = ScheduleRun.Status.DONE
        run.finished_at = timezone.now()
        run.solver_status = result.status
        run.objective = result.objective
        run.bound = result.bound if math.isfinite(result.bound) else None
        run.gap_pct = result.gap_pct
        run.seconds = result.seconds
        run.stats = _finite(stats)
        run.greedy_stats = _finite(dataclasses.asdict(result.greedy_stats))
        run.stages = _finite([dataclasses.asdict(s) for s in result.stages])
        run.violations = [{"code": v.code, "message": conv.explain(v.message)} for v in violations]
        run.is_valid = not violations
        run.save()
    return run
