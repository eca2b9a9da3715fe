"""Secret-ballot codes are bound to their city and vote, a refusal tells nothing, and the stored anonymous ballots
cannot be put in the order they were cast (issue 14, finding 1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import pytest
from django.db import connection, models
from django.utils import timezone

from cityexchange.governance import services
from cityexchange.governance.models import Ballot, SecretBallot, Vote
from tests.governance.factories import assembly_with, option
from tests.registry.factories import CityRoleFactory, MemberCityFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/governance"


def _secret_vote(secretariat: Any, body: Any) -> Vote:
    now = timezone.now()
    return services.vote_open(
        actor=secretariat,
        body=body,
        kind="resolution",
        title="Secret motion",
        secret=True,
        quorum_percent=10,
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=1),
    )


def _post(client: Any, vote: Vote, city: Any, choice: str, code: str = "") -> Any:
    payload = {"city_id": city.pk, "option_id": option(vote, choice).pk, "code": code}
    return client.post(f"{BASE}/votes/{vote.pk}/ballots", payload, content_type="application/json")


def _counts(vote: Vote) -> dict[str, int]:
    return {o.kind: n for o, n in ((vote.options.get(pk=k), n) for k, n in services.vote_counts(vote).items())}


def test_another_citys_code_is_refused_and_changes_nothing(
    low_quorum, client, secretariat, assembly, kazan, sao_paulo, kazan_coordinator, sao_paulo_coordinator
):
    vote = _secret_vote(secretariat, assembly)
    client.force_login(sao_paulo_coordinator)
    sao_paulo_code = _post(client, vote, sao_paulo, "yes").json()["code"]
    client.force_login(kazan_coordinator)
    _post(client, vote, kazan, "no")

    # Kazan's coordinator with São Paulo's code, in São Paulo's name: refused (he does not represent it).
    r = _post(client, vote, sao_paulo, "no", sao_paulo_code)
    assert r.status_code == 403
    # ... and in Kazan's name: the code was issued to São Paulo, so it is simply not valid here.
    foreign = _post(client, vote, kazan, "abstain", sao_paulo_code)
    wrong = _post(client, vote, kazan, "abstain", "AAAA-BBBB-CCCC-DDDD")
    assert foreign.status_code == wrong.status_code == 422
    assert foreign.json() == wrong.json() == {"detail": "This ballot code is not valid for this vote.", "field": "code"}
    assert _counts(vote) == {"yes": 1, "no": 1, "abstain": 0}
    assert Ballot.objects.get(vote=vote, city=sao_paulo).changes == 0


def test_a_code_is_bound_to_its_vote(low_quorum, client, secretariat, assembly, kazan, kazan_coordinator):
    first, second = _secret_vote(secretariat, assembly), _secret_vote(secretariat, assembly)
    client.force_login(kazan_coordinator)
    code = _post(client, first, kazan, "yes").json()["code"]
    _post(client, second, kazan, "yes")
    r = _post(client, second, kazan, "no", code)
    assert r.status_code == 422 and r.json()["field"] == "code"
    assert _counts(second)["yes"] == 1


def test_the_answer_is_the_same_whether_the_option_changes_or_not(
    low_quorum, client, secretariat, assembly, kazan, kazan_coordinator
):
    vote = _secret_vote(secretariat, assembly)
    client.force_login(kazan_coordinator)
    code = _post(client, vote, kazan, "yes").json()["code"]
    same = _post(client, vote, kazan, "yes", code)  # the option already chosen
    other = _post(client, vote, kazan, "no", code)  # another option
    assert same.status_code == other.status_code == 200
    assert (
        same.json()
        == other.json()
        == {
            "vote_id": vote.pk,
            "city_id": kazan.pk,
            "changed": True,
            "option_id": None,
            "code": "",
        }
    )
    # The counter of changes and the audit trail do not tell the two apart either.
    assert Ballot.objects.get(vote=vote, city=kazan).changes == 2
    assert _counts(vote) == {"yes": 0, "no": 1, "abstain": 0}


def _physical_order(vote: Vote) -> list[str]:
    """The token hashes in the order the database stores the rows (what a raw dump or a backup shows)."""
    sql = "SELECT token_hash FROM governance_secretballot WHERE vote_id = %s ORDER BY "
    sql += "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(sql, [vote.pk])
        return [row[0] for row in cursor.fetchall()]


def _electorate(n: int) -> list[tuple[Any, Any]]:
    cities = [MemberCityFactory(name=f"City {i}", country_id="BR") for i in range(n)]
    return [(city, CityRoleFactory(city=city, role="coordinator").user) for city in cities]


def _code_hash(vote: Vote, city: Any, code: str) -> str:
    return hashlib.sha256(f"ballot:2:{vote.pk}:{city.pk}:{services.normalise_code(code)}".encode()).hexdigest()


def test_stored_secret_ballots_have_no_time_and_random_keys(reference, secretariat):
    fields = SecretBallot._meta.get_fields()
    assert not [f for f in fields if isinstance(f, models.DateField | models.DateTimeField)]
    assert {f.name for f in fields if getattr(f, "concrete", False)} == {"id", "vote", "option", "token_hash"}
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)


def test_rows_are_rewritten_in_the_shuffled_order_after_every_ballot(low_quorum, secretariat, client, monkeypatch):
    """The order the rows are stored in is the shuffle's, and every key is new after each ballot."""
    voters = _electorate(5)
    vote = _secret_vote(secretariat, assembly_with(*(city for city, _u in voters)))
    monkeypatch.setattr(services, "_shuffle", lambda rows: rows.reverse())  # a known permutation, to see it applied
    hashes, seen_ids = [], set()
    for city, coordinator in voters:
        client.force_login(coordinator)
        code = _post(client, vote, city, "yes").json()["code"]
        hashes.append(_code_hash(vote, city, code))
        ids = set(SecretBallot.objects.filter(vote=vote).values_list("id", flat=True))
        assert not ids & seen_ids and all(i.version == 4 for i in ids)
        seen_ids |= ids
    # The rows are read in hash order and written in the order the shuffle left them: here, reversed.
    assert _physical_order(vote) == sorted(hashes, reverse=True)


