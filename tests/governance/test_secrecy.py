"""No page, API answer, audit entry or data export tells how a city voted in a secret vote.

Two secret votes run side by side with the same electorate; the cities' choices are swapped between them (Kazan
yes / São Paulo no, then Kazan no / São Paulo yes). Everything any reader can get about the two votes, before and
after counting, must be the same once ids, times and CSRF tokens are set aside: if it differed, it would reveal
who chose what.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityexchange.core.models import AuditEntry
from cityexchange.governance import services
from cityexchange.governance.models import Ballot, Vote, VoteResult
from tests.governance.factories import option

pytestmark = pytest.mark.django_db


def _vote(secretariat: Any, assembly: Any, opens: dt.datetime, closes: dt.datetime) -> Vote:
    return services.vote_open(
        actor=secretariat,
        body=assembly,
        kind="resolution",
        title="Secret motion",
        secret=True,
        quorum_percent=10,
        opens_at=opens,
        closes_at=closes,
    )


def _html(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    # The audit hash a result is recorded under differs from vote to vote (ids, times), not with the choices.
    text = re.sub(r"[0-9a-f]{64}", "HASH", text)
    return re.sub(r"\d+", "#", text)


def _json(data: Any, vote: Vote) -> Any:
    """Option ids become their kinds; the vote's own id and every time stamp are dropped."""
    kinds = {o.pk: o.kind for o in vote.options.all()}
    data = {k: v for k, v in data.items() if k != "id"}
    text = json.dumps(data, sort_keys=True, default=str)
    text = re.sub(r'"option_id": (\d+)', lambda m: f'"option_id": "{kinds.get(int(m.group(1)), "?")}"', text)
    text = re.sub(r'"id": (\d+)', lambda m: f'"id": "{kinds.get(int(m.group(1)), "?")}"', text)
    text = re.sub(r'"(opens_at|closes_at|counted_at)": "[^"]+"', r'"\1": "T"', text)
    return json.loads(text)


def _observe(client: Any, vote: Vote, readers: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for reader in readers:
        client.logout() if reader is None else client.force_login(reader)
        seen.append(_html(client.get(f"/en/governance/votes/{vote.pk}/").content.decode()))
        seen.append(_json(client.get(f"/api/v1/governance/votes/{vote.pk}").json(), vote))
    ballot_ids = [str(b) for b in Ballot.objects.filter(vote=vote).values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(target_type="governance.ballot", target_id__in=ballot_ids).order_by("pk")
    seen.append([(e.action, e.before, e.after) for e in entries])
    seen.append(
        list(Ballot.objects.filter(vote=vote).order_by("city__name").values("city_id", "option_id", "cast_by_id"))
    )
    return seen


def test_swapped_secret_choices_cannot_be_told_apart(
    low_quorum,
    client,
    secretariat,
    assembly,
    kazan,
    sao_paulo,
    kazan_coordinator,
    sao_paulo_coordinator,
    shanghai_coordinator,
):
    now = timezone.now().replace(second=0, microsecond=0)
    opens, closes = now - dt.timedelta(minutes=5), now + dt.timedelta(days=1)
    first, second = _vote(secretariat, assembly, opens, closes), _vote(secretariat, assembly, opens, closes)
    for vote, kazan_choice, sao_paulo_choice in ((first, "yes", "no"), (second, "no", "yes")):
        services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, kazan_choice))
        services.vote_cast(
            actor=sao_paulo_coordinator, vote=vote, city=sao_paulo, option=option(vote, sao_paulo_choice)
        )
    readers = [None, kazan_coordinator, sao_paulo_coordinator, shanghai_coordinator, secretariat]

    # While voting is open: no count at all, and nothing that differs.
    page = client.get(f"/en/governance/votes/{first.pk}/").content.decode()
    assert 'data-count-hidden="true"' in page and 'data-option="yes"' not in page
    assert _observe(client, first, readers) == _observe(client, second, readers)
    assert client.get(f"/api/v1/governance/votes/{first.pk}").json()["counts"] is None

    # After counting: the totals are public, still nothing per city.
    for vote in (first, second):
        services.vote_count(actor=secretariat, vote=vote, close_now=True)
    same_time = timezone.now()
    Vote.objects.filter(pk__in=[first.pk, second.pk]).update(closes_at=same_time)
    VoteResult.objects.filter(vote__in=[first, second]).update(counted_at=same_time)
    first.refresh_from_db()
    second.refresh_from_db()
    after_first, after_second = _observe(client, first, readers), _observe(client, second, readers)
    assert after_first == after_second
    counts = client.get(f"/api/v1/governance/votes/{first.pk}").json()["counts"]
    assert [c["votes"] for c in counts] == [1, 1, 0]

    # The audit log of the count and a full data export do not link cities to choices either.
    result_entries = AuditEntry.objects.filter(action="vote.result").values_list("after", flat=True)
    assert all(set(after) >= {"counts", "turnout"} for after in result_entries)
    out = io.StringIO()
    call_command("dumpdata", "governance.ballot", "governance.secretballot", stdout=out)
    rows = json.loads(out.getvalue())
    assert all(r["fields"]["option"] is None for r in rows if r["model"] == "governance.ballot")
    assert all(
        set(r["fields"]) == {"vote", "option", "token_hash"} for r in rows if r["model"] == "governance.secretballot"
    )


def test_the_ballot_code_is_shown_once_and_only_to_the_voter(
    low_quorum, client, secretariat, assembly, kazan, kazan_coordinator
):
    now = timezone.now()
    vote = _vote(secretariat, assembly, now - dt.timedelta(minutes=1), now + dt.timedelta(hours=1))
    client.force_login(kazan_coordinator)
    r = client.post(
        f"/en/governance/votes/{vote.pk}/", {"action": "cast", "city": kazan.pk, "option": option(vote, "yes").pk}
    )
    assert r.status_code == 200
    code = re.search(r'data-ballot-code="([A-Z0-9-]+)"', r.content.decode()).group(1)
    assert code not in client.get(f"/en/governance/votes/{vote.pk}/").content.decode()
    assert not AuditEntry.objects.filter(after__icontains=code).exists()
    # Changing without the code is refused; with it, it works.
    no = option(vote, "no").pk
    r = client.post(f"/en/governance/votes/{vote.pk}/", {"action": "cast", "city": kazan.pk, "option": no})
    assert r.status_code == 409 and 'data-error-field="code"' in r.content.decode()
    r = client.post(
        f"/en/governance/votes/{vote.pk}/", {"action": "cast", "city": kazan.pk, "option": no, "code": code}
    )
    assert r.status_code == 302
    assert services.vote_counts(vote)[no] == 1
