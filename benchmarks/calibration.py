"""Calibrate the floors between strong and possible matches; keeps the figures in
benchmarks/results/calibration.json and writes docs/benchmarks-calibration.md from them.

    cd /work/main && PYTHONPATH=src .venv/bin/python benchmarks/calibration.py [--questions 150] [--pool 400]
        [--report-only]

What is calibrated: ``matching.relevance.STRONG_MATCH_SCORES``, the fused score (centred cosine + weighted share
of the query's words, exactly what the search page ranks by) at and above which a hit is called a strong match, one
floor per band of query length (``relevance.band``: short, sentence, long).

Data: XQuAD-R (LAReQA) converted by ``benchmarks/xquad_to_beir.py``. The platform's index holds practices of many
languages, so the engine centres every vector by its language's mean; scores of a one-language pool are raw
cosines, on another scale. So the README's language pairs are measured in ONE multilingual pool, as the
platform sees them: the sentences and the paragraphs (split into passages as a practice is) of English, Russian,
Hindi, Thai and Vietnamese. Three shapes of query (``calibration_shapes.py``): the questions (their answer
sentence, or the paragraph holding it, is relevant), the articles' titles as short topic queries and whole
paragraphs as long queries (the other paragraphs of the same article are relevant). For each query and each pool
language of a pair, the 10 best documents of that language and shape are taken. "pooled" takes each question's
10 best sentences over the whole pool, where every language's answer is relevant.

Every judged query falls in the band of its own length, whatever its shape: a three-word question is judged with
the short queries. Each band's floor is the score maximising the F1 of "relevant" among the top 10, averaged with
equal weight over the (pair, shape) groups of that band that have at least ``MIN_QUERIES`` queries (a group with
many queries must not outweigh one with few). F1 rather than a precision target: a floor reaching precision 0.8
on every pair would call almost every cross-lingual answer possible (see the per-pair table), and a strong label
that cross-lingual users never see helps no one.

Cost: embeddings come from the benchmarks' shared cache (``--data/embeddings-cache.npz``, filled by
``retrieval.py`` and by this script). What is missing is embedded here: a language whose questions are not all
cached contributes ``--questions`` sampled questions, and a sentence language whose sentences are not all cached
contributes the answers of the sampled questions plus random others up to ``--pool`` sentences. The sizes used
are printed in the report. New embeddings are merged into the cache (the file is re-read before writing, so rows
added meanwhile by another run are kept).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import run_record
from calibration_shapes import Shaped, long_queries, paragraphs, topic_queries
from cityexchange.matching import relevance
from cityexchange.matching.beir import Query, load_corpus, load_qrels, load_queries
from cityexchange.matching.embedding import CachedEncoder, E5Encoder
from cityexchange.matching.engine import Doc, SearchConfig, SearchIndex
from cityexchange.matching.passages import split_passages
from xquad_to_beir import README_PAIRS, convert

ROOT = Path(__file__).resolve().parents[1]
NAME = "calibration"
PAGE = run_record.DOCS / "benchmarks-calibration.md"
SAME_FLOOR = 0.0125  # the code's floor and the run's choice agree within a quarter of the reporting grid's step
TOP = 10
MIN_QUERIES = 20  # a (pair, shape) group with fewer queries in a band is reported but does not choose its floor
BANDS = ("short", "sentence", "long")
Judged = dict[tuple[str, str], list[tuple[float, bool, int]]]  # (band, group) -> (score, relevant, n relevant)
GRID = np.round(np.arange(0.0, 1.0005, 0.005), 3)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def save_merged(encoder: CachedEncoder) -> None:
    """Write the cache as the union of the file as it is now and this run's rows; a unique temporary name, so
    a concurrent writer's temporary file is never overwritten."""
    if not encoder._dirty:
        return
    rows = dict(encoder._rows)
    if encoder.path.exists():
        try:
            with np.load(encoder.path) as data:
                for key, row in zip(data["keys"], data["vectors"], strict=True):
                    rows.setdefault(str(key), row)
        except (OSError, ValueError, KeyError):
            log("cache file unreadable right now; writing this run's rows only")
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=encoder.path.parent, prefix=".calibration-")
    os.close(fd)
    np.savez(tmp, keys=np.array(list(rows), dtype="U40"), vectors=np.stack(list(rows.values())).astype(np.float32))
    os.replace(tmp, encoder.path)
    encoder._dirty = False


