"""Convert XQuAD-R (LAReQA, SQuAD JSON with sentence breaks) into BEIR directories.

Writes, under the output directory (default ``benchmarks/data/``, git-ignored):

* ``xquad-r-pooled/``  the LAReQA task: every sentence of every language in ONE pool, each question has the 11
  answer sentences (one per language) as relevant documents; the metric is mAP.
* ``xquad-r-<q>-<d>/`` one per (question language -> sentence language) pair: questions in ``q``, a pool of the
  sentences of ``d`` only, one relevant sentence; the metrics are R@1 / MRR@10.

Every file is BEIR: ``corpus.jsonl`` (``_id, title, text, lang``), ``queries.jsonl`` (``_id, text, lang``) and
``qrels.tsv`` (``query-id<TAB>corpus-id<TAB>score`` with a header).

    python benchmarks/xquad_to_beir.py [--src /work/shared/bench-data/xquad-r] [--out benchmarks/data]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SRC = Path("/work/shared/bench-data/xquad-r")
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
LANGS = ("ar", "de", "el", "en", "es", "hi", "ru", "th", "tr", "vi", "zh")
# The pairs of the bench-data README table: the per-pair targets are stated on these.
README_PAIRS = (
    ("en", "en"),
    ("ru", "ru"),
    ("ru", "en"),
    ("zh", "en"),
    ("hi", "hi"),
    ("hi", "en"),
    ("ar", "en"),
    ("es", "en"),
    ("th", "th"),
    ("vi", "vi"),
    ("vi", "en"),
)


@dataclass
class LanguageData:
    lang: str
    sentences: dict[str, str] = field(default_factory=dict)  # corpus id -> sentence
    questions: dict[str, str] = field(default_factory=dict)  # qa id -> question text
    answers: dict[str, str] = field(default_factory=dict)  # qa id -> corpus id of the answer sentence


def answer_sentence(breaks: list[list[int]], answer_start: int) -> int:
    """Index of the sentence whose break span contains ``answer_start``.

    Falls back to the last sentence starting at or before the answer when the start falls in the whitespace
    between two spans, which happens in a few translated paragraphs.
    """
    for i, (start, end) in enumerate(breaks):
        if start <= answer_start < end:
            return i
    before = [i for i, (start, _end) in enumerate(breaks) if start <= answer_start]
    return before[-1] if before else 0


def load_language(src: Path, lang: str) -> LanguageData:
    raw = json.loads((src / f"{lang}.json").read_text(encoding="utf-8"))
    out = LanguageData(lang)
    for a, article in enumerate(raw["data"]):
        for p, paragraph in enumerate(article["paragraphs"]):
            ids = []
            for s, sentence in enumerate(paragraph["sentences"]):
                cid = f"{lang}-{a}-{p}-{s}"
                out.sentences[cid] = sentence.strip()
                ids.append(cid)
            for qa in paragraph["qas"]:
                out.questions[qa["id"]] = qa["question"].strip()
                start = qa["answers"][0]["answer_start"]
                out.answers[qa["id"]] = ids[answer_sentence(paragraph["sentence_breaks"], start)]
    return out


def _write_jsonl(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_qrels(path: Path, pairs: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("query-id\tcorpus-id\tscore\n")
        for qid, cid in pairs:
            fh.write(f"{qid}\t{cid}\t1\n")


def write_task(
    out: Path,
    corpus_langs: list[LanguageData],
    query_langs: list[LanguageData],
    everything: dict[str, LanguageData],
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    corpus = [
        {"_id": cid, "title": "", "text": text, "lang": data.lang}
        for data in corpus_langs
        for cid, text in data.sentences.items()
    ]
    queries, qrels = [], []
    for data in query_langs:
        for qa_id, text in data.questions.items():
            qid = f"{data.lang}-{qa_id}"
            queries.append({"_id": qid, "text": text, "lang": data.lang})
            for target in corpus_langs:
                cid = everything[target.lang].answers.get(qa_id)
                if cid is not None:
                    qrels.append((qid, cid))
    _write_jsonl(out / "corpus.jsonl", corpus)
    _write_jsonl(out / "queries.jsonl", queries)
    _write_qrels(out / "qrels.tsv", qrels)


def convert(src: Path, out: Path, pairs: list[tuple[str, str]], pooled: bool = True) -> list[Path]:
    data = {lang: load_language(src, lang) for lang in LANGS}
    written = []
    if pooled:
        every = [data[lang] for lang in LANGS]
        write_task(out / "xquad-r-pooled", every, every, data)
        written.append(out / "xquad-r-pooled")
    for q, d in pairs:
        path = out / f"xquad-r-{q}-{d}"
        write_task(path, [data[d]], [data[q]], data)
        written.append(path)
    return written


def parse_pairs(spec: str) -> list[tuple[str, str]]:
    if spec == "readme":
        return list(README_PAIRS)
    if spec == "all":
        return [(q, d) for q in LANGS for d in LANGS]
    pairs = []
    for item in spec.split(","):
        q, _, d = item.partition("-")
        if q not in LANGS or d not in LANGS:
            raise SystemExit(f"unknown pair {item!r}; languages are {', '.join(LANGS)}")
        pairs.append((q, d))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", type=Path, default=DEFAULT_SRC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--pairs", default="readme", help="'readme' (default), 'all', or e.g. 'ru-en,zh-en'")
    parser.add_argument("--no-pooled", action="store_true", help="skip the pooled LAReQA task")
    args = parser.parse_args(argv)
    for path in convert(args.src, args.out, parse_pairs(args.pairs), pooled=not args.no_pooled):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
