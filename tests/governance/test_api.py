from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from cityexchange.governance import services
from cityexchange.governance.models import Ballot, GroupMember, Vote, VoteResult, WorkingGroup
from cityexchange.registry.models import Membership, Sector
from tests.governance.factories import expire, open_vote, option

pytestmark = pytest.mark.django_db
BASE = "/api/v1/governance"


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_open_vote_over_api_secretariat_only(client, secretariat, assembly, kazan_coordinator, applicant):
    payload = {
        "body_id": assembly.pk,
        "kind": "admission",
        "title": "Admit Yekaterinburg",
        "subject_city_id": applicant.pk,
        "closes_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
    }
    assert post(client, f"{BASE}/votes", payload).status_code == 401
    client.force_login(kazan_coordinator)
    assert post(client, f"{BASE}/votes", payload).status_code == 403
    client.force_login(secretariat)
    r = post(client, f"{BASE}/votes", {**payload, "majority_rule": "absolute"})
    assert r.status_code == 422 and r.json()["field"] == "majority_rule"
    r = post(client, f"{BASE}/votes", {**payload, "subject_city_id": 987654321})
    assert r.status_code == 422 and r.json()["field"] == "subject_city_id"
    r = post(client, f"{BASE}/votes", {**payload, "closes_at": "not a date"})
    assert r.status_code == 422 and r.json()["field"] == "closes_at"
    assert not Vote.objects.exists()
    r = post(client, f"{BASE}/votes", payload)
    assert r.status_code == 201
    body = r.json()
    assert body["phase"] == "open" and body["electorate"] == 3 and body["result"] is None
    assert [o["kind"] for o in body["options"]] == ["yes", "no", "abstain"]


def test_cast_change_and_refusals_over_api(client, secretariat, assembly, kazan, sao_paulo, kazan_coordinator):
    vote = open_vote(secretariat, assembly)
    url = f"{BASE}/votes/{vote.pk}/ballots"
    yes, no = option(vote, "yes").pk, option(vote, "no").pk
    assert post(client, url, {"city_id": kazan.pk, "option_id": yes}).status_code == 401
    client.force_login(kazan_coordinator)
    r = post(client, url, {"city_id": sao_paulo.pk, "option_id": yes})
    assert r.status_code == 403
    r = post(client, url, {"city_id": kazan.pk, "option_id": 999999})
    assert r.status_code == 422 and r.json()["field"] == "option_id"
    r = post(client, url, {"city_id": kazan.pk, "option_id": yes})
    assert r.status_code == 200 and r.json() == {
        "vote_id": vote.pk,
        "city_id": kazan.pk,
        "changed": False,
        "option_id": yes,
        "code": "",
    }
    r = post(client, url, {"city_id": kazan.pk, "option_id": no})
    assert r.status_code == 200 and r.json()["changed"] is True
    detail = client.get(f"{BASE}/votes/{vote.pk}").json()
    assert {c["option_id"]: c["votes"] for c in detail["counts"]}[no] == 1
    assert detail["roll_call"] == [{"city_id": kazan.pk, "city": "Kazan", "option_id": no}]
    expire(vote)
    r = post(client, url, {"city_id": kazan.pk, "option_id": yes})
    assert r.status_code == 409
    assert Ballot.objects.get(vote=vote).option_id == no


def test_close_and_count_over_api_admits_the_city(
    client, secretariat, assembly, kazan, sao_paulo, kazan_coordinator, sao_paulo_coordinator, applicant
):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant)
    for user, city in ((kazan_coordinator, kazan), (sao_paulo_coordinator, sao_paulo)):
        services.vote_cast(actor=user, vote=vote, city=city, option=option(vote, "yes"))
    client.force_login(kazan_coordinator)
    assert client.post(f"{BASE}/votes/{vote.pk}/close").status_code == 403
    assert not VoteResult.objects.exists()
    client.force_login(secretariat)
    r = client.post(f"{BASE}/votes/{vote.pk}/close")
    assert r.status_code == 200
    result = r.json()["result"]
    assert result["outcome"] == "passed" and result["turnout"] == 2 and result["electorate"] == 3
    assert result["action"] == "done"
    assert Membership.objects.get(city=applicant).status == "active"
    client.logout()
    assert client.get(f"{BASE}/votes", {"phase": "counted"}).json()["count"] == 1


