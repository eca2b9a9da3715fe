"""Tasks the fault tests run in real worker processes. Each appends to a log in `folder`, so a test can count how
often a task started and finished."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

HOLD_LIMIT = 120.0  # a held task gives up after this long, so a failing test cannot leave a worker busy forever


def _log(folder: str, name: str, line: str) -> None:
    with (Path(folder) / f"{name}.log").open("a") as log:
        log.write(line + "\n")


@task()
def hold(folder: str, name: str) -> str:
    """Starts, then waits until the file `release` exists in `folder`, then finishes."""
    _log(folder, name, "start")
    deadline = time.monotonic() + HOLD_LIMIT
    while not (Path(folder) / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)
    _log(folder, name, "done")
    return name


@task()
def note(folder: str, name: str) -> str:
    _log(folder, "order", name)
    return name
