import math

import pytest

from cityexchange.matching.metrics import (
    average_precision,
    evaluate,
    mrr_at,
    ndcg_at,
    query_metrics,
    recall_at,
)


def test_recall_and_mrr_hand_computed():
    ranking = ["a", "b", "c", "d"]
    relevant = {"c": 1, "x": 1}
    assert recall_at(ranking, relevant, 1) == 0
    assert recall_at(ranking, relevant, 3) == 0.5
    assert mrr_at(ranking, relevant, 10) == pytest.approx(1 / 3)
    assert mrr_at(ranking, relevant, 2) == 0


def test_average_precision_hand_computed():
    # relevant at ranks 1 and 3, a third relevant never retrieved: (1/1 + 2/3) / 3
    assert average_precision(["a", "b", "c"], {"a": 1, "c": 1, "z": 1}) == pytest.approx((1 + 2 / 3) / 3)


def test_ndcg_hand_computed():
    # one relevant at rank 2: (1/log2(3)) / (1/log2(2))
    assert ndcg_at(["a", "b"], {"b": 1}) == pytest.approx(1 / math.log2(3))
    assert ndcg_at(["b", "a"], {"b": 1}) == 1.0


def test_query_metrics_keys():
    assert set(query_metrics(["a"], {"a": 1})) == {"R@1", "R@10", "MRR@10", "nDCG@10", "mAP"}


def test_evaluate_per_language_pair_restricts_to_that_language():
    rankings = {"q1": ["ru1", "en1", "en2"], "q2": ["en2", "en1"]}
    qrels = {"q1": {"en1": 1, "ru2": 1}, "q2": {"en1": 1}}
    qlang = {"q1": "ru", "q2": "en"}
    dlang = {"ru1": "ru", "ru2": "ru", "en1": "en", "en2": "en"}
    result = evaluate(rankings, qrels, qlang, dlang)
    assert result["ru->en"]["R@1"] == 1.0  # en1 is the first English document for q1
    assert result["ru->ru"]["R@1"] == 0.0  # ru2 never retrieved
    assert result["en->en"]["MRR@10"] == 0.5
    assert result["all"]["queries"] == 2


def test_exact_ranks_from_scores_with_several_relevant_and_ties():
    import numpy as np

    from cityexchange.matching.beir import _query_figures

    scores = np.array([0.9, 0.8, 0.7, 0.7, 0.1], np.float32)
    # relevant: 0 (rank 1) and 3 (tied with irrelevant 2: counted behind it, rank 4)
    figures = _query_figures(scores, {0: 1.0, 3: 1.0})
    assert figures["mAP"] == pytest.approx((1 / 1 + 2 / 4) / 2)
    assert figures["R@1"] == 0.5
    # all-equal scores earn nothing: ties with irrelevant candidates count against the relevant one
    assert _query_figures(np.zeros(5, np.float32), {2: 1.0})["MRR@10"] == pytest.approx(1 / 5)