def test_votes_list_filters_and_bad_input(client, secretariat, assembly):
    open_vote(secretariat, assembly)
    assert client.get(f"{BASE}/votes", {"phase": "open"}).json()["count"] == 1
    assert client.get(f"{BASE}/votes", {"phase": "counted"}).json()["count"] == 0
    r = client.get(f"{BASE}/votes", {"phase": "bogus"})
    assert r.status_code == 422 and r.json()["field"] == "phase"
    assert client.get(f"{BASE}/votes/999999").status_code == 404
    assert client.get(f"{BASE}/votes/{10**30}").status_code in (404, 422)


def test_bodies_documents_and_settings(client, secretariat, assembly, kazan):
    bodies = client.get(f"{BASE}/bodies").json()
    assert bodies[0]["kind"] == "assembly"
    detail = client.get(f"{BASE}/bodies/{assembly.pk}").json()
    assert {s["city"] for s in detail["seats"]} == {"Kazan", "São Paulo", "Shanghai"}
    assert client.get(f"{BASE}/bodies/999999").status_code == 404
    assert client.get(f"{BASE}/statutes-settings").json()["allowed_majority_rules"] == ["simple", "two_thirds"]
    assert client.get(f"{BASE}/documents").json() == []


def test_delegate_over_api(client, kazan, kazan_coordinator, kazan_officer, sao_paulo_coordinator):
    url = f"{BASE}/cities/{kazan.pk}/delegate"
    client.force_login(sao_paulo_coordinator)
    r = client.put(url, data=json.dumps({"user_email": kazan_officer.email}), content_type="application/json")
    assert r.status_code == 403
    client.force_login(kazan_coordinator)
    r = client.put(url, data=json.dumps({"user_email": "nobody@example.org"}), content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "user"
    r = client.put(url, data=json.dumps({"user_email": kazan_officer.email}), content_type="application/json")
    assert r.status_code == 200 and r.json()["user_id"] == kazan_officer.pk


def test_groups_over_api(client, secretariat, kazan, kazan_coordinator, kazan_officer, sao_paulo_coordinator):
    group = services.group_create(
        actor=secretariat, slug="urban", name="Urban management and ecology", sectors=Sector.objects.filter(rank=1)
    )
    url = f"{BASE}/groups/{group.pk}"
    assert post(client, f"{url}/join", {"city_id": kazan.pk}).status_code == 401
    for stranger in (kazan_officer, sao_paulo_coordinator):
        client.force_login(stranger)
        assert post(client, f"{url}/join", {"city_id": kazan.pk}).status_code == 403
    client.force_login(kazan_coordinator)
    assert post(client, f"{url}/join", {"city_id": kazan.pk}).status_code == 200
    assert post(client, f"{url}/join", {"city_id": kazan.pk}).status_code == 409
    body = client.get(url).json()
    assert [m["city"] for m in body["members"]] == ["Kazan"] and body["sectors"] == ["urban-management"]
    assert client.get(f"{BASE}/groups", {"sector": "urban-management"}).json()["count"] == 1
    assert post(client, f"{url}/leave", {"city_id": kazan.pk}).status_code == 200
    assert post(client, f"{url}/leave", {"city_id": kazan.pk}).status_code == 409
    assert not GroupMember.objects.filter(left_on__isnull=True).exists()
    assert client.get(f"{BASE}/groups/999999").status_code == 404
    assert WorkingGroup.objects.count() == 1
