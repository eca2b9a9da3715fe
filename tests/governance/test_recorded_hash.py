"""A vote's result and a membership decision show the hash of the audit row they are recorded under, and that row
is part of an intact chain (issue 14, finding 9)."""

from __future__ import annotations

import re

import pytest

from cityexchange.core import audit_chain
from cityexchange.core.models import AuditEntry
from cityexchange.governance import services
from cityexchange.registry import services as registry_services
from cityexchange.registry.models import Membership, MembershipApplication
from tests.governance.factories import open_vote, option

pytestmark = pytest.mark.django_db


def _shown_hash(html: str) -> str:
    match = re.search(r'data-audit-hash="([0-9a-f]{64})"', html)
    assert match, "no audit hash on the page"
    return match.group(1)


def test_the_vote_result_shows_the_hash_it_is_recorded_under(
    low_quorum, client, secretariat, assembly, kazan, kazan_coordinator, django_capture_on_commit_callbacks
):
    sealed_at_commit = django_capture_on_commit_callbacks
    vote = open_vote(secretariat, assembly, quorum_percent=10)
    page = client.get(f"/en/governance/votes/{vote.pk}/").content.decode()
    assert "data-audit-hash" not in page  # nothing recorded while it runs
    with sealed_at_commit(execute=True):  # the chain is sealed after COMMIT, before the next page is asked for
        services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
        services.vote_count(actor=secretariat, vote=vote, close_now=True)
    page = client.get(f"/en/governance/votes/{vote.pk}/").content.decode()
    entry = AuditEntry.objects.get(action="vote.result", target_id=str(vote.pk))
    assert _shown_hash(page) == entry.hash and "Recorded in the audit log under the hash" in page
    assert audit_chain.verify().ok


def test_membership_decisions_show_their_hash(
    client, secretariat, sao_paulo, applicant, django_capture_on_commit_callbacks
):
    sealed_at_commit = django_capture_on_commit_callbacks  # the chain is sealed after COMMIT
    client.force_login(secretariat)
    with sealed_at_commit(execute=True):
        registry_services.membership_suspend(
            actor=secretariat, membership=Membership.objects.get(city=sao_paulo), reason="Fees unpaid"
        )
    suspended = AuditEntry.objects.get(action="membership.suspend").hash
    assert _shown_hash(client.get(f"/en/cities/{sao_paulo.pk}/membership/").content.decode()) == suspended
    client.logout()  # the city's public page shows it to anyone
    assert _shown_hash(client.get(f"/en/cities/{sao_paulo.pk}/").content.decode()) == suspended
    client.force_login(secretariat)

    application = MembershipApplication.objects.get(city=applicant)
    with sealed_at_commit(execute=True):
        registry_services.application_approve(actor=secretariat, application=application)
    page = client.get(f"/en/secretariat/applications/{application.pk}/").content.decode()
    assert _shown_hash(page) == AuditEntry.objects.get(action="application.approve").hash
    assert audit_chain.verify().ok
