"""Open data: the register of agreements and the public practices as CSV, JSON and JSON-LD (schema.org), and an
Atom feed of new practices and agreements. Everything here is public; nothing private is ever included.

Types used in JSON-LD (documented in docs/open-data.md):
- a practice is a `HowTo` (a `CreativeWork`): `inLanguage`, `about` (sectors as `DefinedTerm`), `spatialCoverage`
  (a `City` with `geo` → `GeoCoordinates`, `containedInPlace` → `Country`), `creator` (the city's
  `GovernmentOrganization`), `estimatedCost` (`MonetaryAmount`), `yield` (indicators as `QuantitativeValue`),
  `step` (the solution as a `HowToStep`), `creativeWorkStatus` (maturity);
- an agreement is a `CreativeWork` with `genre` (memorandum, twinning, contract), `dateCreated` (signing date),
  `creator` (the cities' governments), `contributor` (the signatories as `Person` with `jobTitle` and
  `affiliation`), `about` (the practice), `spatialCoverage` (the cities), `creativeWorkStatus` (the cooperation's
  stage); the register itself is a `Dataset` each agreement is `isPartOf`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cityexchange.core.csv_export import SafeWriter
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import published_practices
from cityexchange.registry.models import City

from .models import Agreement
from .stages import AGREEMENT_KIND_LABELS, AgreementKind, label

DATASETS = ("agreements", "practices")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "jsonld": "application/ld+json"}
CONTEXT = {"@vocab": "https://schema.org/"}
FEED_SIZE = 50


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _reverse(name: str, **kwargs: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


def city_url(city_id: int) -> str:
    return absolute(_reverse("registry:city", city_id=city_id))


def practice_url(practice_id: int) -> str:
    """The practice's public page (the practices app's detail page, whatever its argument is called)."""
    for kwargs in ({"practice_id": practice_id}, {"pk": practice_id}):
        try:
            return absolute(_reverse("practices:detail", **kwargs))
        except NoReverseMatch:
            continue
    return absolute(f"/{settings.LANGUAGE_CODE}/practices/{practice_id}/")


def agreement_url(agreement: Agreement) -> str:
    return absolute(_reverse("cooperation:detail", pk=agreement.cooperation_id)) + f"#agreement-{agreement.pk}"


def register_url() -> str:
    return absolute(_reverse("cooperation:register"))


# --- Querysets.


def public_practices() -> QuerySet[Practice]:
    return (
        published_practices()
        .select_related("city", "city__country")
        .prefetch_related("sectors", "indicators")
        .order_by("-published_at", "-id")
    )


def public_agreements(qs: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    from .selectors import agreements_public

    return qs if qs is not None else agreements_public()


# --- Plain rows (CSV and JSON share them).


def _cities(agreement: Agreement) -> list[City]:
    return [p.city for p in agreement.cooperation.participants.all()]


def agreement_record(a: Agreement) -> dict[str, Any]:
    coop = a.cooperation
    practice = coop.practice
    cities = _cities(a)
    return {
        "id": a.pk,
        "url": agreement_url(a),
        "title": a.title,
        "kind": a.kind,
        "kind_label": str(AGREEMENT_KIND_LABELS[AgreementKind(a.kind)]),
        "signed_on": a.signed_on.isoformat(),
        "cities": [{"id": c.pk, "name": c.name, "country": c.country_id} for c in cities],
        "signatories": [
            {"city": s.get("city", ""), "name": s.get("name", ""), "role": s.get("role", "")} for s in a.signatories
        ],
        "practice": (
            {
                "id": practice.pk,
                "external_id": practice.external_id,
                "title": practice.title,
                "url": practice_url(practice.pk),
            }
            if practice and practice.status == Practice.Status.PUBLISHED
            else None
        ),
        "challenge": coop.challenge.title if coop.challenge and coop.challenge.is_public else None,
        "cooperation_id": coop.pk,
        "stage": coop.stage,
    }


def practice_record(p: Practice) -> dict[str, Any]:
    return {
        "id": p.pk,
        "external_id": p.external_id,
        "url": practice_url(p.pk),
        "title": p.title,
        "summary": p.summary,
        "language": p.language_id,
        "city": {"id": p.city_id, "name": p.city.name, "country": p.city.country_id},
        "latitude": p.city.latitude,
        "longitude": p.city.longitude,
        "sectors": [s.code for s in p.sectors.all()],
        "maturity": p.maturity,
        "cost_band": p.cost_band,
        "cost_amount": p.cost_amount,
        "currency": p.currency,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "published_at": p.published_at.isoformat() if p.published_at else None,
        "indicators": [
            {"name": i.name, "baseline": i.baseline, "achieved": i.achieved, "unit": i.unit, "year": i.year}
            for i in p.indicators.all()
        ],
    }


AGREEMENT_COLUMNS = [
    "id", "url", "title", "kind", "signed_on", "cities", "countries", "signatories", "practice_id", "practice_title",
    "practice_url", "stage",
]  # fmt: skip
PRACTICE_COLUMNS = [
    "id", "external_id", "url", "title", "summary", "language", "city", "country", "latitude", "longitude", "sectors",
    "maturity", "cost_band", "cost_amount", "currency", "period_start", "period_end", "published_at", "indicators",
]  # fmt: skip


def _agreement_row(r: dict[str, Any]) -> list[Any]:
    p = r["practice"] or {}
    return [
        r["id"], r["url"], r["title"], r["kind"], r["signed_on"],
        "; ".join(c["name"] for c in r["cities"]),
        "; ".join(sorted({c["country"] for c in r["cities"]})),
        "; ".join(f"{s['name']} ({', '.join(x for x in (s['role'], s['city']) if x)})" for s in r["signatories"]),
        p.get("id", ""), p.get("title", ""), p.get("url", ""), r["stage"],
    ]  # fmt: skip


def _practice_row(r: dict[str, Any]) -> list[Any]:
    return [
        r["id"], r["external_id"], r["url"], r["title"], r["summary"], r["language"], r["city"]["name"],
        r["city"]["country"], r["latitude"], r["longitude"], "; ".join(r["sectors"]), r["maturity"], r["cost_band"],
        r["cost_amount"] if r["cost_amount"] is not None else "", r["currency"], r["period_start"] or "",
        r["period_end"] or "", r["published_at"] or "",
        "; ".join(
            f"{i['name']}: {'' if i['baseline'] is None else i['baseline']} → {i['achieved']} {i['unit']}".strip()
            for i in r["indicators"]
        ),
    ]  # fmt: skip


def as_csv(dataset: str, items: Iterable[Any]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    if dataset == "agreements":
        writer.writerow(AGREEMENT_COLUMNS)
        writer.writerows(_agreement_row(agreement_record(a)) for a in items)
    else:
        writer.writerow(PRACTICE_COLUMNS)
        writer.writerows(_practice_row(practice_record(p)) for p in items)
    return out.getvalue()


def as_json(dataset: str, items: Iterable[Any]) -> str:
    records = [agreement_record(x) if dataset == "agreements" else practice_record(x) for x in items]
    doc = {
        "dataset": dataset,
        "generated_at": timezone.now().isoformat(),
        "source": absolute("/"),
        "count": len(records),
        "items": records,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


# --- JSON-LD.


def _place(city: City) -> dict[str, Any]:
    return {
        "@id": city_url(city.pk),
        "@type": "City",
        "name": city.name,
        "geo": {"@type": "GeoCoordinates", "latitude": city.latitude, "longitude": city.longitude},
        "containedInPlace": {"@type": "Country", "name": city.country.name, "identifier": city.country_id},
    }


def _government(city: City) -> dict[str, Any]:
    return {
        "@id": city_url(city.pk) + "#government",
        "@type": "GovernmentOrganization",
        "name": _("City of %(city)s") % {"city": city.name},
        "areaServed": {"@id": city_url(city.pk)},
    }


def practice_node(p: Practice) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": practice_url(p.pk),
        "@type": "HowTo",
        "identifier": p.external_id,
        "url": practice_url(p.pk),
        "name": p.title,
        "description": p.summary,
        "inLanguage": p.language_id,
        "about": [{"@type": "DefinedTerm", "termCode": s.code, "name": s.name} for s in p.sectors.all()],
        "spatialCoverage": _place(p.city),
        "creator": _government(p.city),
        "creativeWorkStatus": p.maturity,
        "step": [{"@type": "HowToStep", "text": p.solution}],
        "yield": [
            {
                "@type": "QuantitativeValue",
                "name": i.name,
                "value": i.achieved,
                "unitText": i.unit,
                **({"valueReference": {"@type": "QuantitativeValue", "name": "baseline", "value": i.baseline}}
                   if i.baseline is not None else {}),
            }
            for i in p.indicators.all()
        ],
    }  # fmt: skip
    if p.published_at:
        node["datePublished"] = p.published_at.date().isoformat()
    if p.cost_amount is not None:
        node["estimatedCost"] = {"@type": "MonetaryAmount", "currency": p.currency, "value": p.cost_amount}
    return node


def agreement_node(a: Agreement) -> dict[str, Any]:
    cities = _cities(a)
    by_name = {c.name: c for c in cities}
    practice = a.cooperation.practice
    node: dict[str, Any] = {
        "@id": agreement_url(a),
        "@type": "CreativeWork",
        "url": agreement_url(a),
        "name": a.title,
        "genre": a.kind,
        "dateCreated": a.signed_on.isoformat(),
        "creativeWorkStatus": a.cooperation.stage,
        "isPartOf": {"@id": register_url()},
        "creator": [_government(c) for c in cities],
        "spatialCoverage": [_place(c) for c in cities],
        "contributor": [
            {
                "@type": "Person",
                "name": s.get("name", ""),
                "jobTitle": s.get("role", ""),
                **(
                    {"affiliation": {"@id": city_url(by_name[s["city"]].pk) + "#government"}}
                    if s.get("city") in by_name
                    else {}
                ),
            }
            for s in a.signatories
        ],
    }
    if practice is not None and practice.status == Practice.Status.PUBLISHED:
        node["about"] = {"@id": practice_url(practice.pk), "@type": "HowTo", "name": practice.title}
    return node


def as_jsonld(dataset: str, items: Iterable[Any]) -> str:
    nodes = [agreement_node(x) if dataset == "agreements" else practice_node(x) for x in items]
    title = _("Register of agreements") if dataset == "agreements" else _("Published practices")
    catalogue = {
        "@id": register_url()
        if dataset == "agreements"
        else absolute(_reverse("cooperation:open_data")) + "#practices",
        "@type": "Dataset",
        "name": title,
        "dateModified": timezone.now().date().isoformat(),
        "url": absolute(_reverse("cooperation:open_data")),
    }
    return json.dumps({"@context": CONTEXT, "@graph": [catalogue, *nodes]}, ensure_ascii=False, indent=1)


def render(dataset: str, fmt: str, items: Iterable[Any]) -> str:
    if fmt == "csv":
        return as_csv(dataset, items)
    if fmt == "json":
        return as_json(dataset, items)
    return as_jsonld(dataset, items)


def items_for(dataset: str, agreements: QuerySet[Agreement] | None = None) -> QuerySet[Any]:
    return public_agreements(agreements) if dataset == "agreements" else public_practices()


# --- Atom.


class TextSummaryFeed(Atom1Feed):
    """Atom with summaries declared as plain text: they are what cities typed, not markup. Django's Atom1Feed
    declares every summary type="html", which would make a feed reader render an officer's <img onerror=…>."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        description = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