def test_the_stored_order_does_not_follow_the_cast_order(low_quorum, reference, secretariat, client):
    """With the real shuffle: eight ballots, and neither the physical order nor the ids follow the order of casting
    (both coinciding with it by chance has a probability of 1 in 8! = 40,320)."""
    voters = _electorate(8)
    vote = _secret_vote(secretariat, assembly_with(*(city for city, _u in voters)))
    hashes = []
    for city, coordinator in voters:
        client.force_login(coordinator)
        code = _post(client, vote, city, "yes").json()["code"]
        hashes.append(_code_hash(vote, city, code))
    stored = _physical_order(vote)
    assert sorted(stored) == sorted(hashes) and stored != hashes
    by_id = list(SecretBallot.objects.filter(vote=vote).order_by("id").values_list("token_hash", flat=True))
    assert by_id != hashes
    assert all(isinstance(i, uuid.UUID) for i in SecretBallot.objects.values_list("id", flat=True))


def test_the_migration_rewrites_existing_secret_ballots(low_quorum, reference, secretariat, client):
    """Ballots stored before the change (in cast order) are rewritten under new keys; every vote still counts."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cityexchange.governance.migrations.0002_secret_ballots_rewritten")
    voters = _electorate(4)
    vote = _secret_vote(secretariat, assembly_with(*(city for city, _u in voters)))
    for city, coordinator in voters:
        client.force_login(coordinator)
        _post(client, vote, city, "no")
    before = dict(SecretBallot.objects.values_list("id", "token_hash"))
    migration.rewrite(apps, None)
    after = dict(SecretBallot.objects.values_list("id", "token_hash"))
    assert sorted(after.values()) == sorted(before.values()) and not set(after) & set(before)
    assert _counts(vote) == {"yes": 0, "no": 4, "abstain": 0}
