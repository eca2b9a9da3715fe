from __future__ import annotations

import pytest

from cityexchange.challenges.models import Challenge
from tests.challenges.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "language": "pt",
        "title": "Enchentes",
        "description": "Chuvas <script>x</script> **fortes**.",
        "sectors": ["water"],
        "budget": "R$ 2 mi",
    }
    data.update(overrides)
    return data


def test_list_and_detail_respect_visibility(client, sao_paulo, kazan_officer):
    public = ChallengeFactory(city=sao_paulo, is_public=True, title="Open to all")
    ChallengeFactory(city=sao_paulo, title="Members only one")
    html = client.get("/en/challenges/").content.decode()
    assert "Open to all" in html and "Members only one" not in html
    assert client.get(f"/en/challenges/{public.pk}/").status_code == 200
    client.force_login(kazan_officer)
    assert "Members only one" in client.get("/en/challenges/").content.decode()
    r = client.get("/en/challenges/", {"status": "nope"})
    assert r.status_code == 422 and "Unknown status" in r.content.decode()


def test_officer_creates_edits_and_changes_status(client, sao_paulo, sao_paulo_coordinator):
    client.force_login(sao_paulo_coordinator)
    r = client.post("/en/challenges/new/", form(city=sao_paulo.pk))
    assert r.status_code == 302
    c = Challenge.objects.get()
    html = client.get(f"/en/challenges/{c.pk}/").content.decode()
    assert "<strong>fortes</strong>" in html and "<script>x" not in html
    r = client.post(f"/en/challenges/{c.pk}/edit/", form(title="Enchentes 2", is_public="on"))
    assert r.status_code == 302 and Challenge.objects.get().is_public
    client.post(f"/en/challenges/{c.pk}/status/", {"status": "withdrawn"})
    assert Challenge.objects.get().status == "withdrawn"
    r = client.post(f"/en/challenges/{c.pk}/status/", {"status": "solved"}, follow=True)
    assert Challenge.objects.get().status == "withdrawn" and "cannot become" in r.content.decode()
    r = client.post("/en/challenges/new/", form(city=sao_paulo.pk, title=""))
    assert r.status_code == 422


def test_every_page_refuses_anonymous_and_other_cities(client, sao_paulo, kazan_officer):
    members_only = ChallengeFactory(city=sao_paulo)
    public = ChallengeFactory(city=sao_paulo, is_public=True)
    pages = [
        ("get", f"/en/challenges/{public.pk}/edit/", {}),
        ("post", f"/en/challenges/{public.pk}/edit/", form(title="Hijack")),
        ("post", f"/en/challenges/{members_only.pk}/status/", {"status": "solved"}),
        ("post", f"/en/challenges/{public.pk}/status/", {"status": "solved"}),
        ("post", "/en/challenges/new/", form(city=sao_paulo.pk, title="Hijack")),
    ]
    for who in (None, kazan_officer):
        if who:
            client.force_login(who)
        for method, url, data in pages:
            r = getattr(client, method)(url, data)
            ok = {302} if who is None else {403, 404, 422}
            assert r.status_code in ok, (who, url, r.status_code)
            if who is None:
                assert "/accounts/login/" in r["Location"]
    client.logout()
    assert client.get(f"/en/challenges/{members_only.pk}/").status_code == 404
    assert not Challenge.objects.filter(title="Hijack").exists()
    assert not Challenge.objects.exclude(status="open").exists()


def test_city_page_section(client, sao_paulo):
    ChallengeFactory(city=sao_paulo, is_public=True, title="Public need")
    ChallengeFactory(city=sao_paulo, title="Hidden need")
    html = client.get(f"/en/cities/{sao_paulo.pk}/").content.decode()
    assert "Public need" in html and "Hidden need" not in html
