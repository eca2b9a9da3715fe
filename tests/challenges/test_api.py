from __future__ import annotations

import json

import pytest

from cityexchange.challenges.models import Challenge
from tests.challenges.factories import ChallengeFactory, challenge_doc

pytestmark = pytest.mark.django_db
API = "/api/v1/challenges"


def send(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def test_create_update_status_over_the_api(client, sao_paulo, sao_paulo_coordinator):
    client.force_login(sao_paulo_coordinator)
    r = send(client, "post", f"{API}/", {"city_id": sao_paulo.pk, **challenge_doc()})
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    r = send(client, "put", f"{API}/{cid}", challenge_doc(is_public=True, title="Novo"))
    assert r.status_code == 200 and r.json()["is_public"] and r.json()["title"] == "Novo"
    r = send(client, "post", f"{API}/{cid}/status", {"status": "in_progress"})
    assert r.json()["status"] == "in_progress"
    r = send(client, "post", f"{API}/{cid}/status", {"status": "bogus"})
    assert r.status_code == 422 and r.json()["field"] == "status"
    r = send(client, "post", f"{API}/", {"city_id": sao_paulo.pk, **challenge_doc(sectors=[])})
    assert r.status_code == 422 and r.json()["field"] == "sectors"


def test_list_visibility_and_filters(client, kazan_officer, sao_paulo):
    ChallengeFactory(city=sao_paulo, is_public=True, sectors=["energy"])
    ChallengeFactory(city=sao_paulo, is_public=False)
    assert client.get(f"{API}/").json()["count"] == 1
    assert client.get(f"{API}/", {"sector": "nope"}).json()["field"] == "sector"
    client.force_login(kazan_officer)
    assert client.get(f"{API}/").json()["count"] == 2
    assert client.get(f"{API}/", {"sector": "energy"}).json()["count"] == 1
    assert client.get(f"{API}/export", {"format": "csv"}).status_code == 200


def test_every_operation_refuses_anonymous_and_other_cities(client, sao_paulo, kazan_officer):
    members_only = ChallengeFactory(city=sao_paulo)
    public = ChallengeFactory(city=sao_paulo, is_public=True)
    ops = [
        ("post", f"{API}/", {"city_id": sao_paulo.pk, **challenge_doc()}),
        ("put", f"{API}/{public.pk}", challenge_doc()),
        ("put", f"{API}/{members_only.pk}", challenge_doc()),
        ("post", f"{API}/{public.pk}/status", {"status": "solved"}),
        ("post", f"{API}/{members_only.pk}/status", {"status": "solved"}),
    ]
    for who in (None, kazan_officer):
        if who:
            client.force_login(who)
        for method, url, data in ops:
            r = send(client, method, url, data)
            assert r.status_code in (401, 403, 404), (who, url, r.status_code)
    client.logout()
    assert client.get(f"{API}/{members_only.pk}").status_code == 404
    assert client.get(f"{API}/99999999999999999999999").status_code in (404, 422)
    assert Challenge.objects.count() == 2 and not Challenge.objects.exclude(status="open").exists()
