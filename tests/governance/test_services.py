from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityexchange.core.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from cityexchange.core.models import AuditEntry
from cityexchange.governance import selectors, services
from cityexchange.governance.models import (
    Ballot,
    Body,
    SecretBallot,
    StatutesSettings,
    Vote,
    VoteResult,
)
from cityexchange.registry.models import Membership, MembershipApplication
from cityexchange.registry.services import membership_suspend
from tests.governance.factories import expire, open_vote, option
from tests.registry.factories import CityFactory, CityRoleFactory, MemberCityFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Opening -------------------------------------------------------------------------------------------------


def test_open_vote_takes_rules_from_the_statutes_and_fixes_the_electorate(secretariat, assembly, kazan):
    StatutesSettings.objects.update_or_create(pk=1, defaults={"default_quorum_percent": 60})
    outsider = MemberCityFactory()  # a member without a seat does not vote
    vote = open_vote(secretariat, assembly)
    assert vote.majority_rule == "simple" and vote.quorum_percent == 60
    assert [o.kind for o in vote.options.all()] == ["yes", "no", "abstain"]
    electors = set(vote.electors.values_list("city_id", flat=True))
    assert kazan.pk in electors and outsider.pk not in electors and len(electors) == 3
    assert AuditEntry.objects.filter(action="vote.open", target_id=str(vote.pk)).exists()


def test_suspended_member_is_not_in_the_electorate(secretariat, assembly, kazan):
    membership_suspend(actor=secretariat, membership=kazan.membership, reason="Fees")
    vote = open_vote(secretariat, assembly)
    assert not vote.electors.filter(city=kazan).exists()


def test_majority_rule_the_statutes_do_not_allow_is_refused(secretariat, assembly):
    with pytest.raises(InvalidInput) as err:
        open_vote(secretariat, assembly, majority_rule="absolute")
    assert err.value.field == "majority_rule"
    assert not Vote.objects.exists()
    StatutesSettings.objects.update_or_create(pk=1, defaults={"allowed_majority_rules": ["absolute"]})
    assert open_vote(secretariat, assembly, majority_rule="absolute").majority_rule == "absolute"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"quorum_percent": 0}, "quorum_percent"),
        ({"quorum_percent": 101}, "quorum_percent"),
        ({"quorum_percent": 49}, "quorum_percent"),  # below what the statutes require
        ({"closes_at": "past"}, "closes_at"),
        ({"kind": "coup"}, "kind"),
        ({"kind": "admission"}, "subject_city"),
        ({"kind": "election", "options": ["Only one"]}, "options"),
        ({"kind": "election", "options": ["A", "a"]}, "options"),
        ({"kind": "election", "options": ["A", "B"], "seats": 2}, "seats"),
    ],
)
def test_open_vote_validation_names_the_field(secretariat, assembly, overrides, field):
    if overrides.get("closes_at") == "past":
        overrides["closes_at"] = timezone.now() - dt.timedelta(minutes=1)
    with pytest.raises(InvalidInput) as err:
        open_vote(secretariat, assembly, **overrides)
    assert err.value.field == field
    assert not Vote.objects.exists()


def test_only_the_secretariat_opens_votes(assembly, kazan_coordinator):
    with pytest.raises(PermissionDenied):
        open_vote(kazan_coordinator, assembly)
    assert not Vote.objects.exists()


def test_secretariat_body_holds_no_votes(secretariat, kazan):
    body = Body.objects.create(kind=Body.Kind.SECRETARIAT, name="Secretariat")
    with pytest.raises(InvalidInput) as err:
        open_vote(secretariat, body)
    assert err.value.field == "body"


def test_admission_of_an_active_member_or_twice_is_refused(secretariat, assembly, kazan, applicant):
    with pytest.raises(Conflict):
        open_vote(secretariat, assembly, kind="admission", subject_city=kazan)
    open_vote(secretariat, assembly, kind="admission", subject_city=applicant)
    with pytest.raises(Conflict) as err:
        open_vote(secretariat, assembly, kind="admission", subject_city=applicant)
    assert err.value.field == "subject_city"
    assert Vote.objects.count() == 1


# --- Casting -------------------------------------------------------------------------------------------------


def test_cast_then_change_before_closing_keeps_one_ballot(secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly)
    first = services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    assert not first.changed and first.code == ""
    again = services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    assert not again.changed
    changed = services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "no"))
    assert changed.changed
    ballot = Ballot.objects.get(vote=vote, city=kazan)
    assert ballot.option.kind == "no" and ballot.changes == 1
    assert Ballot.objects.filter(vote=vote).count() == 1
    actions = list(AuditEntry.objects.filter(target_type="governance.ballot").values_list("action", flat=True))
    assert sorted(actions) == ["vote.cast", "vote.change"]


