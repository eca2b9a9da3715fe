"""Insights benchmark: server time of the dashboard, the map and the network page, with the demo data and at
scale (10,000 member cities, 100,000 practices, synthetic rows), cold (first request after a change of data: the
figures are recomputed) and warm (figures cached by data version). Runs on a fresh SQLite database in a temporary
directory (or on DATABASE_URL when set — use a throw-away database: it writes rows).

    PYTHONPATH=src .venv/bin/python benchmarks/insights.py [--cities 10000] [--practices 100000] [--requests 20]
        [--skip-report]

"Server time" is the time Django's test client takes for the whole request (middleware, views, templates), which
is what a server spends before the first byte; the network is not part of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEMO_COUNTRIES = "RU,BR,CN,IN,ZA,EG,ET,IR,AE,ID,BY,KZ,UZ,MY,TH,VN,NG,UG,BO,CU"
PAGES = [
    ("dashboard /en/insights/", "/en/insights/"),
    ("map /en/insights/map/", "/en/insights/map/"),
    ("map zoomed /en/insights/map/?country=IN", "/en/insights/map/?country=IN"),
    ("network /en/insights/network/", "/en/insights/network/"),
    ("API figure practices-by-sector", "/api/v1/insights/figures/practices-by-sector"),
]


ENGINE_CALLS: list[int] = []


def counting_engine(user: Any, challenge: Any, k: int = 10) -> list[Any]:
    """Stands in for the matching engine (its own speed is benchmarked apart): counts calls, recommends nothing."""
    ENGINE_CALLS.append(challenge.pk)
    return []


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def measure(client: Any, url: str, n: int, *, cold: bool) -> list[float]:
    from django.core.cache import cache

    runs = []
    for _ in range(n):
        if cold:
            cache.clear()
        t = time.perf_counter()
        response = client.get(url)
        runs.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return runs


def run_pages(label: str, requests: int) -> list[str]:
    from django.core.cache import cache
    from django.test import Client

    from cityexchange.insights.selectors import VERSION_MEMO_SECONDS, _database_version, data_version

    client = Client()
    engine_before = len(ENGINE_CALLS)
    lines = [
        f"### {label}",
        "",
        "| page | cold median | cold p95 | warm median | warm p95 | HTML size |",
        "|---|---|---|---|---|---|",
    ]
    for name, url in PAGES:
        cold = measure(client, url, max(3, requests // 4), cold=True)
        cache.clear()
        client.get(url)
        warm = measure(client, url, requests, cold=False)
        size = len(client.get(url).content)
        lines.append(
            f"| {name} | {statistics.median(cold):.0f} ms | {pct(cold, 95):.0f} ms | "
            f"{statistics.median(warm):.0f} ms | {pct(warm, 95):.0f} ms | {size / 1024:.0f} KiB |"
        )
    versions, fresh = [], []
    for _ in range(20):
        t = time.perf_counter()
        data_version()
        versions.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        _database_version()
        fresh.append((time.perf_counter() - t) * 1000)
    lines.append("")
    lines.append(
        f"Data version per request (counter + memoised aggregates): median {statistics.median(versions):.2f} ms; "
        f"the database aggregates when the memo expires (every {VERSION_MEMO_SECONDS:g} s): median "
        f"{statistics.median(fresh):.1f} ms."
    )
    lines.append(f"Matching-engine calls made by these page requests: {len(ENGINE_CALLS) - engine_before}.")
    return lines


def load_demo() -> None:
    from django.core.management import call_command

    from cityexchange.accounts.models import User
    from cityexchange.challenges.importer import challenges_import
    from cityexchange.challenges.importer import parse_file as parse_challenges
    from cityexchange.practices.importer import parse_file as parse_practices
    from cityexchange.practices.importer import practices_import
    from cityexchange.practices.signals import practice_changed
    from cityexchange.registry.demo import load as load_registry

    call_command("load_reference", countries=DEMO_COUNTRIES, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    load_registry(open(os.devnull, "w"))  # noqa: SIM115
    # The search index is not under test here: keep the embedding model out of the way.
    practice_changed.receivers = []
    secretariat = User.objects.filter(is_secretariat=True).first()
    data = Path(__file__).resolve().parent.parent / "src" / "cityexchange"
    practices_import(
        actor=secretariat, rows=parse_practices((data / "practices/data/demo_practices.json").read_text(), "json")
    )
    challenges_import(
        actor=secretariat, rows=parse_challenges((data / "challenges/data/demo_challenges.json").read_text(), "json")
    )


def load_synthetic(cities: int, practices: int, seed: int) -> dict[str, int]:
    """Member cities around real ones (jittered), practices, challenges and cooperations, with bulk_create."""
    from django.db import transaction
    from django.utils import timezone

    from cityexchange.challenges.models import Challenge
    from cityexchange.practices.models import Practice
    from cityexchange.registry.models import City, Language, Membership, Sector

    rng = random.Random(seed)
    real = list(City.objects.values_list("country_id", "latitude", "longitude")[:5000])
    sectors = list(Sector.objects.values_list("pk", flat=True))
    languages = [
        c for c in ("ru", "pt", "zh", "hi", "ar", "fa", "id", "en") if Language.objects.filter(code=c).exists()
    ]
    now = timezone.now()
    with transaction.atomic():
        base = 50_000_000
        new = []
        for i in range(cities):
            country, lat, lon = rng.choice(real)
            new.append(
                City(
                    geonames_id=base + i,
                    name=f"Synthetic {i}",
                    country_id=country,
                    population=int(rng.lognormvariate(12.5, 1.0)),
                    latitude=max(-60, min(80, lat + rng.uniform(-1.5, 1.5))),
                    longitude=max(-179, min(179, lon + rng.uniform(-1.5, 1.5))),
                )
            )
        City.objects.bulk_create(new, batch_size=2000)
        ids = list(City.objects.filter(geonames_id__gte=base).values_list("pk", flat=True))
        statuses = ["active"] * 90 + ["suspended"] * 5 + ["ended"] * 5
        Membership.objects.bulk_create(
            [
                Membership(
                    city_id=pk,
                    status=(s := rng.choice(statuses)),
                    since=dt.date(rng.randint(2024, 2025), rng.randint(1, 12), 1),
                    ended_on=dt.date(2026, 1, 1) if s == "ended" else None,
                )
                for pk in ids
            ],
            batch_size=2000,
        )
        maturities = [m for m, _ in Practice.Maturity.choices]
        practice_status = ["published"] * 8 + ["draft", "submitted"]
        batch = []
        for i in range(practices):
            status = rng.choice(practice_status)
            batch.append(
                Practice(
                    external_id=f"syn-{i}",
                    city_id=rng.choice(ids),
                    language_id=rng.choice(languages),
                    title=f"Synthetic practice {i}",
                    summary="s",
                    problem="p",
                    solution="s",
                    cost_band="under-100k",
                    maturity=rng.choice(maturities),
                    status=status,
                    published_at=now if status == "published" else None,
                )
            )
        Practice.objects.bulk_create(batch, batch_size=5000)
        through = Practice.sectors.through
        pids = list(Practice.objects.filter(external_id__startswith="syn-").values_list("pk", flat=True))
        through.objects.bulk_create(
            [through(practice_id=p, sector_id=s) for p in pids for s in rng.sample(sectors, rng.randint(1, 2))],
            batch_size=10000,
        )
        challenges = [
            Challenge(
                external_id=f"syn-c-{i}",
                city_id=rng.choice(ids),
                language_id=rng.choice(languages),
                title=f"Synthetic challenge {i}",
                description="d",
                status=rng.choice(["open", "open", "in_progress", "solved"]),
                is_public=rng.random() < 0.7,
            )
            for i in range(practices // 5)
        ]
        Challenge.objects.bulk_create(challenges, batch_size=5000)
        cids = list(Challenge.objects.filter(external_id__startswith="syn-c-").values_list("pk", flat=True))
        cthrough = Challenge.sectors.through
        cthrough.objects.bulk_create(
            [cthrough(challenge_id=c, sector_id=rng.choice(sectors)) for c in cids], batch_size=10000
        )
        coops = _synthetic_cooperations(rng, ids, cities // 5)
    return {"cities": len(ids), "practices": len(pids), "challenges": len(cids), "cooperations": coops}


def _synthetic_cooperations(rng: random.Random, ids: list[int], n: int) -> int:
    try:
        from cityexchange.cooperation.models import Agreement, Cooperation, Participant, StageEvent
    except ImportError:
        return 0
    from django.utils import timezone

    stages = ["interest", "contact", "study_visit", "agreement", "pilot", "adoption", "evaluated", "closed"]
    now = timezone.now()
    Cooperation.objects.bulk_create(
        [Cooperation(title=f"syn-coop-{i}", stage=rng.choice(stages), last_activity_at=now) for i in range(n)],
        batch_size=2000,
    )
    coops = list(Cooperation.objects.filter(title__startswith="syn-coop-").values_list("pk", "stage"))
    Participant.objects.bulk_create(
        [Participant(cooperation_id=c, city_id=city) for c, _s in coops for city in rng.sample(ids, 2)],
        batch_size=5000,
    )
    agreed = [(c, s) for c, s in coops if s in ("agreement", "pilot", "adoption", "evaluated")]
    StageEvent.objects.bulk_create(
        [
            StageEvent(cooperation_id=c, from_stage="contact", to_stage="agreement", occurred_on=dt.date(2026, 1, 5))
            for c, _s in agreed
        ],
        batch_size=5000,
    )
    events = dict(
        StageEvent.objects.filter(cooperation_id__in=[c for c, _s in agreed]).values_list("cooperation_id", "pk")
    )
    Agreement.objects.bulk_create(
        [
            Agreement(
                cooperation_id=c, event_id=events[c], kind="memorandum", title=f"syn-{c}", signed_on=dt.date(2026, 1, 5)
            )
            for c, _s in agreed
        ],
        batch_size=5000,
    )
    return len(coops)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=10_000)
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-report", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cx-bench-insights-")
    os.environ.setdefault("CITYEXCHANGE_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityexchange.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from cityexchange.insights import selectors

    # The engine's own speed is benchmarked apart; this one counts calls, so the run shows that no page calls it.
    selectors.recommender = lambda: counting_engine
    call_command("migrate", verbosity=0)
    lines = [
        f"Database: {django.db.connection.vendor}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}",
        "",
    ]
    t0 = time.perf_counter()
    load_demo()
    lines.append(f"Demo data loaded in {time.perf_counter() - t0:.0f} s.")
    lines.append("")
    lines += run_pages("Demo data (26 member cities, the demo practices and challenges)", args.requests)
    t0 = time.perf_counter()
    counts = load_synthetic(args.cities, args.practices, args.seed)
    lines.append("")
    lines.append(f"Synthetic rows added in {time.perf_counter() - t0:.0f} s: {json.dumps(counts)}")
    lines.append("")
    from cityexchange.insights import tasks

    t0 = time.perf_counter()
    tasks.refresh_suggestions.call()  # what a worker does after the change (bulk_create sends no signal)
    lines.append(f"Background task refresh_suggestions at scale: {time.perf_counter() - t0:.1f} s.")
    lines.append("")
    lines += run_pages(
        f"At scale ({args.cities:,} more member cities, {args.practices:,} more practices)", args.requests
    )
    if args.skip_report:
        lines.append(f"Load average at the end: {os.getloadavg()[0]:.1f}")
        text = "\n".join(lines)
        print(text)
        Path(tmp, "result.md").write_text(text)
        return
    t0 = time.perf_counter()
    from cityexchange.insights import report

    report.build_report(dt.date.today().year, "pdf")
    lines.append("")
    lines.append(f"Annual report PDF at scale: {time.perf_counter() - t0:.1f} s.")
    text = "\n".join(lines)
    print(text)
    Path(tmp, "result.md").write_text(text)


if __name__ == "__main__":
    sys.exit(main())
