"""Registry benchmark: reference-data load time, city-name search latency over all loaded cities, and the
latency of the home and directory pages. Runs on a fresh SQLite database in a temporary directory (or on
DATABASE_URL when set).

    PYTHONPATH=src .venv/bin/python benchmarks/registry.py [--queries 2000]

The name-search baseline measured in the same run is a plain scan (`icontains` over the `name` column), which is
what a naive implementation would do and which cannot find names in other scripts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cx-bench-")
    os.environ.setdefault("CITYEXCHANGE_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityexchange.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from cityexchange.registry.models import City
    from cityexchange.registry.reference import load_all
    from cityexchange.registry.selectors import search_city_ids

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    load_all()
    first_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = load_all()
    rerun = time.perf_counter() - t0
    assert not report.changed
    # The demo members, so the home and directory pages show real content.
    from cityexchange.registry.demo import load as load_demo

    load_demo(open(os.devnull, "w"))  # noqa: SIM115

    rng = random.Random(args.seed)
    cities = list(City.objects.values_list("name", "alternate_names"))
    queries = []
    for _ in range(args.queries):
        name, alternates = rng.choice(cities)
        pick = rng.choice([name, *alternates]) if alternates else name
        queries.append(pick[: rng.randint(3, max(3, len(pick)))])
    timings, baseline = [], []
    for q in queries:
        t = time.perf_counter()
        search_city_ids(q, limit=20)
        timings.append((time.perf_counter() - t) * 1000)
    for q in queries[:300]:
        t = time.perf_counter()
        list(City.objects.filter(name__icontains=q).order_by("-population").values_list("pk", flat=True)[:20])
        baseline.append((time.perf_counter() - t) * 1000)

    client = Client()
    pages = {}
    for label, url in [("home /en/", "/en/"), ("directory /en/cities/", "/en/cities/"),
                       ("directory search", "/en/cities/?q=%D0%9A%D0%B0%D0%B7&membership=all"),
                       ("API /api/v1/cities?q=", "/api/v1/cities?q=kaz")]:
        client.get(url)
        runs = []
        for _ in range(30):
            t = time.perf_counter()
            response = client.get(url)
            runs.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        pages[label] = runs

    lines = [
        f"Cities loaded: {City.objects.count():,} (database: {django.db.connection.vendor})",
        f"Reference data, first load: {first_load:.1f} s; rerun (no changes): {rerun:.1f} s",
        f"City name search ({len(queries)} prefix queries in any script): median {statistics.median(timings):.2f} ms, "
        f"p95 {pct(timings, 95):.2f} ms, max {max(timings):.2f} ms",
        f"Baseline icontains scan on `name` (300 queries): median {statistics.median(baseline):.2f} ms, "
        f"p95 {pct(baseline, 95):.2f} ms",
    ]
    for label, runs in pages.items():
        lines.append(f"{label}: median {statistics.median(runs):.1f} ms, p95 {pct(runs, 95):.1f} ms (30 requests)")
    print("\n".join(lines))
    Path(tmp, "result.txt").write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
