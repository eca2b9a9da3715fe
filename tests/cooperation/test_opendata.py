"""The open-data documents parse: CSV and JSON, JSON-LD through a JSON-LD processor (pyld), Atom through
feedparser; and they hold exactly the public content."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from pyld import jsonld

from cityexchange.practices.models import Practice
from tests.cooperation.factories import published_practice, walk

pytestmark = pytest.mark.django_db
SCHEMA = "https://schema.org/"


@pytest.fixture
def agreed(cooperation, kazan_officer):
    return walk(cooperation, kazan_officer, "agreement")


def _expand(body: bytes) -> list[dict]:
    # The context is inline (@vocab), so expansion needs no network.
    return jsonld.expand(json.loads(body))


def _of_type(nodes, t):
    return [n for n in nodes if SCHEMA + t in n.get("@type", [])]


@pytest.mark.parametrize("prefix", ["/en/cooperation/open-data", "/api/v1/cooperation/open-data"])
def test_agreements_jsonld_uses_schema_org(client, agreed, prefix, practice):
    r = client.get(f"{prefix}/agreements.jsonld")
    assert r.status_code == 200 and r["Content-Type"] == "application/ld+json"
    nodes = _expand(r.content)
    (dataset,) = _of_type(nodes, "Dataset")
    (work,) = _of_type(nodes, "CreativeWork")
    assert work[SCHEMA + "genre"][0]["@value"] == "memorandum"
    assert work[SCHEMA + "dateCreated"][0]["@value"] == agreed.agreement.signed_on.isoformat()
    assert work[SCHEMA + "isPartOf"][0]["@id"] == dataset["@id"]
    creators = work[SCHEMA + "creator"]
    assert {c[SCHEMA + "name"][0]["@value"] for c in creators} == {"City of Kazan", "City of São Paulo"}
    assert all(SCHEMA + "GovernmentOrganization" in c["@type"] for c in creators)
    places = work[SCHEMA + "spatialCoverage"]
    assert all(SCHEMA + "City" in p["@type"] and SCHEMA + "geo" in p for p in places)
    people = work[SCHEMA + "contributor"]
    assert len(people) == 2 and all(SCHEMA + "Person" in p["@type"] for p in people)
    assert work[SCHEMA + "about"][0][SCHEMA + "name"][0]["@value"] == practice.title


def test_practices_jsonld_is_a_howto_with_place_and_language(client, practice, kazan):
    nodes = _expand(client.get("/en/cooperation/open-data/practices.jsonld").content)
    (howto,) = _of_type(nodes, "HowTo")
    assert howto[SCHEMA + "inLanguage"][0]["@value"] == "en"
    place = howto[SCHEMA + "spatialCoverage"][0]
    assert SCHEMA + "City" in place["@type"]
    geo = place[SCHEMA + "geo"][0]
    assert geo[SCHEMA + "latitude"][0]["@value"] == practice.city.latitude
    assert SCHEMA + "Country" in place[SCHEMA + "containedInPlace"][0]["@type"]
    assert {y[SCHEMA + "name"][0]["@value"] for y in howto[SCHEMA + "yield"]} == {"Bus speed", "Riders"}
    assert howto[SCHEMA + "about"][0][SCHEMA + "termCode"][0]["@value"] == "transportation"


def test_only_published_practices_are_exported(client, practice, sao_paulo):
    draft = published_practice(sao_paulo, title="Secret draft")
    Practice.objects.filter(pk=draft.pk).update(status="draft")
    for fmt in ("csv", "json", "jsonld"):
        body = client.get(f"/en/cooperation/open-data/practices.{fmt}").content.decode()
        assert "Exclusive bus lanes" in body and "Secret draft" not in body


def test_register_csv_and_json_content(client, agreed, kazan, sao_paulo):
    rows = list(csv.DictReader(io.StringIO(client.get("/en/cooperation/open-data/agreements.csv").content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["kind"] == "memorandum" and set(row["cities"].split("; ")) == {"Kazan", "São Paulo"}
    assert set(row["countries"].split("; ")) == {"BR", "RU"} and row["practice_title"] == "Exclusive bus lanes"
    assert "Mayor" in row["signatories"] and "secret" not in json.dumps(row)
    body = client.get("/api/v1/cooperation/open-data/agreements.json").json()
    assert body["count"] == 1 and body["items"][0]["signed_on"] == row["signed_on"]
    # Filters apply to the downloads too.
    assert client.get("/en/cooperation/open-data/agreements.json", {"kind": "contract"}).json()["count"] == 0
    assert client.get("/en/cooperation/open-data/agreements.json", {"kind": "bogus"}).status_code == 422
    assert client.get("/api/v1/cooperation/open-data/agreements.json", {"kind": "bogus"}).status_code == 422


def test_no_agreement_no_register_entry(client, cooperation):
    assert client.get("/en/cooperation/open-data/agreements.json").json()["count"] == 0


@pytest.mark.parametrize("url", ["/en/cooperation/open-data/feed.atom", "/api/v1/cooperation/open-data/feed.atom"])
def test_atom_feed_parses_with_new_practices_and_agreements(client, agreed, url):
    r = client.get(url)
    assert r["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert any(t.startswith("New practice: Exclusive bus lanes") for t in titles)
    assert any(t.startswith("Agreement signed:") for t in titles)
    assert all(e.id and e.link and e.updated for e in feed.entries)


def test_unknown_dataset_or_format_is_404(client, reference):
    assert client.get("/en/cooperation/open-data/members.csv").status_code == 404
    assert client.get("/en/cooperation/open-data/practices.xml").status_code == 404
    assert client.get("/api/v1/cooperation/open-data/practices.xml").status_code == 422


def test_open_data_page_links(client, reference):
    html = client.get("/en/cooperation/open-data/").content.decode()
    for href in ("agreements.csv", "agreements.jsonld", "practices.json", "feed.atom"):
        assert href in html
