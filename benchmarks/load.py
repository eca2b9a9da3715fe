"""A bounded mixed load against cityexchange on this machine: N concurrent users for S seconds.

The reproducible figures come from one command, which starts the whole stack itself — a fresh PostgreSQL (the
embedded server with pgvector, its own data directory and port) loaded with `cityexchange init --demo`, its own
Redis, gunicorn with 3 worker processes and one task worker — runs the load, prints the table and stops it all:

    .venv/bin/python benchmarks/load.py --stack --users 50 --seconds 60
    .venv/bin/python benchmarks/load.py --stack --reuse-database --users 100 --seconds 60   # keep the demo data

Against a server that already runs (e.g. `make demo`), localhost only:

    .venv/bin/python benchmarks/load.py --base-url http://127.0.0.1:8000 --users 50 --seconds 60 [--json]

Each user is a thread that sends its next request as soon as the previous one is answered (a closed loop, no
think time unless `--think`): 60 % page reads (home, practice list, practice pages, city pages, in the eight
interface languages), 25 % searches (the search page and the API, queries in eight languages), 15 % writes
(signed-in officers creating and editing draft practices through the API with their personal tokens, obtained by
signing in on the login page). Reported per class: requests, errors (any status >= 400 or no answer; 429 also
counted separately), p50/p95/p99 latency and throughput. All users come from 127.0.0.1, so with `--stack` the
per-address rate limits are off (RATE_LIMITS_ENABLED=false): what is measured is the capacity, not the limiter.

Every run keeps its figures in benchmarks/results/load.json as the part ``users-N`` (a run with as many users
replaces it) and docs/benchmarks-load.md is written from that file; ``--report-only`` rewrites the page alone.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_record

ROOT = Path(__file__).resolve().parents[1]
NAME = "load"
PAGE = run_record.DOCS / "benchmarks-load.md"
# Issue 11: with 50 users (and the same run with 100), 0 errors, page reads p95 <= 500 ms, searches p95 <= 1.5 s.
PAGE_P95_TARGET_MS = 500.0
SEARCH_P95_TARGET_MS = 1500.0
BIN = Path(sys.executable).parent
MAX_USERS = 200
LOCAL = ("127.0.0.1", "localhost")
MAX_SECONDS = 600
PASSWORD = "demo-cities-2026"  # noqa: S105  (the published password of the demo accounts)
OFFICERS = ["kazan", "saopaulo", "shanghai", "pune", "capetown", "dubai", "curitiba", "lagos"]
LANGS = ["en", "ru", "pt-br", "zh-hans", "hi", "ar", "fa", "id"]
QUERIES = [
    "dedicated bus lanes",
    "flood early warning system",
    "digital public services in one app",
    "street lighting energy savings",
    "выделенные полосы для автобусов",
    "раздельный сбор мусора",
    "цифровые государственные услуги",
    "corredores de ônibus",
    "hortas comunitárias",
    "drenagem urbana contra enchentes",
    "垃圾分类回收",
    "公交专用道",
    "智慧城市数据平台",
    "जल आपूर्ति प्रबंधन",
    "कचरा प्रबंधन",
    "النقل العام في المدينة",
    "إدارة المياه",
    "مدیریت پسماند شهری",
    "pengelolaan sampah",
    "transportasi umum",
]
WEIGHTS = {"page": 60, "search": 25, "write": 15}
REDIS_OPTIONS = ["--save", "", "--appendonly", "no"]  # a cache: nothing to persist


# --- the client ------------------------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(
    url: str, *, method: str = "GET", body: Any = None, token: str = "", timeout: float = 60
) -> tuple[int, bytes]:
    """(status, body); status 0 when there was no answer."""
    headers = {"Accept-Language": "en"}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310  (http, checked)
    try:
        with OPENER.open(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, TimeoutError):
        return 0, b""


def officer_token(base: str, slug: str) -> tuple[str, int]:
    """Sign in on the login page as the demo officer of `slug`, create a personal API token: (token, city id)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/en/accounts/login/", timeout=60) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise RuntimeError("no CSRF token on the login page")
    form = {"csrfmiddlewaretoken": match[1], "username": f"officer.{slug}@demo.cityexchange.org", "password": PASSWORD}
    login = urllib.request.Request(  # noqa: S310  (http, checked in main)
        f"{base}/en/accounts/login/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": base + "/"}
    )
    opener.open(login, timeout=60).read()
    csrf = next((c.value or "" for c in jar if c.name == "csrftoken"), "")
    req = urllib.request.Request(  # noqa: S310  (http, checked in main)
        f"{base}/api/v1/accounts/tokens",
        data=json.dumps({"name": "load benchmark"}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": base + "/"},
    )
    with opener.open(req, timeout=60) as response:
        token = json.loads(response.read())["token"]
    status, body = request(f"{base}/api/v1/accounts/me", token=token)
    roles = json.loads(body)["roles"] if status == 200 else []
    if not roles:
        raise RuntimeError(f"officer.{slug} has no city")
    return token, int(roles[0]["city_id"])


@dataclass
class Target:
    base: str
    practices: list[int]
    cities: list[int]
    officers: list[tuple[str, int]]


def discover(base: str) -> Target:
    status, body = request(f"{base}/api/v1/practices/?page_size=200")
    if status != 200:
        raise RuntimeError(f"{base}/api/v1/practices/ answered {status}")
    rows = json.loads(body)["results"]
    officers = []
    for slug in OFFICERS:
        try:
            officers.append(officer_token(base, slug))
        except (OSError, RuntimeError, KeyError, ValueError) as error:
            print(f"officer.{slug}: {error}", file=sys.stderr)
    if not officers:
        raise RuntimeError("no officer could sign in (is the demo content loaded?)")
    return Target(base, [r["id"] for r in rows], sorted({r["city_id"] for r in rows}), officers)


def draft(rng: random.Random, city_id: int | None, n: int) -> dict[str, Any]:
    words = rng.sample(["bus", "water", "waste", "school", "clinic", "park", "data", "housing", "energy"], 3)
    doc: dict[str, Any] = {
        "language": "en",
        "title": f"Load test draft {n}: {' '.join(words)}",
        "summary": f"A draft about {', '.join(words)} written during the load benchmark ({n}).",
        "problem": "Residents waited too long. " * rng.randint(5, 40),
        "solution": "A shared service desk and open data. " * rng.randint(5, 40),
        "maturity": rng.choice(["idea", "pilot", "operational"]),
        "cost_band": rng.choice(["under-100k", "100k-1m"]),
        "sectors": ["urban-management"],
        "sdgs": [11],
    }
    if city_id is not None:
        doc["city_id"] = city_id
    return doc


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int


@dataclass
class User:
    n: int
    target: Target
    rng: random.Random
    drafts: list[int] = field(default_factory=list)
    writes: int = 0

    def page(self) -> tuple[str, str, dict[str, Any] | None, str]:
        lang = self.rng.choice(LANGS)
        what = self.rng.randrange(4)
        if what == 0 or not self.target.practices:
            return "GET", f"/{lang}/", None, ""
        if what == 1:
            return "GET", f"/{lang}/practices/?page={self.rng.randint(1, 3)}", None, ""
        if what == 2:
            return "GET", f"/{lang}/practices/{self.rng.choice(self.target.practices)}/", None, ""
        return "GET", f"/{lang}/cities/{self.rng.choice(self.target.cities)}/", None, ""

    def search(self) -> tuple[str, str, dict[str, Any] | None, str]:
        q = urllib.parse.quote(self.rng.choice(QUERIES))
        if self.rng.random() < 0.5:
            return "GET", f"/api/v1/matching/search?q={q}", None, ""
        return "GET", f"/{self.rng.choice(LANGS)}/matching/?q={q}", None, ""

    def write(self) -> tuple[str, str, dict[str, Any] | None, str]:
        token, city_id = self.target.officers[self.n % len(self.target.officers)]
        self.writes += 1
        if self.drafts and self.rng.random() < 0.6:
            return "PUT", f"/api/v1/practices/{self.rng.choice(self.drafts)}", draft(self.rng, None, self.writes), token
        return "POST", "/api/v1/practices/", draft(self.rng, city_id, self.writes), token

    def run(self, until: float, think: float, samples: list[Sample], lock: threading.Lock) -> None:
        kinds = list(WEIGHTS)
        weights = [WEIGHTS[k] for k in kinds]
        while time.monotonic() < until:
            kind = self.rng.choices(kinds, weights)[0]
            method, path, body, token = getattr(self, kind)()
            start = time.monotonic()
            status, answer = request(self.target.base + path, method=method, body=body, token=token)
            took = time.monotonic() - start
            if kind == "write" and method == "POST" and status == 201:
                self.drafts.append(int(json.loads(answer)["id"]))
            with lock:
                samples.append(Sample(kind, took, status))
            if think:
                time.sleep(self.rng.uniform(0, 2 * think))


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def summarise(samples: list[Sample], elapsed: float) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for kind in [*WEIGHTS, "all"]:
        chosen = [s for s in samples if kind in ("all", s.kind)]
        times = sorted(s.seconds for s in chosen)
        out[kind] = {
            "requests": len(chosen),
            "errors": sum(1 for s in chosen if s.status == 0 or s.status >= 400),
            "limited": sum(1 for s in chosen if s.status == 429),
            "p50_ms": round(percentile(times, 50) * 1000, 1),
            "p95_ms": round(percentile(times, 95) * 1000, 1),
            "p99_ms": round(percentile(times, 99) * 1000, 1),
            "per_second": round(len(chosen) / elapsed, 2) if elapsed else 0.0,
            "statuses": {str(k): sum(1 for s in chosen if s.status == k) for k in sorted({s.status for s in chosen})},
        }
    return out


def warm_up(target: Target) -> None:
    """Each gunicorn worker loads the model and its templates on its first requests; not part of the figures."""
    user = User(-1, target, random.Random(0))
    for _ in range(6):
        for kind in ("page", "search"):
            method, path, body, token = getattr(user, kind)()
            request(target.base + path, method=method, body=body, token=token)


def run_load(target: Target, users: int, seconds: float, think: float, seed: int) -> dict[str, Any]:
    samples: list[Sample] = []
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=User(n, target, random.Random(seed + n)).run, args=(until, think, samples, lock), daemon=True
        )
        for n in range(users)
    ]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)  # a request in flight at the deadline may finish (timeout 60 s)
    elapsed = time.monotonic() - start
    return {"elapsed_s": round(elapsed, 1), "classes": summarise(list(samples), elapsed)}


