from collections import Counter

import numpy as np
import pytest

from cityexchange.matching.lexical import LexicalIndex
from cityexchange.matching.tokenize import term_counts

CORPUS = [
    "Solar panels on school roofs cut the electricity bill",
    "Bus rapid transit lanes reduce commuting time",
    "Electric bus fleet: each bus replaces a diesel bus",
    "Rainwater harvesting for parks and school gardens",
]


@pytest.fixture
def index():
    ix = LexicalIndex()
    for row, text in enumerate(CORPUS):
        ix.add(row, term_counts(text))
    return ix


def ranking(ix, query):
    scores, _ref = ix.scores(term_counts(query).elements())
    return [int(i) for i in np.argsort(-scores, kind="stable")]


def test_rare_term_decides(index):
    assert ranking(index, "rainwater")[0] == 3


def test_term_frequency_saturates_but_counts(index):
    # "bus" occurs three times in row 2 and once in row 1 (as "bus"): row 2 first.
    assert ranking(index, "bus")[:2] == [2, 1]


def test_unknown_terms_score_nothing_but_raise_the_reference(index):
    scores, ref_known = index.scores(["solar"])
    _scores, ref_both = index.scores(["solar", "zzzz"])
    assert scores[0] > 0 and scores[1:].sum() == 0
    assert ref_both > ref_known


def test_share_of_a_full_match_is_about_one(index):
    scores, ref = index.scores(term_counts("rainwater harvesting").elements())
    assert 0.8 < scores[3] / ref < 1.3


def test_removed_rows_score_zero_and_leave_statistics(index):
    index.remove(3)
    scores, _ref = index.scores(["rainwater"])
    assert scores.sum() == 0
    assert len(index) == 3


def test_compact_renumbers_rows(index):
    index.remove(0)
    index.compact(np.array([False, True, True, True]))
    assert index.n_rows == 3
    assert ranking(index, "rainwater")[0] == 2


def test_rows_must_be_appended_in_order():
    ix = LexicalIndex()
    with pytest.raises(ValueError):
        ix.add(1, term_counts("x"))


def test_add_many_equals_adding_row_by_row():
    passages = [Counter(["a", "b", "b", "c"]), Counter(), Counter(["c", "d"]), Counter(["a", "a", "e"])]
    one, many = LexicalIndex(), LexicalIndex()
    one.add(0, passages[0])
    many.add(0, passages[0])
    for row, counts in enumerate(passages[1:], start=1):
        one.add(row, counts)
    many.add_many(1, passages[1:])
    many.add_many(4, [])
    one.remove(2)
    many.remove(2)
    for query in (["a"], ["b", "c"], ["d", "e", "zz"]):
        s1, r1 = one.scores(query)
        s2, r2 = many.scores(query)
        assert np.array_equal(s1, s2) and r1 == r2
    with pytest.raises(ValueError):
        many.add_many(3, [Counter(["x"])])
