"""The benchmark pages in docs/ are what their scripts write from benchmarks/results/*.json, nothing typed in.

Runs no benchmark: each script's report function renders its page from the stored figures, and the page on disk
must be exactly that. A page edited by hand, or figures changed without rewriting the page, fails here; the fix is
`make benchmarks-report` (or running the benchmark again).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import run_record  # noqa: E402
import summary  # noqa: E402

# Modules in benchmarks/ that are not benchmarks of their own.
HELPERS = {"run_record", "summary", "xquad_to_beir", "calibration_shapes"}
COMMAND = re.compile(r"^(- .+?\. )?Command: (`[^`]+`|not recorded \(.+?\)) — .+?; .*load average ", re.M)


def head(text: str) -> str:
    """What a reader sees before the first section: title, provenance, command and load average."""
    return text.split("\n## ", 1)[0]


@pytest.mark.parametrize("script", summary.SCRIPTS, ids=lambda s: s.NAME)
def test_page_is_what_its_script_writes_from_the_stored_figures(script: ModuleType) -> None:
    stored = run_record.read(script.NAME)
    assert stored["parts"], f"benchmarks/results/{script.NAME}.json holds no figures"
    expected = script.report(stored)
    page = script.PAGE.read_text(encoding="utf-8")
    assert page == expected, (
        f"{script.PAGE.relative_to(ROOT)} differs from what benchmarks/{script.NAME}.py writes from "
        f"benchmarks/results/{script.NAME}.json: edited by hand? Run `make benchmarks-report`."
    )


def test_summary_is_what_summary_py_writes() -> None:
    expected = summary.report(summary.read_all(), summary.NOTES.read_text(encoding="utf-8"))
    assert summary.PAGE.read_text(encoding="utf-8") == expected, (
        "docs/benchmarks.md differs from what benchmarks/summary.py writes: edit benchmarks/summary_notes.md "
        "for prose, the results files through the benchmarks for figures, then `make benchmarks-report`."
    )


@pytest.mark.parametrize(
    "page", [*[s.PAGE for s in summary.SCRIPTS], summary.PAGE], ids=lambda p: p.name
)
def test_page_opens_with_the_command_and_the_load_average(page: Path) -> None:
    top = head(page.read_text(encoding="utf-8"))
    assert "Command: " in top, f"{page.name}: no command line before its first section"
    assert "load average" in top, f"{page.name}: no load average before its first section"
    if page != summary.PAGE:
        assert COMMAND.search(top), f"{page.name}: the command line lacks its date or load average"


def test_every_run_states_its_command_date_and_load() -> None:
    for script in summary.SCRIPTS:
        stored = run_record.read(script.NAME)
        for where, entry in [*stored["parts"].items(), *enumerate(stored.get("history", []))]:
            run = entry["run"]
            assert run.get("command") or run.get("command_note"), (script.NAME, where)
            assert run.get("date"), (script.NAME, where)
            machine = run.get("machine", {})
            assert {"load_average_start", "load_average_end", "load_average_note"} & set(machine), (script.NAME, where)


def test_every_benchmark_script_has_a_checked_page() -> None:
    scripts = {p.stem for p in BENCHMARKS.glob("*.py")} - HELPERS
    assert scripts == {s.NAME for s in summary.SCRIPTS}, "a benchmark without a results file and page of its own"
    for p in sorted(BENCHMARKS.glob("*.py")):
        if p.stem not in HELPERS:
            assert "--report-only" in p.read_text(encoding="utf-8"), f"{p.name} has no --report-only"


def test_the_run_line_states_the_load_or_says_it_was_not_recorded() -> None:
    run = {"command": "x.py --a", "date": "2026-12-04 03:20 UTC", "commit": "abc1234",
           "machine": {"cores": 2, "load_average_start": 5.24, "load_average_end": 6.1}}
    assert run_record.run_line(run) == (
        "Command: `x.py --a` — 2026-12-04 03:20 UTC, commit abc1234; 2 cores, load average 5.2 at the start, "
        "6.1 at the end."
    )
    old = {"command": None, "command_note": "numpy by hand", "date": "2026-11-28",
           "machine": {"cores": 2, "load_average_note": "not recorded"}, "source": "an older page"}
    assert run_record.run_line(old) == (
        "Command: not recorded (numpy by hand) — 2026-11-28; 2 cores, load average not recorded. "
        "Figures transcribed from an older page."
    )
