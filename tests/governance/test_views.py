from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityexchange.governance import services
from cityexchange.governance.models import Ballot, Document, GroupDocument, GroupMember, Meeting, Vote, VoteResult
from cityexchange.registry.models import Membership, Sector
from tests.governance.factories import expire, open_vote, option
from tests.registry.factories import CityRoleFactory

pytestmark = pytest.mark.django_db


def test_home_is_in_the_navigation_and_public(client, secretariat, assembly):
    open_vote(secretariat, assembly, title="Adopt the budget 2026")
    html = client.get("/en/governance/").content.decode()
    assert 'href="/en/governance/"' in html  # the main navigation links here
    assert "Adopt the budget 2026" in html and "General Assembly" in html
    assert 'data-action="open-vote"' not in html
    client.force_login(secretariat)
    assert 'data-action="open-vote"' in client.get("/en/governance/").content.decode()


def test_pages_render_in_every_language(client, secretariat, assembly):
    vote = open_vote(secretariat, assembly)
    for lang in ("en", "ru", "ar", "zh-hans"):
        for url in ("", "documents/", "votes/", f"votes/{vote.pk}/", "groups/", f"bodies/{assembly.pk}/"):
            assert client.get(f"/{lang}/governance/{url}").status_code == 200
    assert "Открытые голосования" in client.get("/ru/governance/").content.decode()
    assert "التصويتات المفتوحة" in client.get("/ar/governance/").content.decode()
    assert client.get("/en/governance/votes/999999/").status_code == 404
    assert client.get("/en/governance/groups/999999/").status_code == 404
    assert client.get("/en/governance/documents/999999/").status_code == 404


def test_documents_page_shows_versions_and_languages(client, secretariat, reference):
    doc = Document.objects.create(slug="statutes", kind="statutes")
    services.document_version_add(
        actor=secretariat,
        document=doc,
        adopted_on=dt.date(2024, 6, 3),
        decision="Founding assembly, Kazan",
        texts={"en": ("Statutes", "Article 1. Name."), "ru": ("Устав", "Статья 1. Название.")},
    )
    html = client.get("/en/governance/documents/").content.decode()
    assert "Statutes" in html and "Founding assembly, Kazan" in html
    html = client.get(f"/ru/governance/documents/{doc.pk}/").content.decode()
    assert "Статья 1" in html
    html = client.get(f"/en/governance/documents/{doc.pk}/?lang=ru").content.decode()
    assert "Статья 1" in html
    assert client.get(f"/en/governance/documents/{doc.pk}/?lang=xx&version=abc").status_code == 200


