"""Quorum and majority arithmetic, checked against a plain-fractions reference on random electorates."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityexchange.governance import tally

YES_NO_KINDS = {"y": tally.YES, "n": tally.NO, "a": tally.ABSTAIN}


@st.composite
def electorates(draw: st.DrawFn) -> tuple[int, list[str]]:
    """An electorate of n cities and the ballots of those who voted (each city at most once)."""
    n = draw(st.integers(min_value=0, max_value=300))
    voters = draw(st.integers(min_value=0, max_value=n))
    choices = draw(st.lists(st.sampled_from(["y", "n", "a"]), min_size=voters, max_size=voters))
    return n, choices


rules = st.sampled_from(tally.RULES)
quorums = st.integers(min_value=1, max_value=100)


def reference_yes_no(n: int, yes: int, no: int, abstain: int, quorum: int, rule: str) -> str:
    turnout = yes + no + abstain
    if n == 0 or Fraction(turnout, n) < Fraction(quorum, 100):
        return tally.NO_QUORUM
    ok = {
        tally.SIMPLE: yes > no,
        tally.TWO_THIRDS: yes > 0 and Fraction(yes, yes + no) >= Fraction(2, 3),
        tally.ABSOLUTE: Fraction(yes, n) > Fraction(1, 2),
    }[rule]
    return tally.PASSED if ok else tally.REJECTED


@settings(deadline=None)  # timing is not under test; a busy machine must not fail it
@given(electorates(), quorums, rules)
def test_yes_no_matches_reference(electorate: tuple[int, list[str]], quorum: int, rule: str) -> None:
    n, choices = electorate
    counts = tally.count_ballots(choices, YES_NO_KINDS)
    out = tally.decide(counts=counts, kinds=YES_NO_KINDS, electorate=n, quorum_percent=quorum, rule=rule)
    assert out.turnout == len(choices) and out.electorate == n
    assert out.outcome == reference_yes_no(n, counts["y"], counts["n"], counts["a"], quorum, rule)
    assert out.quorum_reached == (out.outcome != tally.NO_QUORUM)


@settings(deadline=None)
@given(electorates(), quorums)
def test_two_thirds_and_absolute_are_stricter_than_simple(electorate: tuple[int, list[str]], quorum: int) -> None:
    n, choices = electorate
    counts = tally.count_ballots(choices, YES_NO_KINDS)
    result = {
        rule: tally.decide(counts=counts, kinds=YES_NO_KINDS, electorate=n, quorum_percent=quorum, rule=rule).outcome
        for rule in tally.RULES
    }
    if result[tally.TWO_THIRDS] == tally.PASSED or result[tally.ABSOLUTE] == tally.PASSED:
        assert result[tally.SIMPLE] == tally.PASSED


@settings(deadline=None)
@given(electorates(), quorums, rules)
def test_one_more_yes_never_hurts(electorate: tuple[int, list[str]], quorum: int, rule: str) -> None:
    n, choices = electorate
    if len(choices) == n:  # everyone voted: turn a "no" or an abstention into a yes instead
        if not any(c != "y" for c in choices):
            return
        i = next(i for i, c in enumerate(choices) if c != "y")
        better = [*choices[:i], "y", *choices[i + 1 :]]
    else:
        better = [*choices, "y"]
    before = tally.decide(
        counts=tally.count_ballots(choices, YES_NO_KINDS),
        kinds=YES_NO_KINDS,
        electorate=n,
        quorum_percent=quorum,
        rule=rule,
    )
    after = tally.decide(
        counts=tally.count_ballots(better, YES_NO_KINDS),
        kinds=YES_NO_KINDS,
        electorate=n,
        quorum_percent=quorum,
        rule=rule,
    )
    if before.outcome == tally.PASSED:
        assert after.outcome == tally.PASSED


@settings(deadline=None)
@given(electorates(), quorums)
def test_simple_majority_is_symmetric(electorate: tuple[int, list[str]], quorum: int) -> None:
    """Swapping every yes and no cannot make both sides win under the simple rule."""
    n, choices = electorate
    swapped = [{"y": "n", "n": "y"}.get(c, c) for c in choices]
    a, b = (
        tally.decide(
            counts=tally.count_ballots(c, YES_NO_KINDS),
            kinds=YES_NO_KINDS,
            electorate=n,
            quorum_percent=quorum,
            rule=tally.SIMPLE,
        ).outcome
        for c in (choices, swapped)
    )
    assert not (a == tally.PASSED and b == tally.PASSED)


@settings(deadline=None)
@given(
    n=st.integers(min_value=1, max_value=200),
    options=st.integers(min_value=1, max_value=8),
    seats=st.integers(min_value=1, max_value=5),
    quorum=quorums,
    rule=rules,
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_choice_winners_rank_above_the_cut(n: int, options: int, seats: int, quorum: int, rule: str, seed: int) -> None:
    rng = random.Random(seed)
    keys = [*range(options), "abstain"]
    kinds = {**{k: tally.CHOICE for k in range(options)}, "abstain": tally.ABSTAIN}
    choices = [rng.choice(keys) for _ in range(rng.randint(0, n))]
    counts = tally.count_ballots(choices, keys)
    out = tally.decide(counts=counts, kinds=kinds, electorate=n, quorum_percent=quorum, rule=rule, seats=seats)
    assert len(out.winners) <= seats
    assert (out.outcome == tally.PASSED) == bool(out.winners)
    losers = [k for k in range(options) if k not in out.winners]
    valid = sum(counts[k] for k in range(options))
    for w in out.winners:
        assert w != "abstain"
        # Strictly more than anyone left out: no tie decides a seat.
        assert all(counts[w] > counts[k] for k in losers)
        if rule == tally.TWO_THIRDS:
            assert 3 * counts[w] >= 2 * valid
        if rule == tally.ABSOLUTE:
            assert 2 * counts[w] > n
    assert [counts[w] for w in out.winners] == sorted((counts[w] for w in out.winners), reverse=True)


def test_tie_at_the_cut_fills_no_seat() -> None:
    kinds = {"a": tally.CHOICE, "b": tally.CHOICE, "c": tally.CHOICE}
    out = tally.decide(
        counts={"a": 5, "b": 3, "c": 3}, kinds=kinds, electorate=11, quorum_percent=50, rule=tally.SIMPLE, seats=2
    )
    assert out.winners == ("a",) and out.outcome == tally.PASSED
    out = tally.decide(
        counts={"a": 4, "b": 4, "c": 3}, kinds=kinds, electorate=11, quorum_percent=50, rule=tally.SIMPLE, seats=1
    )
    assert out.winners == () and out.outcome == tally.REJECTED


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "electorate", "quorum", "rule", "expected"),
    [
        (10, 5, 0, 30, 50, tally.SIMPLE, tally.PASSED),  # exactly 50 % turnout reaches a 50 % quorum
        (10, 4, 0, 30, 50, tally.SIMPLE, tally.NO_QUORUM),
        (10, 5, 0, 15, 100, tally.TWO_THIRDS, tally.PASSED),  # exactly 2/3
        (9, 5, 1, 15, 100, tally.TWO_THIRDS, tally.REJECTED),
        (5, 5, 5, 15, 50, tally.SIMPLE, tally.REJECTED),  # a tie does not pass
        (8, 0, 7, 16, 50, tally.ABSOLUTE, tally.REJECTED),  # 8 of 16 is not more than half
        (0, 0, 10, 10, 50, tally.TWO_THIRDS, tally.REJECTED),  # everyone abstained
    ],
)
def test_boundaries(yes, no, abstain, electorate, quorum, rule, expected) -> None:
    out = tally.decide(
        counts={"y": yes, "n": no, "a": abstain},
        kinds=YES_NO_KINDS,
        electorate=electorate,
        quorum_percent=quorum,
        rule=rule,
    )
    assert out.outcome == expected


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="more ballots"):
        tally.decide(
            counts={"y": 3, "n": 0, "a": 0}, kinds=YES_NO_KINDS, electorate=2, quorum_percent=50, rule="simple"
        )
    with pytest.raises(ValueError, match="rule"):
        tally.decide(counts={"y": 1, "n": 0, "a": 0}, kinds=YES_NO_KINDS, electorate=2, quorum_percent=50, rule="x")
