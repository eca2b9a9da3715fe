import numpy as np
import pytest

from cityexchange.matching.embedding import HashingEncoder
from cityexchange.matching.engine import Doc, SearchConfig, SearchIndex, build_index, pack_vectors, unpack_vectors

DOCS = [
    Doc(
        "1",
        "Solar schools",
        "Solar panels on school roofs cut the electricity bill",
        "en",
        {"sectors": ["energy", "education"], "country": "BR", "maturity": "scaled"},
    ),
    Doc(
        "2",
        "Bus lanes",
        "Bus rapid transit lanes reduce commuting time",
        "en",
        {"sectors": ["transport"], "country": "IN", "maturity": "pilot"},
    ),
    Doc(
        "3",
        "Electric buses",
        "Electric buses replace diesel buses on the main lines",
        "en",
        {"sectors": ["transport", "energy"], "country": "CN", "maturity": "scaled"},
    ),
    Doc(
        "4",
        "Rainwater",
        "Rainwater harvesting for parks and school gardens",
        "en",
        {"sectors": ["water"], "country": "BR", "maturity": "idea"},
    ),
]


class CountingEncoder(HashingEncoder):
    def __init__(self):
        super().__init__(dim=32)
        self.passages_encoded = 0

    def passage(self, texts):
        self.passages_encoded += len(texts)
        return super().passage(texts)


@pytest.fixture
def index():
    ix = SearchIndex(CountingEncoder())
    ix.add(DOCS)
    return ix


def test_search_ranks_the_matching_document_first(index):
    hits = index.search("rainwater harvesting", k=2)
    assert hits[0].id == "4"
    assert "Rainwater" in hits[0].passage
    assert hits[0].lexical > 0.5


def test_filter_by_scalar_facet(index):
    hits = index.search("buses", filters={"country": "IN"})
    assert [h.id for h in hits] == ["2"]


def test_filter_by_list_facet_matches_any_value(index):
    ids = {h.id for h in index.search("city", filters={"sectors": ["water", "education"]}, k=10)}
    assert ids == {"1", "4"}


def test_filters_combine_with_and(index):
    ids = {h.id for h in index.search("city", filters={"sectors": "energy", "maturity": "scaled"}, k=10)}
    assert ids == {"1", "3"}
    assert index.search("city", filters={"sectors": "energy", "country": "IN"}) == []


def test_ids_restrict_to_visible_documents(index):
    assert {h.id for h in index.search("buses", ids={"1", "4"}, k=10)} == {"1", "4"}


def test_add_is_idempotent_and_does_not_re_embed(index):
    before = index.encoder.passages_encoded
    index.add(DOCS)
    assert len(index) == 4
    assert index.encoder.passages_encoded == before
    assert len(index.search("buses", k=10)) == 4


def test_meta_only_change_updates_facets_without_embedding(index):
    before = index.encoder.passages_encoded
    index.add([Doc("4", DOCS[3].title, DOCS[3].text, "en", {"country": "ZA"})])
    assert index.encoder.passages_encoded == before
    assert [h.id for h in index.search("rainwater", filters={"country": "ZA"})] == ["4"]
    assert index.search("rainwater", filters={"country": "BR", "sectors": "water"}) == []


def test_changed_text_replaces_the_document(index):
    index.add([Doc("4", "Rainwater", "Green roofs store rainwater", "en")])
    assert len(index) == 4
    hit = next(h for h in index.search("rainwater", k=4) if h.id == "4")
    assert "Green roofs" in hit.passage
    assert next(h for h in index.search("gardens parks", k=4) if h.id == "4").lexical == 0


def test_remove_is_idempotent(index):
    index.remove(["2", "2", "missing"])
    assert len(index) == 3
    assert "2" not in {h.id for h in index.search("bus lanes", k=10)}


def test_remove_many_compacts_and_keeps_results_right():
    # Without centring, a passage's own text is its nearest vector: checks rows and vectors stay aligned.
    ix = SearchIndex(HashingEncoder(dim=64), SearchConfig(center=False))
    ix.add([Doc(f"f{i}", f"doc {i}", f"filler text number {i}", "en") for i in range(2400)])
    ix.add(DOCS)
    ix.remove([f"f{i}" for i in range(2000)])
    assert ix._n_rows < 2000  # compacted
    assert len(ix) == 404
    assert ix.search("rainwater harvesting", mode="lexical")[0].id == "4"
    assert ix.search("doc 2100. filler text number 2100", mode="dense")[0].id == "f2100"
    assert ix.search("doc 2100. filler text number 2100", mode="lexical")[0].id == "f2100"
    assert ix.search("filler", filters=None, ids={"f5", "f2200"}, k=5)[0].id == "f2200"


