"""With DEBUG off, the server refuses to start on the public development SECRET_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cityexchange.core.secret_key import check_secret_key, refuse_default_key_in_production

ROOT = Path(__file__).resolve().parents[2]


def test_default_key_with_debug_off_is_refused(settings: Any) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        refuse_default_key_in_production()
    assert [e.id for e in check_secret_key()] == ["cityexchange.E001"]
    with pytest.raises(SystemCheckError, match="SECRET_KEY"):
        call_command("check", deploy=True)


def test_own_key_or_debug_passes(settings: Any) -> None:
    settings.DEBUG = False
    settings.SECRET_KEY = "a-long-random-production-key-" + "x" * 30
    refuse_default_key_in_production()
    assert check_secret_key() == []
    settings.DEBUG = True
    settings.SECRET_KEY = settings.DEFAULT_SECRET_KEY
    assert check_secret_key() == []


def _load_wsgi(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    clean |= {"CITYEXCHANGE_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src"), **env}
    return subprocess.run(
        [sys.executable, "-c", "import cityexchange.wsgi"], env=clean, capture_output=True, text=True, timeout=120
    )


def test_wsgi_application_will_not_load_on_the_default_key(tmp_path: Path) -> None:
    refused = _load_wsgi(tmp_path, DEBUG="false")
    assert refused.returncode != 0
    assert "SECRET_KEY is the public development default" in refused.stderr
    assert _load_wsgi(tmp_path, DEBUG="false", SECRET_KEY="k" * 50).returncode == 0
    assert _load_wsgi(tmp_path, DEBUG="true").returncode == 0


def test_commands_that_serve_nothing_still_run_on_the_default_key(tmp_path: Path) -> None:
    """`make demo` drains the task queue with `cityexchange worker` without DEBUG: only servers refuse."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    clean |= {"CITYEXCHANGE_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src"), "DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "cityexchange", "check"], env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