# --- the stack (--stack) ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stack:
    """Embedded PostgreSQL + Redis + gunicorn (3 workers) + one task worker, under `workdir`."""

    def __init__(self, workdir: Path, pg_port: int, reuse: bool) -> None:
        self.workdir = workdir
        self.pg_port = pg_port
        self.reuse = reuse
        self.procs: list[subprocess.Popen[bytes]] = []
        self.timings: dict[str, float] = {}
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db_url = f"postgres://postgres@127.0.0.1:{pg_port}/cx_load"
        self.env = {
            **os.environ,
            "CITYEXCHANGE_VAR_DIR": str(workdir),
            "EMBEDDED_PG_DATA": str(workdir / "pg"),
            "EMBEDDED_PG_PORT": str(pg_port),
            "DATABASE_URL": self.db_url,
            "TASKS_BACKEND": "database",
            "RATE_LIMITS_ENABLED": "false",
            "DEBUG": "false",
            "SECRET_KEY": "load-benchmark-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "ERROR",
            # The processes run the code of the checkout this script belongs to (e.g. a `git worktree` of the
            # commit being measured), whatever the virtualenv was installed from.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        }

    def _log(self, name: str) -> Any:
        return (self.workdir / f"{name}.log").open("ab")

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(args, cwd=self.workdir, env=self.env, stdout=self._log(name), stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def _cx(self, *args: str) -> None:
        with self._log(args[0]) as log:
            subprocess.run(
                [str(BIN / "cityexchange"), *args], cwd=self.workdir, env=self.env, check=True, stdout=log, stderr=log
            )

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        pg = [sys.executable, "-W", "ignore", "-m", "cityexchange.core.embedded_pg"]
        subprocess.run([*pg, "start"], env=self.env, check=True, stdout=subprocess.DEVNULL)
        redis = shutil.which("redis-server")
        if redis is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        redis_port = _free_port()
        self._spawn("redis", [redis, "--bind", "127.0.0.1", "--port", str(redis_port), *REDIS_OPTIONS])
        self.env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        fresh = self._prepare_database()
        if fresh:
            start = time.monotonic()
            self._cx("init", "--demo")
            self.timings["init_demo_s"] = round(time.monotonic() - start, 1)
            start = time.monotonic()
            self._cx("worker", "--batch", "--queue-name", "*", "-v", "0")  # what the demo queued, as `make demo`
            self.timings["drain_queue_s"] = round(time.monotonic() - start, 1)
        else:
            self._cx("migrate", "-v", "0")  # the demo data of an earlier commit, brought up to this one
        gunicorn = [str(BIN / "gunicorn"), "-w", "3", "-b", f"127.0.0.1:{self.port}", "cityexchange.wsgi:application"]
        self._spawn("gunicorn", gunicorn)
        self._spawn("worker", [str(BIN / "cityexchange"), "worker", "--queue-name", "*", "-v", "0"])
        deadline = time.monotonic() + 120
        while request(self.base + "/api/v1/figures", timeout=5)[0] != 200:
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.procs):
                raise RuntimeError(f"the stack did not start; see {self.workdir}/*.log")
            time.sleep(0.5)

    def _prepare_database(self) -> bool:
        """Create the benchmark database (dropped first unless reused); True when it is new."""
        import psycopg

        admin = self.db_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'cx_load'").fetchone() is not None
            if exists and self.reuse:
                return False
            if exists:
                conn.execute("DROP DATABASE cx_load WITH (FORCE)")
            conn.execute("CREATE DATABASE cx_load")
        return True

    def queue(self) -> dict[str, int]:
        import psycopg

        with psycopg.connect(self.db_url) as conn:
            rows = conn.execute(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
            ).fetchall()
        return {str(status): int(n) for status, n in rows}

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        subprocess.run(
            [sys.executable, "-W", "ignore", "-m", "cityexchange.core.embedded_pg", "stop"], env=self.env, check=False
        )


# --- report ----------------------------------------------------------------------------------------------------


def commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['users']} users, {result['seconds']:.0f} s, {result['base_url']}, commit {result['commit']}, "
        f"{result['date']}; load average before {result['load_average_before']}, after {result['load_average_after']}"
        f" ({result['cpus']} CPUs)",
        "",
        "| class | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = {"page": "page reads", "search": "searches", "write": "writes", "all": "all"}
    for kind, row in result["classes"].items():
        errors = f"{row['errors']}" + (f" ({row['limited']} × 429)" if row["limited"] else "")
        lines.append(
            f"| {names[kind]} | {row['requests']} | {errors} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} "
            f"| {row['p99_ms']:.0f} | {row['per_second']:.1f} |"
        )
    for key in ("init_demo_s", "drain_queue_s"):
        if key in result:
            lines.append(f"\n{key}: {result[key]}")
    if "queue_after" in result:
        lines.append(f"\ntask queue after the run: {result['queue_after']}")
    return "\n".join(lines)