def paragraph_of(sentence_id: str) -> str:
    return "para-" + sentence_id.rsplit("-", 1)[0]  # "en-12-3-4" -> "para-en-12-3"


def group_of(query_id: str) -> str:
    return query_id.split("-", 1)[1]  # "ru-56be..." -> the question, the same in every language


def select(
    docs: list[Doc], queries: list[Query], qrels: dict[str, dict[str, float]], encoder: CachedEncoder, args: Any
) -> tuple[list[Doc], list[Query], list[Shaped], dict[str, Any]]:
    q_langs = sorted({q for q, _d in README_PAIRS})
    d_langs = sorted({d for _q, d in README_PAIRS})
    cached = encoder._rows

    def has_q(text: str) -> bool:
        return CachedEncoder._key("q", text) in cached

    def has_p(doc: Doc) -> bool:
        return all(CachedEncoder._key("p", p) in cached for p in split_passages(doc.title, doc.text))

    by_qlang: dict[str, list[Query]] = defaultdict(list)
    for q in queries:
        if q.lang in q_langs:
            by_qlang[q.lang or ""].append(q)
    groups = sorted({group_of(q.id) for q in by_qlang["en"]})
    sample = set(random.Random(13).sample(groups, min(args.questions, len(groups))))
    picked: list[Query] = []
    sizes: dict[str, Any] = {"questions": {}, "sentences": {}, "paragraphs": {}, "topic": {}, "long": {}}
    for lang in q_langs:
        rows = by_qlang[lang]
        if not all(has_q(q.text) for q in rows):
            rows = [q for q in rows if group_of(q.id) in sample]
        picked += rows
        sizes["questions"][lang] = len(rows)
    by_lang: dict[str, list[Doc]] = defaultdict(list)
    for d in docs:
        by_lang[d.lang or ""].append(d)
    answers = {doc_id for q in queries if group_of(q.id) in sample for doc_id in qrels.get(q.id, {})}
    pool: list[Doc] = []
    rng = random.Random(17)
    for lang in d_langs:
        rows = by_lang[lang]
        if not all(has_p(d) for d in rows):
            keep = [d for d in rows if d.id in answers]
            others = [d for d in rows if d.id not in answers]
            keep += rng.sample(others, max(0, min(len(others), args.pool - len(keep))))
            rows = sorted(keep, key=lambda d: d.id)
        pool += rows
        sizes["sentences"][lang] = len(rows)
    # Practice-shaped documents: every paragraph of the pool languages, split into passages as a practice is.
    paras = paragraphs([d for lang in d_langs for d in by_lang[lang]])
    pool += paras
    for d in paras:
        sizes["paragraphs"][d.lang] = sizes["paragraphs"].get(d.lang, 0) + 1
    texts = paragraphs([d for lang in q_langs for d in by_lang[lang]])
    shaped = topic_queries(args.src, pool) + long_queries(texts, pool, args.long)
    for item in shaped:
        sizes[item.shape][item.query.lang] = sizes[item.shape].get(item.query.lang, 0) + 1
    return pool, picked, shaped, sizes


def embed_missing(pool: list[Doc], picked: list[Query], encoder: CachedEncoder) -> None:
    texts = [p for d in pool for p in split_passages(d.title, d.text)]
    missing_p = list(dict.fromkeys(t for t in texts if CachedEncoder._key("p", t) not in encoder._rows))
    missing_q = list(dict.fromkeys(q.text for q in picked if CachedEncoder._key("q", q.text) not in encoder._rows))
    log(f"to embed: {len(missing_p)} passages, {len(missing_q)} queries")
    for kind, todo in (("q", missing_q), ("p", missing_p)):
        for start in range(0, len(todo), 64):
            chunk = todo[start : start + 64]
            encoder.query(chunk) if kind == "q" else encoder.passage(chunk)
            save_merged(encoder)
            log(f"  {kind}: {min(start + 64, len(todo))}/{len(todo)}")


