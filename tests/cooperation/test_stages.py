"""The stage machine, exhaustively: every pair of stages, and every piece of evidence each target needs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest

from cityexchange.cooperation.stages import (
    FINAL,
    MOVES,
    PATH,
    REQUIRES,
    Context,
    Evidence,
    Result,
    Signatory,
    Stage,
    allowed_moves,
    check_move,
    is_allowed,
)

TODAY = dt.date(2026, 5, 20)
CTX = Context(today=TODAY, city_ids={1, 2}, indicator_ids={10, 11})

# The moves the association's process allows, written out by hand (the table under test must equal this).
LEGAL = {
    ("interest", "contact"),
    ("interest", "study_visit"),
    ("interest", "agreement"),
    ("interest", "closed"),
    ("contact", "study_visit"),
    ("contact", "agreement"),
    ("contact", "closed"),
    ("study_visit", "agreement"),
    ("study_visit", "closed"),
    ("agreement", "pilot"),
    ("agreement", "adoption"),
    ("agreement", "closed"),
    ("pilot", "adoption"),
    ("pilot", "closed"),
    ("adoption", "evaluated"),
}
ALL_PAIRS = list(itertools.product([s.value for s in Stage], repeat=2))


def full_evidence() -> Evidence:
    """Evidence complete for any target stage."""
    return Evidence(
        occurred_on=TODAY,
        note="We met in Kazan.",
        agreement_kind="memorandum",
        signed_on=TODAY - dt.timedelta(days=1),
        signatories=[Signatory(1, "Mayor A", "Mayor"), Signatory(2, "Mayor B", "Mayor")],
        results=[Result(value=50.0, indicator_id=10)],
        reason="Budget was cut.",
    )


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_every_pair_of_stages(current, target):
    problems = check_move(current, target, full_evidence(), CTX)
    if (current, target) in LEGAL:
        assert problems == [] and is_allowed(current, target)
    else:
        assert len(problems) == 1 and problems[0].field == "to_stage" and problems[0].message
        assert not is_allowed(current, target)


def test_table_matches_the_written_process():
    assert {(a.value, b.value) for a, targets in MOVES.items() for b in targets} == LEGAL
    assert all(not MOVES[s] for s in FINAL)
    assert allowed_moves("agreement") == [Stage.PILOT, Stage.ADOPTION, Stage.CLOSED]


@pytest.mark.parametrize(
    ("current", "target"),
    [("contact", "pilot"), ("study_visit", "adoption"), ("agreement", "evaluated"), ("interest", "evaluated")],
)
def test_skipping_a_gate_names_the_missing_stage(current, target):
    (problem,) = check_move(current, target, full_evidence(), CTX)
    assert "first" in problem.message


def test_unknown_stage_and_backwards_and_finished():
    assert check_move("contact", "nonsense", full_evidence(), CTX)[0].field == "to_stage"
    assert "earlier" in check_move("agreement", "contact", full_evidence(), CTX)[0].message
    assert "finished" in check_move("evaluated", "closed", full_evidence(), CTX)[0].message
    assert "cannot be closed" in check_move("adoption", "closed", full_evidence(), CTX)[0].message


LEGAL_TARGETS = sorted({t for _c, t in LEGAL})
BLANKS = {
    "occurred_on": None,
    "note": "  ",
    "reason": "",
    "agreement_kind": "",
    "signed_on": None,
    "signatories": (),
    "results": (),
}


@pytest.mark.parametrize(("target", "field"), [(t, f) for t in LEGAL_TARGETS for f in REQUIRES[Stage(t)]])
def test_each_required_piece_of_evidence_is_refused_when_missing(target, field):
    current = next(c for c, t in sorted(LEGAL) if t == target)
    evidence = dataclasses.replace(full_evidence(), **{field: BLANKS[field]})
    problems = check_move(current, target, evidence, CTX)
    assert [p.field for p in problems] == [field]


@pytest.mark.parametrize(
    ("target", "field"), [(t, f) for t in LEGAL_TARGETS for f in BLANKS if f not in REQUIRES[Stage(t)]]
)
def test_evidence_a_stage_does_not_need_may_be_left_out(target, field):
    current = next(c for c, t in sorted(LEGAL) if t == target)
    evidence = dataclasses.replace(full_evidence(), **{field: BLANKS[field]})
    assert check_move(current, target, evidence, CTX) == []


def test_dates_in_the_future_are_refused():
    tomorrow = TODAY + dt.timedelta(days=1)
    assert [p.field for p in check_move("contact", "study_visit", Evidence(occurred_on=tomorrow, note="x"), CTX)] == [
        "occurred_on"
    ]
    ev = dataclasses.replace(full_evidence(), signed_on=tomorrow)
    (problem,) = check_move("contact", "agreement", ev, CTX)
    assert problem.field == "signed_on" and "future" in problem.message


@pytest.mark.parametrize(
    "signatories",
    [
        [Signatory(1, "Mayor A")],  # city 2 has nobody
        [Signatory(1, "Mayor A"), Signatory(3, "Stranger")],  # not a participant
        [Signatory(1, "Mayor A"), Signatory(2, " ")],  # no name
    ],
)
def test_agreement_needs_a_named_signatory_for_each_city(signatories):
    ev = dataclasses.replace(full_evidence(), signatories=signatories)
    assert [p.field for p in check_move("contact", "agreement", ev, CTX)] == ["signatories"]


def test_agreement_kind_must_be_known():
    ev = dataclasses.replace(full_evidence(), agreement_kind="handshake")
    assert [p.field for p in check_move("contact", "agreement", ev, CTX)] == ["agreement_kind"]


@pytest.mark.parametrize(
    ("results", "ctx", "ok"),
    [
        ([Result(value=1.0, indicator_id=10)], CTX, True),
        ([Result(value=1.0, indicator_id=10), Result(value=2.0, indicator_id=11)], CTX, True),
        ([Result(value=1.0, indicator_id=99)], CTX, False),  # not the practice's indicator
        ([Result(value=1.0, name="Free text")], CTX, False),  # the practice has indicators: use them
        ([Result(value=None, indicator_id=10)], CTX, False),
        ([Result(value=1.0, indicator_id=10), Result(value=2.0, indicator_id=10)], CTX, False),
        ([Result(value=1.0, name="Queue time", unit="min")], Context(today=TODAY, city_ids={1, 2}), True),
        ([Result(value=1.0)], Context(today=TODAY, city_ids={1, 2}), False),
        ([Result(value=1.0, indicator_id=10)], Context(today=TODAY, city_ids={1, 2}), False),
    ],
)
def test_evaluation_results_are_measured_against_the_indicators(results, ctx, ok):
    ev = dataclasses.replace(full_evidence(), results=results)
    problems = check_move("adoption", "evaluated", ev, ctx)
    assert (problems == []) is ok
    assert all(p.field == "results" for p in problems)


def test_path_order():
    assert [s.value for s in PATH] == [
        "interest",
        "contact",
        "study_visit",
        "agreement",
        "pilot",
        "adoption",
        "evaluated",
    ]
