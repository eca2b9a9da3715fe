"""The stage machine of a cooperation: which moves are allowed and what evidence each target stage needs.

Pure and table-driven (no database): the services ask `check_move(...)` and refuse with the problems it returns;
the tests walk every pair of stages.

Stages run interest → contact → study visit → agreement → pilot → adoption → evaluated. Contact, study visit and
pilot may be skipped (not every transfer needs them); the agreement and the adoption may not, because later
stages rest on their evidence: no pilot or adoption without a signed agreement, no evaluation without an adoption.
Until the adoption a cooperation may be closed without adoption, with a reason; evaluated and closed are final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.core import locale_format


class Stage(StrEnum):
    INTEREST = "interest"
    CONTACT = "contact"
    STUDY_VISIT = "study_visit"
    AGREEMENT = "agreement"
    PILOT = "pilot"
    ADOPTION = "adoption"
    EVALUATED = "evaluated"
    CLOSED = "closed"


LABELS = {
    Stage.INTEREST: gettext_lazy("Interest"),
    Stage.CONTACT: gettext_lazy("Contact"),
    Stage.STUDY_VISIT: gettext_lazy("Study visit"),
    Stage.AGREEMENT: gettext_lazy("Agreement"),
    Stage.PILOT: gettext_lazy("Pilot"),
    Stage.ADOPTION: gettext_lazy("Adoption"),
    Stage.EVALUATED: gettext_lazy("Evaluated"),
    Stage.CLOSED: gettext_lazy("Closed without adoption"),
}
CHOICES = [(s.value, LABELS[s]) for s in Stage]
# The path in order (closed is off the path).
PATH: tuple[Stage, ...] = (
    Stage.INTEREST,
    Stage.CONTACT,
    Stage.STUDY_VISIT,
    Stage.AGREEMENT,
    Stage.PILOT,
    Stage.ADOPTION,
    Stage.EVALUATED,
)
FINAL = frozenset({Stage.EVALUATED, Stage.CLOSED})
OPEN = tuple(s for s in Stage if s not in FINAL)
# Stages that carry a signed agreement (for the public register and visibility).
AGREED = frozenset({Stage.AGREEMENT, Stage.PILOT, Stage.ADOPTION, Stage.EVALUATED})

# The table: from each stage, the stages a move may go to.
MOVES: dict[Stage, frozenset[Stage]] = {
    Stage.INTEREST: frozenset({Stage.CONTACT, Stage.STUDY_VISIT, Stage.AGREEMENT, Stage.CLOSED}),
    Stage.CONTACT: frozenset({Stage.STUDY_VISIT, Stage.AGREEMENT, Stage.CLOSED}),
    Stage.STUDY_VISIT: frozenset({Stage.AGREEMENT, Stage.CLOSED}),
    Stage.AGREEMENT: frozenset({Stage.PILOT, Stage.ADOPTION, Stage.CLOSED}),
    Stage.PILOT: frozenset({Stage.ADOPTION, Stage.CLOSED}),
    Stage.ADOPTION: frozenset({Stage.EVALUATED}),
    Stage.EVALUATED: frozenset(),
    Stage.CLOSED: frozenset(),
}
# Stages that cannot be skipped: the move past them is refused until they are recorded.
GATES: tuple[Stage, ...] = (Stage.AGREEMENT, Stage.ADOPTION)


class AgreementKind(StrEnum):
    MEMORANDUM = "memorandum"
    TWINNING = "twinning"
    CONTRACT = "contract"


AGREEMENT_KIND_LABELS = {
    AgreementKind.MEMORANDUM: gettext_lazy("Memorandum of understanding"),
    AgreementKind.TWINNING: gettext_lazy("Twinning agreement"),
    AgreementKind.CONTRACT: gettext_lazy("Contract"),
}
AGREEMENT_KIND_CHOICES = [(k.value, AGREEMENT_KIND_LABELS[k]) for k in AgreementKind]

# What each target stage needs, beyond the date every move carries. Notes are free text; documents are optional.
REQUIRES: dict[Stage, tuple[str, ...]] = {
    Stage.INTEREST: ("occurred_on",),
    Stage.CONTACT: ("occurred_on", "note"),
    Stage.STUDY_VISIT: ("occurred_on", "note"),
    Stage.AGREEMENT: ("occurred_on", "agreement_kind", "signed_on", "signatories"),
    Stage.PILOT: ("occurred_on", "note"),
    Stage.ADOPTION: ("occurred_on", "note"),
    Stage.EVALUATED: ("occurred_on", "note", "results"),
    Stage.CLOSED: ("occurred_on", "reason"),
}


@dataclass(frozen=True)
class Signatory:
    city_id: int
    name: str
    role: str = ""


@dataclass(frozen=True)
class Result:
    """One measured result of an evaluation: against a practice's indicator (`indicator_id`) or named freely when
    the cooperation has no practice with indicators."""

    value: float | None
    indicator_id: int | None = None
    name: str = ""
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class Evidence:
    occurred_on: dt.date | None = None
    note: str = ""
    private_note: str = ""
    agreement_kind: str = ""
    agreement_title: str = ""
    signed_on: dt.date | None = None
    signatories: Sequence[Signatory] = ()
    results: Sequence[Result] = ()
    reason: str = ""


@dataclass(frozen=True)
class Problem:
    field: str | None
    message: str


@dataclass(frozen=True)
class Context:
    """What the check needs to know about the world: today, the participating cities and the practice's indicators."""

    today: dt.date
    city_ids: Collection[int] = ()
    indicator_ids: Collection[int] = ()
    # The stage the cooperation is at and the date it was reached: a later stage cannot be dated before it.
    previous_stage: str = ""
    previous_on: dt.date | None = None


