"""While an admission vote runs, the vote decides: the application cannot be approved or rejected by hand (service,
page, API), and closing the vote still admits the city. Closing a vote asks for confirmation first."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from cityexchange.core.errors import Conflict, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.governance import services
from cityexchange.governance.models import VoteResult
from cityexchange.registry import services as registry_services
from cityexchange.registry.models import Membership, MembershipApplication
from tests.governance.factories import expire, open_vote, option

pytestmark = pytest.mark.django_db


def application_of(city):
    return MembershipApplication.objects.get(city=city)


def nothing_changed(city):
    app = application_of(city)
    return app.status == "submitted" and app.decided_by is None and not Membership.objects.filter(city=city).exists()


def test_approving_or_rejecting_by_hand_is_refused_while_the_vote_runs(secretariat, assembly, applicant):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, title="Admit Yekaterinburg")
    with translation.override("en"), pytest.raises(Conflict) as err:
        registry_services.application_approve(actor=secretariat, application=application_of(applicant))
    assert "Admit Yekaterinburg" in err.value.message and "General Assembly" in err.value.message
    with pytest.raises(Conflict):
        registry_services.application_reject(actor=secretariat, application=application_of(applicant), reason="No")
    assert nothing_changed(applicant)
    assert not AuditEntry.objects.filter(action__startswith="application.").exists()
    # A vote whose time is up but that nobody has counted yet still decides.
    expire(vote)
    with pytest.raises(Conflict):
        registry_services.application_approve(actor=secretariat, application=application_of(applicant))
    assert nothing_changed(applicant)


def test_the_review_page_links_the_vote_and_a_forged_approval_changes_nothing(client, secretariat, assembly, applicant):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, title="Admit Yekaterinburg")
    url = f"/en/secretariat/applications/{application_of(applicant).pk}/"
    client.force_login(secretariat)
    html = client.get(url).content.decode()
    assert f'data-admission-vote="{vote.pk}"' in html and f'href="/en/governance/votes/{vote.pk}/"' in html
    assert 'name="action" value="approve"' not in html  # no approve button while the vote runs
    r = client.post(url, {"action": "approve", "confirm": "yes"})
    assert r.status_code == 200 and 'data-confirm="required"' not in r.content.decode()
    assert "cannot be decided by hand" in r.content.decode()
    assert nothing_changed(applicant)


def test_the_api_refuses_with_409_naming_the_vote(client, secretariat, assembly, applicant):
    open_vote(secretariat, assembly, kind="admission", subject_city=applicant, title="Admit Yekaterinburg")
    client.force_login(secretariat)
    base = f"/api/v1/applications/{application_of(applicant).pk}"
    r = client.post(f"{base}/approve")
    assert r.status_code == 409 and "Admit Yekaterinburg" in r.json()["detail"]
    r = client.post(f"{base}/reject", data=json.dumps({"reason": "No"}), content_type="application/json")
    assert r.status_code == 409
    assert nothing_changed(applicant)


def test_closing_the_admission_vote_admits_the_city(
    secretariat, assembly, kazan, sao_paulo, kazan_coordinator, sao_paulo_coordinator, applicant
):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant)
    for user, city in ((kazan_coordinator, kazan), (sao_paulo_coordinator, sao_paulo)):
        services.vote_cast(actor=user, vote=vote, city=city, option=option(vote, "yes"))
    result = services.vote_count(actor=secretariat, vote=vote, close_now=True)
    assert result.outcome == "passed" and result.action == "done"
    assert application_of(applicant).status == "approved"
    assert Membership.objects.get(city=applicant).status == "active"


def test_after_a_rejected_vote_the_secretariat_decides_the_application(
    low_quorum, secretariat, assembly, kazan, kazan_coordinator, applicant
):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, quorum_percent=30)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "no"))
    assert services.vote_count(actor=secretariat, vote=vote, close_now=True).outcome == "rejected"
    assert not Membership.objects.filter(city=applicant).exists()
    registry_services.application_reject(actor=secretariat, application=application_of(applicant), reason="Voted no")
    assert application_of(applicant).status == "rejected"


def test_close_and_count_asks_for_confirmation_first(
    client, secretariat, assembly, kazan, kazan_coordinator, applicant
):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, title="Admit Yekaterinburg")
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    url = f"/en/governance/votes/{vote.pk}/"
    client.force_login(secretariat)
    r = client.post(url, {"action": "close"})  # one click on "Close and count"
    html = r.content.decode()
    assert r.status_code == 200 and 'data-confirm="required"' in html
    assert "1 of 3 electors have voted" in html and "Yekaterinburg, RU becomes a member" in html
    assert 'name="confirm" value="yes"' in html and 'name="action" value="close"' in html
    assert f'href="/en/governance/votes/{vote.pk}/"' in html  # Cancel goes back to the vote
    assert not VoteResult.objects.exists()
    r = client.post(url, {"action": "close", "confirm": "no"})  # a forged confirmation value
    assert 'data-confirm="required"' in r.content.decode() and not VoteResult.objects.exists()
    r = client.post(url, {"action": "close", "confirm": "yes"})
    assert r.status_code == 302 and VoteResult.objects.get(vote=vote).closed_early


def test_a_coordinator_cannot_close_a_vote_even_confirmed(client, secretariat, assembly, kazan_coordinator):
    vote = open_vote(secretariat, assembly)
    client.force_login(kazan_coordinator)
    for data in ({"action": "close"}, {"action": "close", "confirm": "yes"}):
        r = client.post(f"/en/governance/votes/{vote.pk}/", data)
        assert r.status_code == 403 and 'data-confirm="required"' not in r.content.decode()
    with pytest.raises(PermissionDenied):
        services.vote_count(actor=kazan_coordinator, vote=vote, close_now=True)
    assert not VoteResult.objects.exists()


def test_the_api_closes_without_a_confirmation_step(client, secretariat, assembly):
    vote = open_vote(secretariat, assembly)
    client.force_login(secretariat)
    assert client.post(f"/api/v1/governance/votes/{vote.pk}/close").status_code == 200
    assert VoteResult.objects.filter(vote=vote).exists()


def test_the_refusal_and_the_confirmation_are_translated(client, secretariat, assembly, applicant):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, title="Admit Yekaterinburg")
    client.force_login(secretariat)
    html = client.get(f"/pt-br/secretariat/applications/{application_of(applicant).pk}/").content.decode()
    assert "a votação decide" in html
    html = client.post(f"/zh-hans/governance/votes/{vote.pk}/", {"action": "close"}).content.decode()
    assert "请确认" in html and "结束“Admit Yekaterinburg”并计票？" in html