def _members(index: SearchIndex, pool: list[Doc]) -> tuple[list[str | None], dict[tuple[str, bool], Any]]:
    _s, _starts, slot_ids = index.doc_scores("x", mode="lexical")
    lang_of = {d.id: d.lang or "" for d in pool}
    shape = np.array([(i or "").startswith("para-") for i in slot_ids])
    slot_lang = np.array([lang_of.get(i or "", "") for i in slot_ids])
    members = {
        (lang, para): np.flatnonzero((slot_lang == lang) & (shape == para))
        for lang in sorted(set(lang_of.values()))
        for para in (False, True)
    }
    return slot_ids, members


def judged_questions(
    index: SearchIndex, pool: list[Doc], picked: list[Query], qrels: dict[str, dict[str, float]], judged: Judged
) -> None:
    """Per (band, pair) (and "pooled"): (score, relevant, relevant documents the question has in that pool) of
    each of the top 10 hits of every question. Sentences and paragraphs are ranked separately ("ru-en" and
    "ru-en ¶"): each is a pool of its own shape, scored by the same index."""
    slot_ids, members = _members(index, pool)
    lang_of = {d.id: d.lang or "" for d in pool}
    sentence_rows = np.concatenate([rows for (_lang, para), rows in members.items() if not para])
    pairs = {f"{q}-{d}" for q, d in README_PAIRS}
    for n, query in enumerate(picked):
        sentences = {doc for doc, g in qrels.get(query.id, {}).items() if g > 0 and doc in lang_of}
        relevant = sentences | {paragraph_of(doc) for doc in sentences if paragraph_of(doc) in lang_of}
        if not sentences:
            continue
        where = relevance.band(query.text)
        scores, _starts, _ids = index.doc_scores(query.text)  # the language is detected, as on the search page
        top = sentence_rows[np.argsort(-scores[sentence_rows], kind="stable")[:TOP]]
        judged[(where, "pooled · question")] += [
            (float(scores[s]), slot_ids[s] in sentences, len(sentences)) for s in top
        ]
        for (lang, para), rows in members.items():
            pair = f"{query.lang}-{lang}"
            mine = {doc for doc in relevant if lang_of[doc] == lang and doc.startswith("para-") == para}
            if pair not in pairs or not mine or not len(rows):
                continue
            top = rows[np.argsort(-scores[rows], kind="stable")[:TOP]]
            group = f"{pair}{' ¶' if para else ''} · question"
            judged[(where, group)] += [(float(scores[s]), slot_ids[s] in mine, len(mine)) for s in top]
        if n % 500 == 0:
            log(f"  scored {n}/{len(picked)} questions")


def judged_shaped(index: SearchIndex, pool: list[Doc], shaped: list[Shaped], judged: Judged) -> None:
    """The topic and long queries, on the paragraphs of each pool language (their own translations left out)."""
    slot_ids, members = _members(index, pool)
    for item in shaped:
        where = relevance.band(item.query.text)
        scores, _starts, _ids = index.doc_scores(item.query.text)
        for (lang, para), rows in members.items():
            if not para:
                continue
            rows = np.array([r for r in rows if slot_ids[r] not in item.excluded], dtype=np.int64)
            mine = {doc for doc in item.relevant if doc.split("-")[1] == lang}
            if not mine or not len(rows):
                continue
            top = rows[np.argsort(-scores[rows], kind="stable")[:TOP]]
            group = f"{item.query.lang}-{lang} ¶ · {item.shape}"
            judged[(where, group)] += [(float(scores[s]), slot_ids[s] in mine, len(mine)) for s in top]


