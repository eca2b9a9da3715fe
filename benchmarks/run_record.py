"""What every benchmark keeps of a run, and the head of the page it writes from it.

A benchmark stores its measured figures in ``benchmarks/results/<name>.json`` and writes its page in docs/ from
that file only, so ``--report-only`` can rewrite the page without measuring and tests/test_benchmark_docs.py can
tell a page edited by hand. The file's shape::

    {"parts": {"<part>": {"run": RUN, "figures": {...}}},      # the current figures, one entry per part that
                                                                # runs on its own (e.g. quality and speed)
     "history": [{"about": "...", "run": RUN, "figures": {...}}]}   # earlier runs kept for comparison, and
                                                                     # figures no command here reproduces now

    RUN = {"command": "...", "date": "2026-12-04 03:20 UTC", "commit": "abc1234",
           "machine": {"cores": 2, "load_average_start": 5.2, "load_average_end": 6.1},
           "source": "..."}   # only for figures transcribed from an older page rather than stored by the run
    # An old figure whose command was not written down has "command": null and a "command_note" instead.

A part run again replaces its entry; the file is read, changed and written under a lock, so two parts measured by
separate processes at the same time (one per core) both land.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shlex
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DOCS = ROOT / "docs"
Run = dict[str, Any]


def commit() -> str:
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def start(script: str, argv: Sequence[str], *, pythonpath: bool = True) -> Run:
    """The stamp of a run that begins now: the command as typed from the checkout, date, commit, load average."""
    prefix = "PYTHONPATH=src " if pythonpath else ""
    return {
        "command": f"{prefix}.venv/bin/python benchmarks/{script} {shlex.join(argv)}".rstrip(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "machine": {"cores": os.cpu_count(), "load_average_start": round(os.getloadavg()[0], 2)},
    }


def finish(run: Run) -> Run:
    """The same stamp with the load average at the end of the run."""
    return {**run, "machine": {**run["machine"], "load_average_end": round(os.getloadavg()[0], 2)}}


def path(name: str) -> Path:
    return RESULTS / f"{name}.json"


def read(name: str) -> dict[str, Any]:
    p = path(name)
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {"parts": {}, "history": []}


def _write(name: str, data: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    tmp = path(name).with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path(name))


@contextmanager
def _locked() -> Iterator[None]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    fd = os.open(RESULTS, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def store(name: str, part: str, run: Run, figures: dict[str, Any]) -> dict[str, Any]:
    """Keep ``figures`` as the current ``part`` of ``name`` (replacing that part's earlier run); the whole file."""
    with _locked():
        data = read(name)
        data.setdefault("parts", {})[part] = {"run": run, "figures": figures}
        data.setdefault("history", [])
        _write(name, data)
    return data


def update(name: str, part: str, run: Run, changes: dict[str, Any]) -> dict[str, Any]:
    """Re-measure some figures of a part (e.g. the latencies on the same data): merged into the stored ones."""
    with _locked():
        data = read(name)
        old = data.get("parts", {}).get(part)
        if old is None:
            raise SystemExit(f"benchmarks/results/{name}.json has no part {part!r} to update; run it in full first")
        old["figures"].update(changes)
        old["run"] = run
        _write(name, data)
    return data


def fmt_load(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def load_text(run: Run) -> str:
    """'2 cores, load average 5.2 at the start, 6.1 at the end', or what an older page said of the load."""
    m = run.get("machine", {})
    cores = f"{m['cores']} cores, " if m.get("cores") else ""
    if "load_average_start" not in m and "load_average_end" not in m:
        return f"{cores}load average {m.get('load_average_note', 'not recorded')}"
    text = f"{cores}load average {fmt_load(m.get('load_average_start'))} at the start"
    if "load_average_end" in m:
        text += f", {fmt_load(m['load_average_end'])} at the end"
    if m.get("load_average_note"):
        text += f" ({m['load_average_note']})"
    return text


def run_line(run: Run) -> str:
    """The line every page opens with, once per part: the command, when, where, and how loaded the machine was."""
    where = f"{run['date']}, commit {run['commit']}" if run.get("commit") else run["date"]
    command = f"`{run['command']}`" if run.get("command") else f"not recorded ({run.get('command_note', '')})"
    line = f"Command: {command} — {where}; {load_text(run)}."
    if run.get("source"):
        line += f" Figures transcribed from {run['source']}."
    return line


def head(title: str, script: str, name: str, runs: Sequence[tuple[str, Run]]) -> list[str]:
    """Title, provenance and one run line per part (labelled when there are several)."""
    lines = [
        f"# {title}",
        "",
        f"Written by `benchmarks/{script}` from `benchmarks/results/{name}.json` — do not edit by hand; "
        f"`PYTHONPATH=src .venv/bin/python benchmarks/{script} --report-only` rewrites it from the stored figures.",
        "",
    ]
    merged: list[tuple[list[str], Run]] = []
    for label, run in runs:  # parts measured by one run share its line
        if merged and merged[-1][1] == run:
            merged[-1][0].append(label)
        else:
            merged.append(([label], run))
    if len(merged) == 1:
        return [*lines, run_line(merged[0][1]), ""]
    return [*lines, *[f"- {', '.join(labels)}. {run_line(run)}" for labels, run in merged], ""]


def write_page(page: Path, text: str) -> None:
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    print(f"wrote {page.relative_to(ROOT)}", flush=True)


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"
