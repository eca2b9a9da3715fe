"""The PostgreSQL home of the search index (pgvector + full-text) gives the engine's answers, keeps its
statistics exact through writes and deletes, filters inside the vector scan, and survives concurrent writers.

Runs in the PostgreSQL pass of `make test` (embedded PostgreSQL 18 with pgvector)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import numpy as np
import pytest
from django.db import connection, connections, transaction

from cityexchange.matching import pg_index, store
from cityexchange.matching.embedding import HashingEncoder
from cityexchange.matching.engine import Doc, SearchConfig, SearchIndex
from cityexchange.matching.fusion import FusionConfig
from cityexchange.matching.models import CenteringState, SearchLanguage, SearchTerm
from cityexchange.matching.passages import split_passages
from cityexchange.matching.tokenize import term_counts

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL index")

ENC = HashingEncoder(dim=384)

CORPUS = [
    ("en", "Bus rapid transit corridors", "Dedicated bus lanes cut travel times by a third at peak hours.", "BR"),
    ("en", "Household waste sorting", "Residents sort waste into four streams; landfill fell by forty percent.", "CN"),
    ("en", "Flood early warning", "River gauges and SMS alerts warn districts hours before floods arrive.", "IN"),
    ("ru", "Выделенные полосы для автобусов", "Автобусы перестали стоять в пробках в центре города.", "RU"),
    ("ru", "Раздельный сбор мусора", "Жители сортируют мусор, вывоз на полигон сократился.", "RU"),
    ("ru", "Оповещение о наводнениях", "Датчики уровня воды и рассылка СМС предупреждают жителей.", "RU"),
    ("pt", "Corredores de ônibus", "Faixas exclusivas reduziram o tempo de viagem dos ônibus.", "BR"),
    ("pt", "Coleta seletiva de lixo", "Moradores separam o lixo reciclável; o aterro recebe menos.", "BR"),
    ("pt", "Alerta de enchentes", "Sensores nos rios e alertas por SMS avisam os bairros.", "BR"),
    ("zh", "公交专用道", "公交专用道使高峰时段的出行时间缩短了三分之一。", "CN"),
    ("zh", "生活垃圾分类", "居民将垃圾分为四类，填埋量下降了百分之四十。", "CN"),
    ("zh", "洪水预警", "河流水位传感器和短信提前数小时向社区发出警报。", "CN"),
]
QUERIES = ["bus lanes", "сортировка мусора", "alerta de enchente", "垃圾分类", "flood sms warning", "ônibus"]


def _docs() -> list[Doc]:
    return [
        Doc(f"practice:{i + 1}", title, text, lang, {"country": country, "city_id": i % 3 + 1,
                                                     "sectors": ["transport" if i % 3 == 0 else "environment"],
                                                     "language": lang})
        for i, (lang, title, text, country) in enumerate(CORPUS)
    ]


def _vectors(doc: Doc) -> Any:
    return ENC.passage(split_passages(doc.title, doc.text))


def _load(docs: list[Doc]) -> None:
    with transaction.atomic():
        for doc in docs:
            store.save_document(doc, _vectors(doc))
    pg_index.refit_centering(None)


def _search(query: str, **kw: Any) -> list[Any]:
    kw = {"lang": None, "filters": None, "exclude_city": None, "k": 5, **kw}
    return pg_index.BACKEND.search(query, ENC.query([query])[0], **kw)


@pytest.fixture
def loaded(db: None) -> list[Doc]:
    pg_index.BACKEND.reset()
    docs = _docs()
    _load(docs)
    yield docs
    pg_index.BACKEND.reset()


def test_answers_are_the_in_process_engines(loaded):
    engine = SearchIndex(ENC)
    engine.add(loaded)
    engine.refit()
    for query in QUERIES:
        expected = engine.search(query, k=5)
        got = _search(query)
        assert [h.id for h in got[:3]] == [h.id for h in expected[:3]], query
        # halfvec storage: scores agree to about 1e-3
        np.testing.assert_allclose([h.score for h in got[:3]], [h.score for h in expected[:3]], atol=1e-2)


def test_the_stored_embeddings_are_centred_once_the_index_is_multilingual(loaded):
    state = pg_index._state(CenteringState.objects.get(pk=1).version)
    assert state.active and set(state.centering.langs) == {"en", "ru", "pt", "zh"}
    # a second fit finds nothing moved: no rewrite
    assert pg_index.refit_centering(None) is False


@pytest.mark.parametrize("narrow_limit", [pg_index.FILTERED_EXACT_MAX, 0], ids=["exact-over-the-filter", "hnsw"])
def test_filters_and_excluded_city_apply_inside_the_scan(loaded, monkeypatch, narrow_limit):
    # Both paths: a narrow filter ranks its rows exactly; a wide one walks the HNSW graph with iterative scans.
    monkeypatch.setattr(pg_index, "FILTERED_EXACT_MAX", narrow_limit)
    got = _search("bus lanes", filters={"country": ["RU"]}, k=10)
    assert got and {h.id for h in got} <= {"practice:4", "practice:5", "practice:6"}
    got = _search("bus lanes", filters={"sectors": "transport", "country": "BR"}, k=10)
    assert {h.id for h in got} == {"practice:1", "practice:7"}
    got = _search("bus lanes", exclude_city=1, k=20)
    assert got and all(h.meta["city_id"] != 1 for h in got)
    assert _search("bus lanes", filters={"no-such-facet": 1}) == []


def test_the_filters_width_is_estimated_from_the_tables_statistics(loaded):
    # The choice between ranking a filter's rows exactly and walking the HNSW graph reads the planner's estimate
    # instead of counting the rows; after ANALYZE it is close to the count.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE matching_passage")
        for filters in ({"country": ["RU"]}, {"country": ["BR", "CN"], "sectors": ["environment"]}, {}):
            where, params = pg_index._where(filters, None)
            cursor.execute(f"SELECT count(*) FROM matching_passage {where}", params)  # noqa: S608
            count = cursor.fetchone()[0]
            assert count / 2 <= pg_index._estimated_rows(cursor, where, params) <= max(count * 2, 2), filters


def test_a_narrow_filter_ranks_like_the_unfiltered_search_restricted_to_it(loaded, monkeypatch):
    everything = [h.id for h in _search("flood sms warning", k=12) if h.id in {"practice:3", "practice:9"}]
    for limit in (pg_index.FILTERED_EXACT_MAX, 0):
        monkeypatch.setattr(pg_index, "FILTERED_EXACT_MAX", limit)
        filtered = [h.id for h in _search("flood sms warning", filters={"country": ["IN", "BR"],
                                                                         "sectors": ["environment"]}, k=12)]
        assert filtered[:2] == everything, (limit, filtered)


def _stats_from_rows() -> tuple[Counter[str], dict[str, tuple[int, int]]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT doc_key, lang, ARRAY(SELECT lexeme FROM unnest(terms)) FROM matching_passage")
        rows = cursor.fetchall()
    df: Counter[str] = Counter()
    docs: dict[str, set[str]] = {}
    passages: Counter[str] = Counter()
    for key, lang, lexemes in rows:
        df.update(lexemes)
        docs.setdefault(lang, set()).add(key)
        passages[lang] += 1
    return df, {lang: (len(keys), passages[lang]) for lang, keys in docs.items()}


def test_statistics_stay_exact_through_rewrites_and_deletes(loaded):
    changed = Doc("practice:2", "Household waste sorting", "Now with compost bins and deposit machines.", "en",
                  loaded[1].meta)
    with transaction.atomic():
        store.save_document(changed, _vectors(changed))
        pg_index.BACKEND.delete("practice:5")
        pg_index.BACKEND.delete("practice:999")  # unknown: ignored
    df, langs = _stats_from_rows()
    stored_df = {t: n for t, n in SearchTerm.objects.values_list("term", "df") if n}
    assert stored_df == dict(df)
    stored = {r.lang: (r.documents, r.passages) for r in SearchLanguage.objects.all() if r.passages}
    assert stored == langs
    assert not pg_index.BACKEND.contains("practice:5") and pg_index.BACKEND.contains("practice:2")
    assert "practice:2" in {h.id for h in _search("compost deposit machines")}


def test_facet_change_without_text_change_needs_no_new_vectors(loaded):
    doc = loaded[0]
    moved = Doc(doc.id, doc.title, doc.text, doc.lang, {**doc.meta, "country": "ZA"})
    with transaction.atomic():
        pg_index.BACKEND.write(moved, np.zeros((0, 384), np.float32), text_changed=False)
    assert [h.id for h in _search("bus lanes", filters={"country": "ZA"})] == ["practice:1"]


def test_unusual_tokens_round_trip_through_tsvector(db):
    pg_index.BACKEND.reset()
    text = "O'Brien's back\\slash programme BRT-NX7 城市更新 'quoted' a:b"
    doc = Doc("practice:1", "Odd", text, "en", {})
    with transaction.atomic():
        pg_index.BACKEND.write(doc, _vectors(doc), text_changed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ARRAY(SELECT lexeme FROM unnest(terms)) FROM matching_passage")
        stored = set(cursor.fetchone()[0])
    assert stored == {t for t in term_counts(split_passages("Odd", text)[0]) if t}
    hit = _search("BRT-NX7")
    assert hit and hit[0].id == "practice:1" and hit[0].lexical > 0


def test_a_rare_word_finds_its_passage_beyond_the_dense_candidates(db, monkeypatch):
    pg_index.BACKEND.reset()
    monkeypatch.setattr(pg_index, "DENSE_CANDIDATES", 1)
    docs = _docs()
    docs.append(Doc("practice:50", "Zzyzx programme", "The zzyzx programme funds rooftop gardens.", "en", {}))
    _load(docs)
    got = _search("zzyzx", k=3)
    assert "practice:50" in {h.id for h in got}


def test_the_rarest_word_brings_all_its_passages_when_a_common_one_would_crowd_them_out(db, monkeypatch):
    # Thirty passages hold "garden", one holds "zzyzx" too. The query's vector points at the plain garden texts,
    # so the candidates by meaning are garden passages; with room for five word-matched passages, any five
    # holding either word (in table order, the zzyzx one last) would miss it. Words weigh heavily here, so the
    # passage holding both ranks first once it is a candidate at all.
    pg_index.BACKEND.reset()
    monkeypatch.setattr(pg_index, "DENSE_CANDIDATES", 1)
    monkeypatch.setattr(pg_index, "LEXICAL_CANDIDATES", 5)
    monkeypatch.setattr(pg_index, "CONFIG", SearchConfig(fusion=FusionConfig(lexical_weight=10.0)))
    docs = [Doc(f"practice:{60 + i}", f"Garden {i}", f"Community garden number {i} grows vegetables.", "en", {})
            for i in range(30)]
    docs.append(Doc("practice:90", "Rooftops", "The zzyzx programme funds rooftop garden plots.", "en", {}))
    _load(docs)
    vector = ENC.query(["community garden grows vegetables"])[0]
    got = pg_index.BACKEND.search("zzyzx garden", vector, lang="en", filters=None, exclude_city=None, k=1)
    assert [h.id for h in got] == ["practice:90"]


@pytest.mark.parametrize("counts", [
    {"bus": 2, "lane": 1},
    {"it's": 1, "a\\b": 3, "x:y": 2, "''": 1, "公交": 4},
])
def test_word_frequencies_read_back_from_the_tsvector_text(db, counts):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ts_filter(setweight(%s::tsvector, 'A', %s::text[]), '{a}')::text",
                       [pg_index.tsvector_literal(counts), list(counts)])
        text = cursor.fetchone()[0]
    lexemes, tfs = pg_index._frequencies(text)
    assert dict(zip(lexemes, tfs, strict=True)) == counts


def test_a_long_passages_tokens_are_stored_uncompressed(db):
    # Each search reads the tokens of every candidate; a compressed tsvector is decompressed on every read, most
    # of a search's time when the candidates are long Thai or Chinese passages.
    pg_index.BACKEND.reset()
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))  # 3,000 Han characters: ~6,000 bigrams
    doc = Doc("practice:77", "长文", text, "zh", {})
    with transaction.atomic():
        store.save_document(doc, _vectors(doc))
    with connection.cursor() as cursor:
        cursor.execute("SELECT attstorage FROM pg_attribute WHERE attrelid = 'matching_passage'::regclass "
                       "AND attname = 'terms'")
        assert cursor.fetchone()[0] == "e"
        cursor.execute("SELECT max(pg_column_size(terms)), count(*) FILTER (WHERE pg_column_compression(terms) "
                       "IS NOT NULL) FROM matching_passage WHERE doc_key = 'practice:77'")
        largest, compressed = cursor.fetchone()
    assert largest > 4000  # well above the 2 kB at which PostgreSQL compresses or moves a value
    assert compressed == 0


@pytest.mark.parametrize("counts", [
    {"bus": 2, "lane": 1, "x:y": 3, "公交": 4},  # read in one pass
    {"it's": 1, "a\\b": 3, "bus": 2},  # a quote or a backslash: read by _frequencies
])
def test_bm25_read_from_the_tsvector_text_weighs_each_word_by_its_frequency(db, counts):
    weights = {"bus": 1.5, "lane": 0.5, "x:y": 2.0, "公交": 1.0, "it's": 0.25, "a\\b": 3.0}
    with connection.cursor() as cursor:
        cursor.execute("SELECT ts_filter(setweight(%s::tsvector, 'A', %s::text[]), '{a}')::text",
                       [pg_index.tsvector_literal({**counts, "other": 5}), list(counts)])
        text = cursor.fetchone()[0]
    k1, b, length, avgdl = pg_index.BM25_K1, pg_index.BM25_B, 12.0, 10.0
    norm = k1 * (1 - b + b * length / avgdl)
    expected = sum(weights[t] * tf * (k1 + 1) / (tf + norm) for t, tf in counts.items())
    got = pg_index._bm25([text, ""], [length, 3.0], weights, avgdl)
    assert got[0] == pytest.approx(expected, rel=1e-5)
    assert got[1] == 0


@pytest.mark.django_db(transaction=True)
def test_passages_rewritten_many_times_before_vacuum_are_still_found():
    # Until VACUUM, the HNSW graph keeps every deleted or rewritten row; a practice indexed again and again leaves
    # copies of the same vector behind, which pgvector skips, and its walk may stop before the live rows. The
    # short walk is noticed and the passages are ranked exactly.
    pg_index.BACKEND.reset()
    docs = _docs()[:4]
    for _round in range(150):
        with transaction.atomic():
            for doc in docs:
                pg_index.BACKEND.write(doc, _vectors(doc), text_changed=True)
    with connection.cursor() as cursor:  # the graph alone, as the search walks it
        cursor.execute("SELECT set_config('enable_seqscan', 'off', false)")
        cursor.execute("SELECT count(*) FROM (SELECT id FROM matching_passage ORDER BY embedding <#> "
                       "(SELECT embedding FROM matching_passage LIMIT 1) LIMIT 200) d")
        walked = cursor.fetchone()[0]
        cursor.execute("RESET enable_seqscan")
    got = {h.id for h in _search("xylophone quartet", k=10)}  # no word in common: meaning alone
    assert got == {"practice:1", "practice:2", "practice:3", "practice:4"}, f"the graph walk found {walked}"


def test_words_selecting_candidates_are_the_rarest_that_fit(monkeypatch):
    monkeypatch.setattr(pg_index, "LEXICAL_CANDIDATES", 100)
    df = {"common": 97, "rare": 3, "rarer": 1, "huge": 10**6}
    assert pg_index._selecting_words(df) == ["rarer", "rare"]  # "common" would overflow the room left
    assert pg_index._selecting_words({"common": 150, "other": 20}) == ["other"]
    assert pg_index._selecting_words({"common": 150}) == ["common"]  # the rarest is always taken, capped
    assert pg_index._selecting_words({"huge": 10**6}) == []  # above LEXICAL_MAX_DF: rescoring only


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_deadlock_and_keep_counts():
    pg_index.BACKEND.reset()
    words = ["water", "bus", "waste", "flood", "energy", "school", "park", "road", "clinic", "market"]
    errors: list[BaseException] = []

    def writer(offset: int, order: list[str]) -> None:
        try:
            for i in range(15):
                text = " ".join(order[(i + j) % len(order)] for j in range(8))
                doc = Doc(f"practice:{offset + i}", "Shared words", text, "en", {})
                with transaction.atomic():
                    store.save_document(doc, _vectors(doc))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(1, words)),
               threading.Thread(target=writer, args=(100, words[::-1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    df, langs = _stats_from_rows()
    assert langs["en"] == (30, 30)
    assert {t: n for t, n in SearchTerm.objects.values_list("term", "df") if n} == dict(df)
    store.reset()


def test_a_burst_of_writes_queues_one_refit(db, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from cityexchange.matching.tasks import refit_centering
    from cityexchange.settings import TASK_BACKENDS

    settings.TASKS = {"default": {"BACKEND": TASK_BACKENDS["database"]}}
    pg_index.BACKEND.reset()
    for doc in _docs():  # each write makes the index drift from its (empty) fitted state
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            store.save_document(doc, _vectors(doc))
    queued = DBTaskResult.objects.filter(task_path=refit_centering.module_path, status="READY")
    assert queued.count() == 1
