"""Every registered policy × action × role over a small world (tests/core/restrict_world.py), against a table of
what each role may get. It fails on a leak (a draft practice seen by another city's officer, a change granted to an
anonymous visitor), on a row that should be reachable and is not, on `get_for` answering otherwise than `restrict`,
and on a registered policy or action missing from the table or from the world."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model

from cityexchange.accounts.models import ApiToken, CityRole, Invitation
from cityexchange.challenges.models import Challenge
from cityexchange.cooperation.models import ContactRequest, Cooperation, EvidenceDocument
from cityexchange.core.errors import NotFound, PermissionDenied
from cityexchange.core.restrict import allows, get_for, registered
from cityexchange.desk.models import TranslationVersion
from cityexchange.forum.models import Event, Meeting, MeetingRequest, Registration
from cityexchange.governance.models import Body, Document, Vote, WorkingGroup
from cityexchange.governance.models import Meeting as GroupMeeting
from cityexchange.matching.models import Alert
from cityexchange.practices.models import Practice
from cityexchange.registry.models import City, Membership, MembershipApplication
from tests.core import restrict_world as world

pytestmark = pytest.mark.django_db

ALL = "*"


def rows(
    anonymous: str = "",
    no_city: str = "",
    other: str = "",
    owner: str = ALL,
    secretariat: str = ALL,
    other_coordinator: str | None = None,
) -> Any:
    """What each role gets, as labels of the world's rows (space-separated; `*` all of them). `other` is both the
    officer and the coordinator of the other city unless `other_coordinator` says otherwise."""
    return {
        "anonymous": anonymous,
        "no_city": no_city,
        "other_officer": other,
        "other_coordinator": other if other_coordinator is None else other_coordinator,
        "owner_officer": owner,
        "secretariat": secretariat,
    }


EXPECTED: dict[tuple[type[Model], str], dict[str, str]] = {
    (Practice, "view"): rows(anonymous="published", no_city="published", other="published"),
    (Practice, "edit"): rows(),
    (Practice, "moderate"): rows(owner=""),
    (Challenge, "view"): rows(anonymous="public", no_city="public", other=ALL),
    (Challenge, "edit"): rows(),
    (ContactRequest, "view"): rows(),
    (ContactRequest, "answer"): rows(owner="incoming", secretariat=""),
    (ContactRequest, "withdraw"): rows(owner="outgoing", secretariat=""),
    # Officers of every member city see the pipeline; the public only the register of signed agreements.
    (Cooperation, "view"): rows(anonymous="signed", no_city="signed", other=ALL),
    (Cooperation, "move"): rows(secretariat=""),
    (EvidenceDocument, "view"): rows(),
    # Forum: the owner's officer organises the events of the world, and is a delegate in the others.
    (Event, "view"): rows(anonymous="published", no_city="published", other="published"),
    (Event, "manage"): rows(),
    # Approved delegates see each other; a registration waiting for approval only its person and organisers.
    (Registration, "view"): rows(owner="own colleague partner"),
    (Registration, "manage"): rows(owner=""),
    (Registration, "act"): rows(owner="own"),
    (MeetingRequest, "view"): rows(owner="mine"),
    (Meeting, "view"): rows(owner="published_mine"),
    (Meeting, "manage"): rows(owner=""),
    # Governance is public; a secret ballot hides the ballots, not the vote.
    (Document, "view"): rows(anonymous=ALL, no_city=ALL, other=ALL),
    (Body, "view"): rows(anonymous=ALL, no_city=ALL, other=ALL),
    (Vote, "view"): rows(anonymous=ALL, no_city=ALL, other=ALL),
    (WorkingGroup, "view"): rows(anonymous=ALL, no_city=ALL, other=ALL),
    (WorkingGroup, "manage"): rows(owner="chaired"),
    (WorkingGroup, "share"): rows(owner="chaired member"),
    (GroupMeeting, "view"): rows(anonymous=ALL, no_city=ALL, other=ALL),
    (GroupMeeting, "manage"): rows(owner="chaired"),
    # A translation: its translator, the translated practice's city and the secretariat; that city approves.
    (TranslationVersion, "view"): rows(),
    (TranslationVersion, "review"): rows(owner="ours"),
    # Cities and memberships are public; a city's coordinator edits its profile, the secretariat memberships.
    (City, "view"): rows(anonymous=ALL, no_city=ALL, other=ALL),
    (City, "edit"): rows(owner="", other_coordinator="other"),
    (Membership, "view"): rows(anonymous=ALL, no_city=ALL, other=ALL),
    (Membership, "change"): rows(owner=""),
    (MembershipApplication, "view"): rows(),
    # A standing search is its subscriber's alone: not the city's colleagues', not the secretariat's.
    (Alert, "view"): rows(owner="mine", secretariat=""),
    (ApiToken, "view"): rows(owner="mine", secretariat=""),
    # A team and its invitations: the city's coordinator and the secretariat; one's own role, to oneself.
    (CityRole, "view"): rows(owner="mine", other_coordinator="other_team"),
    (Invitation, "view"): rows(owner="", other_coordinator="to_other_city"),
}


def _policies() -> list[tuple[type[Model], str]]:
    return [(model, action) for model, policy in registered().items() for action in policy.actions]


def test_every_policy_and_action_is_in_the_table_and_the_world() -> None:
    assert set(_policies()) == set(EXPECTED), "a policy or an action is missing from EXPECTED (or is stale there)"
    assert set(registered()) == set(world.BUILDERS), "a guarded model is missing from restrict_world.BUILDERS"


def test_the_table_covers_every_role() -> None:
    for key, per_role in EXPECTED.items():
        assert set(per_role) == set(world.ROLES), key


@pytest.mark.parametrize("model", sorted(registered(), key=lambda m: m._meta.label), ids=lambda m: m._meta.label)
def test_no_leak(reference: None, model: type[Model]) -> None:
    people = world.people()
    built = world.BUILDERS[model](people)
    label_of = {row.pk: label for label, row in built.items()}
    policy = registered()[model]
    failures: list[str] = []
    for action in policy.actions:
        for role in world.ROLES:
            user = people.users[role]
            wanted = EXPECTED[(model, action)][role]
            expected = set(built) if wanted == ALL else set(wanted.split())
            found = model._default_manager.restrict(user, action).values_list("pk", flat=True)
            got = {label_of[pk] for pk in found if pk in label_of}  # rows outside the world are not judged
            if got != expected:
                failures.append(f"{model.__name__}.{action} for {role}: got {sorted(got)}, expected {sorted(expected)}")
            if role == "anonymous" and action != "view" and got:
                failures.append(f"{model.__name__}.{action} granted to an anonymous visitor: {sorted(got)}")
            failures += _get_for_agrees(user, role, model, action, built)
    assert not failures, "\n".join(failures)


def _get_for_agrees(user: Any, role: str, model: type[Model], action: str, built: dict[str, Model]) -> list[str]:
    """get_for answers as restrict does: hidden rows are NotFound, seen but not allowed PermissionDenied."""
    failures = []
    for label, row in built.items():
        seen = model._default_manager.restrict(user).filter(pk=row.pk).exists()
        allowed = allows(user, row, action)
        try:
            answer = "ok" if get_for(user, model, row.pk, action=action) == row else "wrong row"
        except NotFound:
            answer = "404"
        except PermissionDenied:
            answer = "403"
        expected = "404" if not seen else ("ok" if allowed else "403")
        if answer != expected:
            failures.append(f"get_for({role}, {model.__name__} {label}, {action}): {answer}, expected {expected}")
    return failures


def test_an_unknown_action_is_a_programming_error(reference: None) -> None:
    with pytest.raises(ValueError, match="no action 'delete'"):
        get_for(None, Practice, 1, action="delete")


def test_a_model_without_a_policy_cannot_be_restricted(reference: None) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from cityexchange.core.restrict import restrict
    from cityexchange.registry.models import Sector

    with pytest.raises(ImproperlyConfigured, match="no policy is registered for Sector"):
        restrict(Sector.objects.all(), None)