def atom_feed() -> str:
    """New practices and new agreements, newest first."""
    feed = TextSummaryFeed(
        title=_("New practices and agreements"),
        link=absolute(_reverse("cooperation:open_data")),
        description=_("Practices published and agreements signed by the member cities."),
        feed_url=absolute(_reverse("cooperation:feed")),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    entries: list[tuple[Any, dict[str, Any]]] = []
    for p in public_practices()[:FEED_SIZE]:
        entries.append(
            (
                p.published_at or p.updated_at,
                {
                    "title": _("New practice: %(title)s (%(city)s)") % {"title": p.title, "city": p.city.name},
                    "link": practice_url(p.pk),
                    "description": p.summary,
                    "unique_id": practice_url(p.pk),
                    "categories": [s.code for s in p.sectors.all()],
                    "author_name": p.city.name,
                },
            )
        )
    for a in public_agreements().order_by("-created_at")[:FEED_SIZE]:
        cities = ", ".join(c.name for c in _cities(a))
        entries.append(
            (
                a.created_at,
                {
                    "title": _("Agreement signed: %(title)s") % {"title": a.title},
                    "link": agreement_url(a),
                    "description": _("%(kind)s signed on %(date)s by %(cities)s.")
                    % {
                        "kind": AGREEMENT_KIND_LABELS[AgreementKind(a.kind)],
                        "date": a.signed_on.isoformat(),
                        "cities": cities,
                    },
                    "unique_id": agreement_url(a),
                    "categories": ["agreement", a.kind],
                    "author_name": cities,
                },
            )
        )
    entries.sort(key=lambda e: e[0], reverse=True)
    for when, item in entries[:FEED_SIZE]:
        feed.add_item(pubdate=when, updateddate=when, **item)
    return feed.writeString("utf-8")


def stage_label(stage: str) -> str:
    return label(stage)