def test_secretariat_opens_a_vote_in_the_browser(client, secretariat, assembly, kazan_coordinator, applicant):
    data = {
        "body": assembly.pk,
        "kind": "admission",
        "title": "Admit Yekaterinburg",
        "subject_city": applicant.pk,
        "seats": 1,
        "majority_rule": "simple",
        "quorum_percent": 50,
        "closes_at": (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    client.force_login(kazan_coordinator)
    assert client.get("/en/governance/votes/new/").status_code == 403
    assert client.post("/en/governance/votes/new/", data).status_code == 403
    client.force_login(secretariat)
    form = client.get(f"/en/governance/votes/new/?city={applicant.pk}").content.decode()
    assert "Yekaterinburg" in form and "absolute" not in form  # only the rules the statutes allow are offered
    r = client.post("/en/governance/votes/new/", {**data, "majority_rule": "absolute"})
    assert r.status_code == 422 and 'data-field="majority_rule"' in r.content.decode()
    r = client.post("/en/governance/votes/new/", {**data, "closes_at": "2001-01-01T10:00"})
    assert r.status_code == 422 and 'data-field="closes_at"' in r.content.decode()
    assert not Vote.objects.exists()
    r = client.post("/en/governance/votes/new/", data)
    vote = Vote.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/governance/votes/{vote.pk}/")


def test_cast_change_and_close_in_the_browser(
    client, secretariat, assembly, kazan, sao_paulo, kazan_coordinator, sao_paulo_coordinator, applicant
):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant)
    url = f"/en/governance/votes/{vote.pk}/"
    yes, no = option(vote, "yes").pk, option(vote, "no").pk
    assert client.post(url, {"action": "cast", "city": kazan.pk, "option": yes}).status_code == 302  # to sign in
    assert not Ballot.objects.exists()
    client.force_login(sao_paulo_coordinator)
    r = client.post(url, {"action": "cast", "city": kazan.pk, "option": yes})
    assert r.status_code == 403 and "You do not represent Kazan" in r.content.decode()
    client.force_login(kazan_coordinator)
    page = client.get(url).content.decode()
    assert f'data-city="{kazan.pk}"' in page and f'data-city="{sao_paulo.pk}"' not in page
    assert client.post(url, {"action": "cast", "city": kazan.pk, "option": no}).status_code == 302
    assert client.post(url, {"action": "cast", "city": kazan.pk, "option": yes}).status_code == 302
    assert Ballot.objects.get(vote=vote, city=kazan).option_id == yes
    r = client.post(url, {"action": "cast", "city": kazan.pk, "option": "x"})
    assert r.status_code == 404
    assert client.post(url, {"action": "close"}).status_code == 403
    client.force_login(sao_paulo_coordinator)
    client.post(url, {"action": "cast", "city": sao_paulo.pk, "option": yes})
    client.force_login(secretariat)
    r = client.post(url, {"action": "close", "confirm": "yes"})
    assert r.status_code == 302
    html = client.get(url).content.decode()
    assert 'data-outcome="passed"' in html and 'data-turnout="2"' in html and 'data-action-status="done"' in html
    assert Membership.objects.get(city=applicant).status == "active"
    client.force_login(kazan_coordinator)
    r = client.post(url, {"action": "cast", "city": kazan.pk, "option": no})
    assert r.status_code == 409 and "Voting is closed" in r.content.decode()


def test_reading_a_vote_after_its_time_publishes_the_result(client, secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    expire(vote)
    html = client.get(f"/en/governance/votes/{vote.pk}/").content.decode()  # anonymous reader
    assert 'data-outcome="no_quorum"' in html and "No quorum" in html
    assert VoteResult.objects.filter(vote=vote).count() == 1


def test_group_page_membership_and_permissions(client, secretariat, kazan, sao_paulo, kazan_coordinator, kazan_officer):
    group = services.group_create(
        actor=secretariat, slug="urban", name="Urban management and ecology", sectors=Sector.objects.filter(rank__lte=2)
    )
    url = f"/en/governance/groups/{group.pk}/"
    assert client.post(url, {"action": "join", "city": kazan.pk}).status_code == 302  # to sign in
    client.force_login(kazan_officer)
    assert 'Join with <bdi lang="en">Kazan</bdi>' not in client.get(url).content.decode()
    assert client.post(url, {"action": "join", "city": kazan.pk}).status_code == 403
    client.force_login(kazan_coordinator)
    assert 'Join with <bdi lang="en">Kazan</bdi>' in client.get(url).content.decode()
    assert client.post(url, {"action": "join", "city": kazan.pk}).status_code == 302
    assert client.post(url, {"action": "join", "city": sao_paulo.pk}).status_code == 403
    assert client.post(url, {"action": "join", "city": kazan.pk}).status_code == 409
    assert GroupMember.objects.filter(group=group, left_on__isnull=True).count() == 1
    html = client.get(url).content.decode()
    assert 'data-members="1"' in html and 'Leave for <bdi lang="en">Kazan</bdi>' in html
    services.group_set_chair(actor=secretariat, group=group, city=kazan)
    item = services.plan_item_add(actor=kazan_coordinator, group=group, title="Map the heat islands")
    r = client.post(url, {"action": "plan_status", "item": item.pk, "status": "done"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    r = client.post(url, {"action": "document", "title": "Heat map", "language": "en", "url": "javascript:x"})
    assert r.status_code == 422 and not GroupDocument.objects.exists()
    r = client.post(url, {"action": "document", "title": "Heat map", "language": "en", "url": "https://ex.org/h"})
    assert r.status_code == 302 and GroupDocument.objects.get().added_by == kazan_coordinator
    r = client.post(url, {"action": "leave", "city": kazan.pk})
    assert r.status_code == 409 and "chair city cannot leave" in r.content.decode()
    assert client.post(url, {"action": "bogus"}).status_code == 404


def test_minutes_by_the_chair_only(client, secretariat, kazan, kazan_coordinator, sao_paulo_coordinator):
    group = services.group_create(actor=secretariat, slug="g", name="G", sectors=Sector.objects.filter(rank=3))
    services.group_join(actor=kazan_coordinator, group=group, city=kazan)
    services.group_set_chair(actor=secretariat, group=group, city=kazan)
    past = services.meeting_add(
        actor=kazan_coordinator, group=group, title="Kick-off", starts_at=timezone.now() - dt.timedelta(days=1)
    )
    url = f"/en/governance/meetings/{past.pk}/minutes/"
    client.force_login(sao_paulo_coordinator)
    assert client.post(url, {"minutes": "We met."}).status_code == 403
    client.force_login(kazan_coordinator)
    assert client.post(url, {"minutes": "We met."}).status_code == 302
    assert Meeting.objects.get(pk=past.pk).minutes == "We met."
    future = services.meeting_add(
        actor=kazan_coordinator, group=group, title="Next", starts_at=timezone.now() + dt.timedelta(days=9)
    )
    r = client.post(f"/en/governance/meetings/{future.pk}/minutes/", {"minutes": "Too early"})
    assert r.status_code == 422 and "once the meeting has taken place" in r.content.decode()
    assert client.get("/en/governance/meetings/999999/minutes/").status_code == 404


def test_delegate_page(client, kazan, kazan_coordinator, kazan_officer, sao_paulo_coordinator):
    url = f"/en/governance/cities/{kazan.pk}/delegate/"
    assert client.get(url).status_code == 302
    client.force_login(sao_paulo_coordinator)
    assert client.post(url, {"email": kazan_officer.email}).status_code == 403
    client.force_login(kazan_coordinator)
    r = client.post(url, {"email": "stranger@example.org"})
    assert r.status_code == 422 and 'data-field="email"' in r.content.decode()
    assert client.post(url, {"email": kazan_officer.email}).status_code == 302
    assert f'data-delegate="{kazan_officer.pk}"' in client.get(url).content.decode()
    other = CityRoleFactory(city=kazan, role="officer").user
    client.post(url, {"email": other.email})
    assert f'data-delegate="{other.pk}"' in client.get(url).content.decode()


def test_city_page_shows_seats_groups_and_delegate_link(client, secretariat, assembly, kazan, kazan_coordinator):
    group = services.group_create(actor=secretariat, slug="g", name="Water group", sectors=Sector.objects.all()[:1])
    services.group_join(actor=kazan_coordinator, group=group, city=kazan)
    html = client.get(f"/en/cities/{kazan.pk}/").content.decode()
    assert "General Assembly" in html and "Water group" in html
    assert f"/governance/cities/{kazan.pk}/delegate/" not in html
    client.force_login(kazan_coordinator)
    assert f"/governance/cities/{kazan.pk}/delegate/" in client.get(f"/en/cities/{kazan.pk}/").content.decode()