def figures(hits: list[tuple[float, bool, int]], threshold: float) -> dict[str, float]:
    scores = np.array([h[0] for h in hits])
    rel = np.array([h[1] for h in hits])
    strong = scores >= threshold
    tp = int((strong & rel).sum())
    precision = tp / strong.sum() if strong.any() else 1.0
    recall = tp / rel.sum() if rel.any() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    questions = len(hits) / TOP
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "strong_per_question": float(strong.sum()) / questions,
        "questions": questions,
        "relevant_in_top": float(rel.sum()) / questions,
    }


def deciding(judged: Judged, where: str) -> list[str]:
    """The groups of a band that choose its floor: enough queries, and not the pooled row (it repeats the
    question groups with every language relevant at once)."""
    return sorted(
        g
        for (b, g), hits in judged.items()
        if b == where and not g.startswith("pooled") and len(hits) >= MIN_QUERIES * TOP
    )


def choose(judged: Judged) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for where in BANDS:
        groups = deciding(judged, where)
        if not groups:
            continue
        curves = {g: [figures(judged[(where, g)], float(t)) for t in GRID] for g in groups}
        mean_f1 = np.array([np.mean([curves[g][i]["f1"] for g in groups]) for i in range(len(GRID))])
        best = int(np.argmax(mean_f1))
        per_group = {}
        for g in groups:
            f1 = np.array([c["f1"] for c in curves[g]])
            prec = np.array([c["precision"] for c in curves[g]])
            reach = np.flatnonzero(prec >= 0.8)
            per_group[g] = {
                "best_f1_at": float(GRID[int(np.argmax(f1))]),
                "best_f1": float(f1.max()),
                "precision_08_at": float(GRID[reach[0]]) if len(reach) else None,
            }
        out[where] = {
            "threshold": float(GRID[best]),
            "mean_f1": float(mean_f1[best]),
            "per_group": per_group,
            "groups": groups,
        }
    return out


def precision_target(judged: Judged, where: str, groups: list[str]) -> dict[str, float] | None:
    """The lowest floor at which the deciding groups' mean precision reaches 0.8, and their mean recall there."""
    for t in GRID:
        rows = [figures(judged[(where, g)], float(t)) for g in groups]
        precision = float(np.mean([r["precision"] for r in rows]))
        if precision >= 0.8:
            return {"at": float(t), "recall": float(np.mean([r["recall"] for r in rows]))}
    return None


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def band_figures(judged: Judged, choice: dict[str, Any], where: str) -> dict[str, Any]:
    """What the page shows of one band, at the floor the code uses now."""
    used = relevance.STRONG_MATCH_SCORES[where]  # type: ignore[index]
    picked = choice.get(where)
    out: dict[str, Any] = {"floor_in_code": used, "choice": None}
    if picked is None:
        return out
    names = sorted(g for (b, g) in judged if b == where)
    order = sorted(names, key=lambda g: (g.startswith("pooled"), g.split(" · ")[-1], g))
    every = [h for g in picked["groups"] for h in judged[(where, g)]]
    out.update(
        choice={"threshold": picked["threshold"], "mean_f1": picked["mean_f1"], "groups": picked["groups"]},
        precision_08=precision_target(judged, where, picked["groups"]),
        groups=[
            {"group": g, "at_floor": figures(judged[(where, g)], used), "optimum": picked["per_group"].get(g)}
            for g in order
        ],
        all_deciding=figures(every, used),
        floors=[
            {"floor": float(t), **{k: float(np.mean([r[k] for r in rows])) for k in ("precision", "recall", "f1")}}
            for t in np.round(np.arange(0.15, 0.551, 0.05), 3)
            for rows in [[figures(judged[(where, g)], float(t)) for g in picked["groups"]]]
        ],
    )
    return out


