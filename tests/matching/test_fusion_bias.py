import numpy as np
import pytest

from cityexchange.matching.bias import LanguageCentering
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.matching.engine import Doc, SearchConfig, SearchIndex
from cityexchange.matching.fusion import FusionConfig, fuse, lexical_share


def test_lexical_share_is_relative_to_the_reference_and_capped():
    share = lexical_share(np.array([0.0, 2.0, 8.0], np.float32), 4.0, cap=1.0)
    assert share.tolist() == [0.0, 0.5, 1.0]
    assert lexical_share(np.array([3.0], np.float32), 0.0, cap=1.0).tolist() == [0.0]


def test_fusion_leaves_passages_without_query_terms_untouched():
    dense = np.array([0.80, 0.78, 0.60], np.float32)
    bm25 = np.array([0.0, 3.0, 0.0], np.float32)  # only the second passage shares the query's words
    fused = fuse(dense, bm25, reference=3.0, config=FusionConfig(lexical_weight=0.1))
    assert fused[0] == dense[0] and fused[2] == dense[2]  # cross-lingual passages: no drag
    assert fused[1] > fused[0]  # an exact-term same-language passage overtakes a close dense neighbour


class LanguageTintedEncoder:
    """Vectors = topic + a strong per-language offset, like multilingual models produce."""

    dim = 8
    TOPICS = {"water": 0, "bus": 1, "school": 2, "waste": 3}
    LANGS = {"xx": 4, "yy": 5}

    def _one(self, text):
        v = np.zeros(self.dim, np.float32)
        lang, _, word = text.rpartition(" ")
        v[self.TOPICS[word]] = 1.0
        v[self.LANGS[lang.split(" ")[-1]]] = 1.5
        return v / np.linalg.norm(v)

    def query(self, texts):
        return np.stack([self._one(t) for t in texts])

    passage = query


def test_centring_lets_the_other_language_answer_win():
    docs = [Doc(f"{lang}-{w}", "", f"{lang} {w}", lang) for lang in ("xx", "yy") for w in LanguageTintedEncoder.TOPICS]
    raw = SearchIndex(LanguageTintedEncoder(), SearchConfig(center=False, use_priors=False, shrinkage=0))
    centred = SearchIndex(LanguageTintedEncoder(), SearchConfig(use_priors=False, shrinkage=0))
    raw.add(docs)
    centred.add(docs)
    # Query in "xx" about water: both water documents are relevant.
    raw_top = [h.id for h in raw.search("xx water", k=2, mode="dense")]
    centred_top = [h.id for h in centred.search("xx water", k=2, mode="dense")]
    assert raw_top[1].startswith("xx-")  # raw: a same-language wrong topic beats the right answer
    assert set(centred_top) == {"xx-water", "yy-water"}


def test_centering_fit_shrinks_small_languages_towards_the_prior():
    rng = np.random.default_rng(0)
    big = rng.normal(size=(100, 4)).astype(np.float32) + np.array([1, 0, 0, 0], np.float32)
    small = np.array([[0, 0, 5, 0]], np.float32)
    vectors = np.vstack([big, small])
    langs = ["aa"] * 100 + ["bb"]
    plain = LanguageCentering.fit(vectors, langs, shrinkage=20)
    # With one row, "bb"'s mean stays near the global mean instead of becoming the row itself.
    assert np.linalg.norm(plain.mean_of("bb") - plain.global_mean) < np.linalg.norm(small[0] - plain.global_mean) / 4
    priors = {"aa": np.array([1, 0, 0, 0], np.float32), "bb": np.array([0, 0, 1, 0], np.float32)}
    with_prior = LanguageCentering.fit(vectors, langs, shrinkage=20, priors=priors)
    # The prior moves "bb" along its own language direction.
    assert with_prior.mean_of("bb")[2] > plain.mean_of("bb")[2] + 0.5
    assert with_prior.index_of("zz") == -1
    assert np.array_equal(with_prior.mean_of("zz"), with_prior.global_mean)


def test_nearest_language():
    c = LanguageCentering.fit(np.eye(3, dtype=np.float32), ["a", "b", "c"], shrinkage=0)
    assert c.nearest_language(np.array([0, 1, 0], np.float32)) == "b"


@pytest.mark.parametrize("weight", [0.0, 0.2])
def test_engine_fusion_weight_controls_lexical_influence(weight):
    ix = SearchIndex(HashingEncoder(dim=64), SearchConfig(fusion=FusionConfig(lexical_weight=weight)))
    ix.add([Doc("a", "", "zebra crossing"), Doc("b", "", "pedestrian crossing safety")])
    hit = ix.search("zebra")[0]
    assert hit.score == pytest.approx(hit.dense + weight * min(hit.lexical, 1.0), abs=1e-5)


def test_lexical_weight_scales_with_the_share_of_the_query_language():
    config = SearchConfig(fusion=FusionConfig(lexical_weight=0.2))
    ix = SearchIndex(HashingEncoder(dim=64), config)
    ix.add([Doc(f"en{i}", "", f"zebra crossing number {i}", "en") for i in range(3)])
    ix.add([Doc("ru", "", "пешеходный переход зебра", "ru")])
    assert ix.language_share("zebra", "en") == 0.75
    hit = ix.search("zebra", lang="en")[0]
    assert hit.score == pytest.approx(hit.dense + 0.2 * 0.75 * min(hit.lexical, 1.0), abs=1e-5)


def test_query_in_a_language_the_pool_lacks_gets_pure_dense_scores():
    ix = SearchIndex(HashingEncoder(dim=64), SearchConfig(fusion=FusionConfig(lexical_weight=0.5)))
    ix.add([Doc("a", "", "Moscow metro 2024", "en"), Doc("b", "", "bus lanes", "en")])
    # A Russian query shares "2024" with an English document, but gets no lexical bonus for it.
    for hit in ix.search("метро Москвы 2024", lang="ru", k=2):
        assert hit.score == pytest.approx(hit.dense, abs=1e-6)