def label(stage: str) -> str:
    try:
        return str(LABELS[Stage(stage)])
    except ValueError:
        return stage


def allowed_moves(current: str) -> list[Stage]:
    """The stages a cooperation at `current` may move to, in path order (closing last)."""
    targets = MOVES.get(Stage(current), frozenset())
    return [s for s in (*PATH, Stage.CLOSED) if s in targets]


def is_allowed(current: str, target: str) -> bool:
    try:
        return Stage(target) in MOVES[Stage(current)]
    except (ValueError, KeyError):
        return False


def _transition_problem(current: Stage, target: Stage) -> Problem:
    if current in FINAL:
        return Problem(
            "to_stage", _("This cooperation is finished (%(stage)s); it cannot move.") % {"stage": label(current)}
        )
    if target == current:
        return Problem("to_stage", _("The cooperation is already at the stage %(stage)s.") % {"stage": label(target)})
    if target == Stage.CLOSED:
        return Problem("to_stage", _("An adopted practice cannot be closed without adoption; record its evaluation."))
    if target == Stage.INTEREST or (target in PATH and PATH.index(target) < PATH.index(current)):
        return Problem("to_stage", _("A cooperation cannot go back to an earlier stage."))
    for gate in GATES:
        if PATH.index(current) < PATH.index(gate) < PATH.index(target):
            return Problem(
                "to_stage",
                _("%(target)s needs the evidence of the stage %(gate)s first; record it before moving on.")
                % {"target": label(target), "gate": label(gate)},
            )
    return Problem("to_stage", _("This move is not allowed."))  # pragma: no cover - the table covers every pair


def check_move(current: str, target: str, evidence: Evidence, ctx: Context) -> list[Problem]:
    """Every problem with moving from `current` to `target` with `evidence`; an empty list means the move is legal."""
    try:
        cur, tgt = Stage(current), Stage(target)
    except ValueError:
        return [Problem("to_stage", _("Unknown stage: %(v)s.") % {"v": str(target)[:30]})]
    if tgt not in MOVES[cur]:
        return [_transition_problem(cur, tgt)]
    return check_evidence(tgt, evidence, ctx)


def check_evidence(target: Stage, ev: Evidence, ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    needs = REQUIRES[target]
    if ev.occurred_on is None:
        problems.append(Problem("occurred_on", _("Give the date this happened.")))
    elif ev.occurred_on > ctx.today:
        problems.append(Problem("occurred_on", _("The date cannot be in the future.")))
    elif ctx.previous_on is not None and ev.occurred_on < ctx.previous_on:
        problems.append(
            Problem(
                "occurred_on",
                _("The date cannot be before %(date)s, when the cooperation reached the stage %(stage)s.")
                % {"date": locale_format.date(ctx.previous_on, "long"), "stage": label(ctx.previous_stage)},
            )
        )
    if "note" in needs and not ev.note.strip():
        problems.append(Problem("note", _("Describe what happened in a note.")))
    if "reason" in needs and not ev.reason.strip():
        problems.append(Problem("reason", _("Give the reason for closing without adoption.")))
    if target == Stage.AGREEMENT:
        problems += _agreement_problems(ev, ctx)
    if target == Stage.EVALUATED:
        problems += _result_problems(ev, ctx)
    return problems


def _agreement_problems(ev: Evidence, ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    if ev.agreement_kind not in {k.value for k in AgreementKind}:
        problems.append(Problem("agreement_kind", _("Choose the kind of agreement: memorandum, twinning or contract.")))
    if ev.signed_on is None:
        problems.append(Problem("signed_on", _("Give the date the agreement was signed.")))
    elif ev.signed_on > ctx.today:
        problems.append(Problem("signed_on", _("A signed agreement cannot have a signing date in the future.")))
    signed_for = {s.city_id for s in ev.signatories if s.name.strip()}
    if any(not s.name.strip() for s in ev.signatories):
        problems.append(Problem("signatories", _("Every signatory needs a name.")))
    elif any(s.city_id not in ctx.city_ids for s in ev.signatories):
        problems.append(Problem("signatories", _("A signatory must sign for one of the participating cities.")))
    elif not ctx.city_ids or set(ctx.city_ids) - signed_for:
        problems.append(Problem("signatories", _("Name a signatory for each participating city.")))
    return problems


def _result_problems(ev: Evidence, ctx: Context) -> list[Problem]:
    if not ev.results:
        if ctx.indicator_ids:
            return [Problem("results", _("Give the measured value of at least one of the practice's indicators."))]
        return [Problem("results", _("Give at least one measured result."))]
    for r in ev.results:
        if r.value is None:
            return [Problem("results", _("Every result needs a measured value."))]
        if (ctx.indicator_ids or r.indicator_id is not None) and r.indicator_id not in ctx.indicator_ids:
            return [Problem("results", _("Results must be measured against the practice's own indicators."))]
        if r.indicator_id is None and not r.name.strip():
            return [Problem("results", _("Every result needs the name of what was measured."))]
    ids = [r.indicator_id for r in ev.results if r.indicator_id is not None]
    if len(ids) != len(set(ids)):
        return [Problem("results", _("Each indicator can be measured only once per evaluation."))]
    return []