def band_section(band: dict[str, Any], where: str, words: dict[str, int]) -> list[str]:
    text = {
        "short": f"up to {words['short_max']} words (keywords, a subject)",
        "sentence": f"{words['short_max'] + 1} to {words['sentence_max']} words (a question, a sentence)",
        "long": f"more than {words['sentence_max']} words (a challenge, a paragraph)",
    }
    lines = [f"## Band “{where}”: {text[where]}", ""]
    picked = band["choice"]
    if picked is None:
        return [*lines, "No group has enough queries in this band on this run.", ""]
    used = band["floor_in_code"]
    same = abs(picked["threshold"] - used) < SAME_FLOOR
    reach = band["precision_08"]
    lines += [
        f"* **Floor in the code: {used:.3f}.** The script's choice on this run: **{picked['threshold']:.3f}** "
        f"(mean F1 over the {len(picked['groups'])} deciding groups {picked['mean_f1']:.3f})"
        + (" — the same." if same else " — the code differs; update it."),
        "* Precision 0.8 over the deciding groups: "
        + (f"reached on average at {reach['at']:.3f}, where recall is {pct(reach['recall'])} %" if reach
           else "never reached on average over the groups") + ".",
        "",
        "| group | queries | precision | recall | F1 | strong hits per query | relevant in top 10 | best F1 (at) | "
        "precision 0.8 at |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in band["groups"]:
        f, extra = row["at_floor"], row["optimum"]
        best = f"{pct(extra['best_f1'])} ({extra['best_f1_at']:.3f})" if extra else "— (not deciding)"
        at = "—"
        if extra:
            at = "never" if extra["precision_08_at"] is None else f"{extra['precision_08_at']:.3f}"
        lines.append(
            f"| {row['group']} | {f['questions']:.0f} | {pct(f['precision'])} | {pct(f['recall'])} | {pct(f['f1'])} | "
            f"{f['strong_per_question']:.2f} | {f['relevant_in_top']:.2f} | {best} | {at} |"
        )
    f = band["all_deciding"]
    lines += [
        f"| **all deciding groups, pooled** | {f['questions']:.0f} | {pct(f['precision'])} | {pct(f['recall'])} | "
        f"{pct(f['f1'])} | {f['strong_per_question']:.2f} | {f['relevant_in_top']:.2f} | | |",
        "",
        "| floor | precision | recall | F1 |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for row in band["floors"]:
        lines.append(f"| {row['floor']:.2f} | {pct(row['precision'])} | {pct(row['recall'])} | {pct(row['f1'])} |")
    return [*lines, ""]


def report(data: dict[str, Any]) -> str:
    part = data["parts"]["run"]
    r = part["figures"]
    lines = run_record.head("Calibration of strong and possible matches", "calibration.py", NAME,
                            [("run", part["run"])])
    lines += [
        f"The run took {r['seconds']:.0f} s. "
        "A hit is a **strong match** when the engine's fused score (centred cosine + weighted share of the query's "
        "words found in the passage) reaches the floor of its query's length band "
        "(`matching.relevance.STRONG_MATCH_SCORES`), otherwise a **possible match**. The model's scores live on "
        "different scales for different shapes of query: two keywords score a whole practice on their subject "
        "lower than a question scores its answer, and a long challenge scores its best practice lower again. So "
        "each band has its own floor, chosen on the queries of XQuAD-R whose length falls in it, in one "
        "multilingual pool as the platform's index is (vectors centred per language).",
        "",
        "* Shapes: **question** (XQuAD-R's questions; the answer sentence, or the paragraph holding it, is "
        "relevant), **topic** (an article's title as a short query; its paragraphs in every language are "
        "relevant), **long** (a whole paragraph as the query; the other paragraphs of its article are relevant, "
        "its own translations are left out). Documents are single sentences or paragraphs split into passages as "
        "a practice is (groups marked ¶).",
        "* Rule: each band's floor maximises the F1 of \"relevant\" among each query's top 10, averaged with "
        f"equal weight over the band's groups with at least {r['min_queries']} queries. The per-group optima show "
        "how far each group would pull.",
        "* Precision: of the top-10 hits at or above the floor, the share that is relevant. Recall: of the "
        "relevant documents that reach the top 10, the share at or above the floor.",
        "* Why not a precision target of 0.8: a floor reaching it on every group would call almost every "
        'cross-lingual match possible (column "precision 0.8 at"), and a strong label that readers rarely see '
        "on a right answer does not help them act.",
        '* "pooled · question": each question\'s top 10 sentences over the whole pool, where the answer in every '
        "pool language is relevant (several relevant sentences per question).",
        "",
    ]
    for where in BANDS:
        lines += band_section(r["bands"][where], where, r["band_words"])
    sizes = r["sizes"]
    lines += [
        "## Pool",
        "",
        "| language | questions | topic queries | long queries | sentences in the pool | paragraphs in the pool |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    keys = ("questions", "topic", "long", "sentences", "paragraphs")
    for lang in sorted({lang for k in keys for lang in sizes[k]}):
        cells = " | ".join(str(sizes[k].get(lang, "—")) for k in keys)
        lines.append(f"| {lang} | {cells} |")
    lines += [
        "",
        "A language with all its questions (or sentences) already in the embedding cache contributes all of "
        "them; otherwise a fixed random sample (seeded), so that the run stays within minutes: smaller pools "
        "of a language make its top 10 somewhat easier than the full 1,200 sentences would. Topic queries exist "
        "in English only (the data's article titles).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--src", type=Path, default=Path("/work/shared/bench-data/xquad-r"))
    parser.add_argument("--questions", type=int, default=150, help="questions per language not fully cached")
    parser.add_argument("--pool", type=int, default=400, help="sentences per language not fully cached")
    parser.add_argument("--long", type=int, default=60, help="paragraphs per language used as long queries")
    parser.add_argument("--report-only", action="store_true", help="rewrite the page from the stored figures")
    args = parser.parse_args(argv)
    if not args.report_only:
        run = run_record.start("calibration.py", argv)
        run_record.store(NAME, "run", *measure(args, run))
    run_record.write_page(PAGE, report(run_record.read(NAME)))
    return 0


def measure(args: argparse.Namespace, run: run_record.Run) -> tuple[run_record.Run, dict[str, Any]]:
    started = time.perf_counter()
    task = args.data / "xquad-r-pooled"
    if not (task / "qrels.tsv").exists():
        convert(args.src, args.data, list(README_PAIRS))
    docs = load_corpus(task / "corpus.jsonl")
    queries = load_queries(task / "queries.jsonl")
    qrels = load_qrels(task / "qrels.tsv")
    encoder = CachedEncoder(E5Encoder(), args.data / "embeddings-cache.npz")
    pool, picked, shaped, sizes = select(docs, queries, qrels, encoder, args)
    log(f"pool: {len(pool)} documents, {len(picked)} questions, {len(shaped)} topic and long queries")
    embed_missing(pool, picked + [item.query for item in shaped], encoder)
    index = SearchIndex(encoder, SearchConfig())
    for start in range(0, len(pool), 512):
        index.add(pool[start : start + 512], refit=False)
    index.refit()
    judged: Judged = defaultdict(list)
    judged_questions(index, pool, picked, qrels, judged)
    judged_shaped(index, pool, shaped, judged)
    choice = choose(judged)
    for where, c in choice.items():
        log(
            f"{where}: chosen floor {c['threshold']:.3f} (mean F1 {c['mean_f1']:.3f} over {len(c['groups'])} groups); "
            f"in the code {relevance.STRONG_MATCH_SCORES[where]:.3f}"  # type: ignore[index]
        )
    figures_ = {
        "seconds": time.perf_counter() - started,
        "min_queries": MIN_QUERIES,
        "band_words": {"short_max": relevance.SHORT_MAX_WORDS, "sentence_max": relevance.SENTENCE_MAX_WORDS},
        "bands": {where: band_figures(judged, choice, where) for where in BANDS},
        "sizes": sizes,
    }
    return run_record.finish(run), figures_


if __name__ == "__main__":
    raise SystemExit(main())
