"""Quorum and majority arithmetic: pure functions on counts, no database, integers only (no rounding).

Definitions (docs/governance.md explains them to members):
- turnout = every ballot cast, abstentions included; the quorum is reached when
  turnout / electorate >= quorum_percent / 100;
- simple majority: more votes for than against (abstentions are not counted either way);
- two-thirds: votes for >= 2/3 of the votes for and against (abstentions not counted), and at least one;
- absolute: votes for > half of the whole electorate.
In a choice among options (an election) an option wins a seat when it ranks within the seats to fill and has
strictly more votes than the best option left out (a plurality; a tie at the cut fills no seat, the body votes
again). That is all the simple rule asks; two-thirds also asks for 2/3 of the valid (non-abstaining) votes, and
absolute for more than half of the electorate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

SIMPLE = "simple"
TWO_THIRDS = "two_thirds"
ABSOLUTE = "absolute"
RULES = (SIMPLE, TWO_THIRDS, ABSOLUTE)

PASSED = "passed"
REJECTED = "rejected"
NO_QUORUM = "no_quorum"

YES, NO, ABSTAIN, CHOICE = "yes", "no", "abstain", "choice"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Outcome:
    outcome: str
    electorate: int
    turnout: int
    quorum_reached: bool
    winners: tuple = field(default=())


def quorum_reached(*, electorate: int, turnout: int, quorum_percent: int) -> bool:
    """An empty electorate never reaches a quorum."""
    if electorate <= 0:
        return False
    return turnout * 100 >= quorum_percent * electorate


def meets_majority(*, rule: str, votes_for: int, votes_against: int, electorate: int) -> bool:
    if rule == SIMPLE:
        return votes_for > votes_against
    if rule == TWO_THIRDS:
        return votes_for > 0 and 3 * votes_for >= 2 * (votes_for + votes_against)
    if rule == ABSOLUTE:
        return 2 * votes_for > electorate
    raise ValueError(f"unknown majority rule {rule!r}")


def count_ballots(choices: Iterable[K], options: Iterable[K]) -> dict[K, int]:
    """Votes per option, every option present (zero when nobody chose it)."""
    counts: Counter[K] = Counter(choices)
    return {option: counts.get(option, 0) for option in options}


def decide(
    *,
    counts: Mapping[K, int],
    kinds: Mapping[K, str],
    electorate: int,
    quorum_percent: int,
    rule: str,
    seats: int = 1,
) -> Outcome:
    """The outcome of a vote from its counts. `kinds` maps each option to yes/no/abstain/choice.

    A yes/no vote passes when the yes option meets the rule against the no option. A choice vote passes when at
    least one option wins a seat; `winners` lists them, best first.
    """
    if any(n < 0 for n in counts.values()):
        raise ValueError("negative count")
    turnout = sum(counts.values())
    if rule not in RULES:
        raise ValueError(f"unknown majority rule {rule!r}")
    if turnout > electorate:
        raise ValueError("more ballots than electors")
    if not quorum_reached(electorate=electorate, turnout=turnout, quorum_percent=quorum_percent):
        return Outcome(NO_QUORUM, electorate, turnout, False)
    valid = {k: n for k, n in counts.items() if kinds[k] != ABSTAIN}
    yes = [k for k in valid if kinds[k] == YES]
    if yes:
        votes_for = sum(valid[k] for k in yes)
        votes_against = sum(n for k, n in valid.items() if kinds[k] == NO)
        passed = meets_majority(rule=rule, votes_for=votes_for, votes_against=votes_against, electorate=electorate)
        return Outcome(PASSED if passed else REJECTED, electorate, turnout, True, tuple(yes) if passed else ())
    total = sum(valid.values())
    ranked = sorted(valid.items(), key=lambda kv: -kv[1])
    cut = ranked[seats][1] if len(ranked) > seats else 0
    winners = tuple(
        k
        for k, n in ranked[:seats]
        if n > cut
        and (rule == SIMPLE or meets_majority(rule=rule, votes_for=n, votes_against=total - n, electorate=electorate))
    )
    return Outcome(PASSED if winners else REJECTED, electorate, turnout, True, winners)