def test_voting_after_closing_or_before_opening_is_refused(secretariat, assembly, kazan, kazan_coordinator):
    later = open_vote(secretariat, assembly, opens_at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(InvalidTransition):
        services.vote_cast(actor=kazan_coordinator, vote=later, city=kazan, option=option(later, "yes"))
    vote = expire(open_vote(secretariat, assembly))
    with pytest.raises(InvalidTransition):
        services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    assert not Ballot.objects.exists()


def test_voting_for_a_city_you_do_not_represent_is_refused(
    secretariat, assembly, kazan, kazan_officer, sao_paulo_coordinator
):
    vote = open_vote(secretariat, assembly)
    for stranger in (kazan_officer, sao_paulo_coordinator, secretariat):
        with pytest.raises(PermissionDenied):
            services.vote_cast(actor=stranger, vote=vote, city=kazan, option=option(vote, "yes"))
    assert not Ballot.objects.exists()


def test_named_delegate_votes_for_the_city(secretariat, assembly, kazan, kazan_coordinator, kazan_officer):
    vote = open_vote(secretariat, assembly)
    outsider = UserFactory()
    with pytest.raises(InvalidInput) as err:
        services.delegate_name(actor=kazan_coordinator, city=kazan, user=outsider)
    assert err.value.field == "user"
    with pytest.raises(PermissionDenied):
        services.delegate_name(actor=kazan_officer, city=kazan, user=kazan_officer)
    services.delegate_name(actor=kazan_coordinator, city=kazan, user=kazan_officer)
    services.vote_cast(actor=kazan_officer, vote=vote, city=kazan, option=option(vote, "yes"))
    assert Ballot.objects.get(vote=vote, city=kazan).cast_by == kazan_officer
    assert [c.city for c in selectors.cities_user_votes_for(kazan_officer, vote)] == [kazan]


def test_suspended_member_cannot_vote(secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly)
    membership_suspend(actor=secretariat, membership=kazan.membership, reason="Fees")
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    assert not Ballot.objects.exists()


def test_city_outside_the_electorate_cannot_vote(secretariat, assembly):
    late = MemberCityFactory()
    coordinator = CityRoleFactory(city=late, role="coordinator").user
    vote = open_vote(secretariat, assembly)
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=coordinator, vote=vote, city=late, option=option(vote, "yes"))


def test_option_of_another_vote_is_refused(secretariat, assembly, kazan, kazan_coordinator):
    vote, other = open_vote(secretariat, assembly), open_vote(secretariat, assembly)
    with pytest.raises(InvalidInput) as err:
        services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(other, "yes"))
    assert err.value.field == "option"


# --- Counting and acting -------------------------------------------------------------------------------------


def test_without_quorum_the_motion_does_not_pass(secretariat, assembly, kazan, kazan_coordinator, applicant):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, quorum_percent=50)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    result = services.vote_count(actor=None, vote=expire(vote))
    assert result.outcome == "no_quorum" and not result.quorum_reached
    assert (result.turnout, result.electorate) == (1, 3)
    assert not Membership.objects.filter(city=applicant).exists()
    assert result.action == "none"


def test_admission_by_vote_makes_the_city_a_member(
    secretariat, assembly, kazan, sao_paulo, kazan_coordinator, sao_paulo_coordinator, applicant
):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, title="Admit Yekaterinburg")
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    services.vote_cast(actor=sao_paulo_coordinator, vote=vote, city=sao_paulo, option=option(vote, "abstain"))
    result = services.vote_count(actor=secretariat, vote=vote, close_now=True)
    assert result.outcome == "passed" and result.closed_early
    assert result.turnout == 2 and result.electorate == 3 and result.action == "done"
    assert Membership.objects.get(city=applicant).status == "active"
    application = MembershipApplication.objects.get(city=applicant)
    assert application.status == "approved"
    assert application.applicant.city_roles.get(city=applicant).role == "coordinator"
    assembly_seats = selectors.seats_in_force(assembly)
    assert assembly_seats.filter(city=applicant).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"vote.result", "vote.act", "application.approve", "membership.admit", "seat.add"} <= actions


def test_admission_without_an_application_admits_directly(low_quorum, secretariat, assembly, kazan, kazan_coordinator):
    city = CityFactory(name="Perm")
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=city, quorum_percent=30)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    services.vote_count(actor=None, vote=expire(vote))  # the platform counts; the opener's authority admits
    assert Membership.objects.get(city=city).status == "active"