def test_rebuild_replaces_everything(index):
    index.rebuild(DOCS[:2])
    assert len(index) == 2
    assert {h.id for h in index.search("anything", k=10)} == {"1", "2"}


def test_long_documents_are_split_and_the_best_passage_is_shown():
    body = " ".join(["parking fees"] * 200) + " the tram depot was rebuilt with geothermal heat pumps"
    ix = SearchIndex(HashingEncoder(dim=32))
    ix.add([Doc("long", "Mobility plan", body, "en"), *DOCS])
    hit = ix.search("geothermal heat pumps", mode="lexical")[0]
    assert hit.id == "long"
    assert hit.passage_index > 0
    assert "geothermal" in hit.passage


def test_stored_vectors_are_reused_by_build_index(index):
    stored = {d.id: pack_vectors(index.passage_vectors(d.id)) for d in DOCS}
    encoder = CountingEncoder()
    rebuilt = build_index(DOCS, encoder=encoder, stored_vectors=stored)
    assert encoder.passages_encoded == 0
    assert rebuilt.search("rainwater")[0].id == "4"


@pytest.mark.parametrize("int8", [False, True])
def test_pack_unpack_round_trip(int8):
    rows = np.random.default_rng(0).normal(size=(3, 384)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    back = unpack_vectors(pack_vectors(rows, int8=int8))
    assert back.shape == rows.shape
    assert np.allclose(back, rows, atol=0 if not int8 else 0.01)
    assert len(pack_vectors(rows, int8=True)) < len(pack_vectors(rows)) / 3


def test_lexical_and_dense_modes_are_available(index):
    assert index.search("rainwater", mode="lexical")[0].id == "4"
    assert index.search("rainwater", mode="dense")[0].id == "4"


def test_missing_language_is_detected(index):
    index.add([Doc("ru", "Вода", "Сбор дождевой воды в парках")])
    assert index._entries["ru"].lang == "ru"


def test_empty_index_and_empty_query():
    ix = SearchIndex(HashingEncoder(dim=8), SearchConfig())
    assert ix.search("anything") == []
    ix.add(DOCS)
    assert ix.search("   ") == []


def test_a_given_query_vector_replaces_the_encoder(index):
    vector = HashingEncoder(dim=32).query(["rainwater harvesting"])[0]
    asked = index.encoder.passages_encoded
    index.encoder.query = None  # the encoder must not be asked
    hits = index.search("rainwater harvesting", vector=vector, k=2)
    assert hits[0].id == "4"
    scores, _starts, ids = index.doc_scores("rainwater harvesting", vector=vector)
    assert ids[int(np.argmax(scores))] == "4"
    assert index.encoder.passages_encoded == asked


def test_exclude_leaves_out_documents_with_a_value(index):
    assert {h.id for h in index.search("buses", exclude={"country": "CN"}, k=4)} == {"1", "2", "4"}
    assert {h.id for h in index.search("buses", exclude={"sectors": ["energy", "water"]}, k=4)} == {"2"}
    assert [h.id for h in index.search("electric buses", exclude={"country": ["CN", "IN"]}, k=1)] in (["1"], ["4"])


@pytest.mark.parametrize("storage", ["float16", "int16", "int8"])
def test_compact_storage_ranks_like_float32(storage):
    docs = [Doc(f"d{i}", f"doc {i}", f"filler text about topic {i} and number {i * 7}", "en") for i in range(300)]
    full = SearchIndex(HashingEncoder(dim=64), SearchConfig(center=False))
    small = SearchIndex(HashingEncoder(dim=64), SearchConfig(center=False, storage=storage))
    full.add(docs)
    small.add(docs)
    small.remove([f"d{i}" for i in range(0, 300, 3)])
    full.remove([f"d{i}" for i in range(0, 300, 3)])
    assert small.memory_bytes() < full.memory_bytes()
    for q in ("topic 17", "number 140", "filler text about topic 200"):
        a, b = full.search(q, mode="dense", k=5), small.search(q, mode="dense", k=5)
        assert [h.id for h in a][:1] == [h.id for h in b][:1]
        assert np.allclose([h.score for h in a], [h.score for h in b], atol=0.01)
    assert np.allclose(small.passage_vectors("d1"), full.passage_vectors("d1"), atol=0.01)