CLASS_NAMES = {"page": "page reads", "search": "searches", "write": "writes", "all": "all"}


def cell(row: dict[str, Any], key: str, spec: str) -> str:
    value = row.get(key)
    return "—" if value is None else format(value, spec)


def class_table(classes: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| class | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, row in classes.items():
        errors = cell(row, "errors", "d") + (f" ({row['limited']} × 429)" if row.get("limited") else "")
        lines.append(
            f"| {CLASS_NAMES[kind]} | {cell(row, 'requests', ',')} | {errors} | {cell(row, 'p50_ms', ',.0f')} | "
            f"{cell(row, 'p95_ms', ',.0f')} | {cell(row, 'p99_ms', ',.0f')} | {cell(row, 'per_second', '.1f')} |"
        )
    return lines


def targets(f: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, figure, met — None when the run did not record the figure) for one run."""
    c = f["classes"]
    errors = c["all"].get("errors")
    out: list[tuple[str, str, bool | None]] = [
        ("0 errors", "—" if errors is None else f"{errors} of {c['all']['requests']:,}",
         None if errors is None else errors == 0),
    ]
    for kind, target in (("page", PAGE_P95_TARGET_MS), ("search", SEARCH_P95_TARGET_MS)):
        p95 = c.get(kind, {}).get("p95_ms")
        out.append((f"{CLASS_NAMES[kind]} p95 ≤ {target:,.0f} ms", "—" if p95 is None else f"{p95:,.0f} ms",
                    None if p95 is None else p95 <= target))
    return out


def run_section(title: str, f: dict[str, Any], level: str = "###") -> list[str]:
    lines = [f"{level} {title}", "", *class_table(f["classes"]), ""]
    total, page = f["classes"]["all"], f["classes"].get("page", {})
    p50, which = (total.get("p50_ms"), "all requests") if total.get("p50_ms") else (page.get("p50_ms"), "page reads")
    if total.get("per_second") and p50 and f["users"] > 1:
        lines += [
            f"In a closed loop the latency is about the number of users over the throughput: {f['users']} / "
            f"{total['per_second']:.1f} requests/s = {f['users'] / total['per_second']:.2f} s; measured p50 of "
            f"{which} {p50 / 1000:.2f} s.",
            "",
        ]
    for key, label in (("init_demo_s", "`cityexchange init --demo` on the fresh database"),
                       ("drain_queue_s", "draining the tasks it queued")):
        if key in f:
            lines.append(f"- {label}: {f[key]:.1f} s")
    if "queue_after" in f:
        lines.append(f"- task queue after the run: {', '.join(f'{n} {k}' for k, n in f['queue_after'].items())}")
    lines += [f"- {note}" for note in f.get("notes", [])]
    if lines[-1] != "":
        lines.append("")
    return lines


def users(f: dict[str, Any]) -> str:
    return f"{f['users']} user{'s' if f['users'] != 1 else ''}"


def report(data: dict[str, Any]) -> str:
    parts = data["parts"]
    order = sorted(parts, key=lambda p: int(p.split("-")[1]))
    lines = run_record.head("The whole platform under load", "load.py", NAME,
                            [(users(parts[p]["figures"]), parts[p]["run"]) for p in order])
    lines += [
        "The whole platform under a mixed load, on this machine: gunicorn with 3 worker processes, PostgreSQL (the",
        "embedded server with pgvector), Redis and one task worker, on fresh demo data. One command starts the",
        f"stack, loads the data, runs the load and stops everything (bounded: at most {MAX_USERS} users and "
        f"{MAX_SECONDS} s, against 127.0.0.1 only):",
        "",
        "```sh",
        "# a fresh database: init --demo first",
        ".venv/bin/python benchmarks/load.py --stack --users 50 --seconds 60",
        "# the same data again",
        ".venv/bin/python benchmarks/load.py --stack --reuse-database --users 100 --seconds 60",
        "# a server already running",
        ".venv/bin/python benchmarks/load.py --base-url http://127.0.0.1:8000 --users 50 --json",
        "```",
        "",
        "Each user is a thread that sends its next request as soon as the previous one is answered (closed loop, no",
        f"think time): {WEIGHTS['page']} % page reads (home, practice list, practice pages, city pages, in the "
        f"{len(LANGS)} interface languages), {WEIGHTS['search']} % searches (the search page and the API; queries in "
        f"English, Russian, Portuguese, Chinese, Hindi, Arabic, Persian and Indonesian), {WEIGHTS['write']} % writes "
        f"({len(OFFICERS)} demo officers, signed in on the login page, create and edit draft practices through the "
        "API with their personal tokens). An error is any status >= 400 or no answer within 60 s. All users come "
        "from 127.0.0.1, so the stack runs with `RATE_LIMITS_ENABLED=false`: one address would otherwise be "
        "limited as one visitor. The processes run the code of the checkout the script is in; to measure a commit "
        "while the tree is being edited: `git worktree add --detach /tmp/cx HEAD`, `compilemessages` there, and run "
        "the script from it. The load average is that of the whole machine: at 2 CPUs, anything above 2 means the "
        "stack got only part of them.",
        "",
        "## Targets (issue 11)",
        "",
        "| users | target | figure | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for p in order:
        f = parts[p]["figures"]
        for target, figure, ok in targets(f):
            lines.append(f"| {f['users']} | {target} | {figure} | "
                         f"{'not recorded' if ok is None else run_record.verdict(ok)} |")
    lines += ["", "## Runs", ""]
    for p in order:
        f = parts[p]["figures"]
        lines += run_section(users(f) + f", {f['seconds']:.0f} s", f)
    history = data.get("history", [])
    if history:
        lines += ["## History (earlier runs, kept for comparison; not the current figures)", ""]
        for h in history:
            f = h["figures"]
            lines += [f"{h['about']} {run_record.run_line(h['run'])}", ""]
            if "classes" in f:
                lines += run_section(users(f) + f", {f['seconds']:.0f} s", f, "####")
            else:
                lines += [f"- {note}" for note in f.get("notes", [])] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--stack", action="store_true", help="start PostgreSQL, Redis, gunicorn and a worker")
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "load", help="with --stack")
    parser.add_argument("--pg-port", type=int, default=54339, help="with --stack")
    parser.add_argument("--reuse-database", action="store_true", help="with --stack: keep the loaded demo data")
    parser.add_argument("--report-only", action="store_true", help="rewrite the page from the stored figures")
    args = parser.parse_args(argv)
    if args.report_only:
        run_record.write_page(PAGE, report(run_record.read(NAME)))
        return 0
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--users must be 1–{MAX_USERS} and --seconds 1–{MAX_SECONDS}")
    stack = Stack(args.workdir.resolve(), args.pg_port, args.reuse_database) if args.stack else None
    base = stack.base if stack else args.base_url.rstrip("/")
    if urllib.parse.urlsplit(base).scheme != "http" or urllib.parse.urlsplit(base).hostname not in LOCAL:
        parser.error("the load runs against this machine only (127.0.0.1 or localhost)")
    result: dict[str, Any] = {
        "commit": commit(),
        "users": args.users,
        "seconds": args.seconds,
        "base_url": base,
        "cpus": os.cpu_count(),
    }
    try:
        if stack:
            stack.start()
            result.update(stack.timings)
        target = discover(base)
        warm_up(target)
        # The machine's load average before and after: other processes on these cores change every figure.
        run = run_record.start("load.py", argv, pythonpath=False)
        result["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        result["load_average_before"] = round(os.getloadavg()[0], 2)
        result.update(run_load(target, args.users, args.seconds, args.think, args.seed))
        result["load_average_after"] = round(os.getloadavg()[0], 2)
        run = run_record.finish(run)
        if stack:
            result["queue_after"] = stack.queue()
    finally:
        if stack:
            stack.stop()
    print(json.dumps(result, indent=2) if args.json else table(result))
    figures = {k: v for k, v in result.items() if k not in ("commit", "date", "load_average_before",
                                                             "load_average_after", "cpus")}
    run_record.store(NAME, f"users-{args.users}", run, figures)
    run_record.write_page(PAGE, report(run_record.read(NAME)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