def test_counting_is_done_once(low_quorum, secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly, quorum_percent=30)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    expire(vote)
    first = selectors.get_vote_for(None, vote.pk).result  # a reader after closing triggers the count
    again = services.vote_count(actor=secretariat, vote=vote)
    call_command("close-votes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert first.pk == again.pk and first.outcome == "passed"
    assert VoteResult.objects.count() == 1
    assert AuditEntry.objects.filter(action="vote.result").count() == 1


def test_close_votes_command_counts_due_votes(secretariat, assembly, capsys):
    due, still_open = expire(open_vote(secretariat, assembly)), open_vote(secretariat, assembly)
    call_command("close-votes")
    assert VoteResult.objects.filter(vote=due).exists()
    assert not VoteResult.objects.filter(vote=still_open).exists()


def test_closing_early_is_for_the_secretariat_only(secretariat, assembly, kazan_coordinator):
    vote = open_vote(secretariat, assembly)
    with pytest.raises(PermissionDenied):
        services.vote_count(actor=kazan_coordinator, vote=vote, close_now=True)
    with pytest.raises(InvalidTransition):
        services.vote_count(actor=secretariat, vote=vote)  # without close_now, an open vote stays open
    with pytest.raises(InvalidTransition):
        services.vote_count(actor=None, vote=vote, close_now=True)
    assert not VoteResult.objects.exists()


def test_rejected_admission_changes_nothing(
    low_quorum, secretariat, assembly, kazan, sao_paulo, kazan_coordinator, applicant
):
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=applicant, quorum_percent=30)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "no"))
    result = services.vote_count(actor=secretariat, vote=vote, close_now=True)
    assert result.outcome == "rejected"
    assert not Membership.objects.filter(city=applicant).exists()
    assert MembershipApplication.objects.get(city=applicant).status == "submitted"


def test_admission_waits_for_the_secretariat_when_nobody_can_act(
    low_quorum, secretariat, assembly, kazan, kazan_coordinator
):
    city = CityFactory()
    vote = open_vote(secretariat, assembly, kind="admission", subject_city=city, quorum_percent=30)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    secretariat.is_secretariat = False
    secretariat.save()
    result = services.vote_count(actor=None, vote=expire(vote))
    assert result.action == "pending" and not Membership.objects.filter(city=city).exists()
    new_secretariat = UserFactory(is_secretariat=True)
    with pytest.raises(PermissionDenied):
        services.vote_carry_out(actor=kazan_coordinator, vote=vote)
    services.vote_carry_out(actor=new_secretariat, vote=vote)
    assert Membership.objects.get(city=city).status == "active"


def test_election_result_names_the_winner(secretariat, assembly, kazan, sao_paulo, shanghai, kazan_coordinator):
    coordinators = {
        kazan: kazan_coordinator,
        sao_paulo: CityRoleFactory(city=sao_paulo, role="coordinator").user,
        shanghai: CityRoleFactory(city=shanghai, role="coordinator").user,
    }
    vote = open_vote(secretariat, assembly, kind="election", title="Chair", options=["Kazan", "Shanghai"])
    kazan_option = vote.options.get(label="Kazan")
    for city, user in coordinators.items():
        chosen = kazan_option if city != shanghai else vote.options.get(label="Shanghai")
        services.vote_cast(actor=user, vote=vote, city=city, option=chosen)
    result = services.vote_count(actor=secretariat, vote=vote, close_now=True)
    assert result.outcome == "passed" and result.winners == [kazan_option.pk]


# --- Secret ballots ------------------------------------------------------------------------------------------


def test_secret_ballot_records_that_a_city_voted_not_how(secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly, secret=True)
    receipt = services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "no"))
    assert len(services.normalise_code(receipt.code)) == services.CODE_LENGTH
    ballot = Ballot.objects.get(vote=vote, city=kazan)
    assert ballot.option is None
    secret = SecretBallot.objects.get(vote=vote)
    assert secret.option.kind == "no" and receipt.code not in secret.token_hash
    # Nothing on the anonymous ballot points at a city, a person or a time.
    assert {f.name for f in SecretBallot._meta.get_fields()} == {"id", "vote", "option", "token_hash"}
    entry = AuditEntry.objects.get(action="vote.cast")
    assert "option" not in (entry.after or {}) and entry.before is None


def test_secret_vote_changes_only_with_the_ballot_code(secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly, secret=True)
    code = services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes")).code
    with pytest.raises(Conflict) as err:
        services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "no"))
    assert err.value.field == "code"
    with pytest.raises(InvalidInput):
        services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "no"), code="AAAA")
    assert SecretBallot.objects.get(vote=vote).option.kind == "yes"
    changed = services.vote_cast(
        actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "no"), code=code.lower().replace("-", " ")
    )
    assert changed.changed and changed.code == ""
    assert SecretBallot.objects.get(vote=vote).option.kind == "no"
    assert SecretBallot.objects.count() == 1 and Ballot.objects.get(vote=vote).changes == 1


def test_secret_vote_shows_no_count_until_counted(low_quorum, secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly, secret=True, quorum_percent=30)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    view = selectors.vote_view(vote)
    assert view.counts is None and view.voted == 1
    assert view.roll_call == [(kazan, None)]
    services.vote_count(actor=secretariat, vote=vote, close_now=True)
    view = selectors.vote_view(vote)
    assert {c.option.kind: c.votes for c in view.counts} == {"yes": 1, "no": 0, "abstain": 0}
    assert view.roll_call == [(kazan, None)]


def test_open_vote_shows_live_count_and_roll_call(secretariat, assembly, kazan, kazan_coordinator):
    vote = open_vote(secretariat, assembly)
    services.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    view = selectors.vote_view(vote)
    assert {c.option.kind: c.votes for c in view.counts}["yes"] == 1
    assert view.roll_call == [(kazan, option(vote, "yes"))]
