"""The small world the generic leak test walks: one owning city (Kazan) with, for every guarded model, a row that
must stay hidden from outsiders and, where the model has them, a public row; another member city (São Paulo) whose
people are the outsiders; and one person in each role. A new policy needs a builder here (`BUILDERS`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.utils import timezone

from cityexchange.accounts.models import ApiToken, CityRole, Invitation
from cityexchange.challenges.models import Challenge
from cityexchange.cooperation.models import (
    Agreement,
    ContactRequest,
    Cooperation,
    EvidenceDocument,
    Participant,
    StageEvent,
)
from cityexchange.desk.models import TranslationVersion
from cityexchange.forum.models import Event, Meeting, MeetingRequest, MeetingTable, Registration, ScheduleRun, Slot
from cityexchange.governance.models import Body, Document, GroupMember, MajorityRule, Vote, WorkingGroup
from cityexchange.governance.models import Meeting as GroupMeeting
from cityexchange.matching.models import Alert
from cityexchange.practices.models import Practice
from cityexchange.registry.models import City, Membership, MembershipApplication
from tests.challenges.factories import ChallengeFactory
from tests.forum.factories import EventFactory, MeetingRequestFactory, RegistrationFactory, at
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityFactory, CityRoleFactory, MemberCityFactory, UserFactory

ROLES = ("anonymous", "no_city", "other_officer", "other_coordinator", "owner_officer", "secretariat")


@dataclass
class People:
    owner: Any  # the city that owns every row of the world
    other: Any  # another member city, whose people are the outsiders
    partner: Any  # a third member city the owner works with (nobody among the roles works for it)
    users: dict[str, Any]  # role -> user

    def __getattr__(self, role: str) -> Any:
        try:
            return self.__dict__["users"][role]
        except KeyError as exc:
            raise AttributeError(role) from exc


def people() -> People:
    owner = MemberCityFactory(name="Kazan", country_id="RU")
    other = MemberCityFactory(name="São Paulo", country_id="BR")
    partner = MemberCityFactory(name="Johannesburg", country_id="ZA")
    users = {
        "anonymous": AnonymousUser(),
        "no_city": UserFactory(),
        "other_officer": CityRoleFactory(city=other, role="officer").user,
        "other_coordinator": CityRoleFactory(city=other, role="coordinator").user,
        "owner_officer": CityRoleFactory(city=owner, role="officer").user,
        "secretariat": UserFactory(is_secretariat=True),
    }
    return People(owner=owner, other=other, partner=partner, users=users)


Rows = dict[str, Model]  # label -> row


def practices(w: People) -> Rows:
    return {
        "draft": PracticeFactory(city=w.owner, status=Practice.Status.DRAFT),
        "published": PracticeFactory(city=w.owner, status=Practice.Status.PUBLISHED),
    }


def challenges(w: People) -> Rows:
    return {
        "members_only": ChallengeFactory(city=w.owner, is_public=False),
        "public": ChallengeFactory(city=w.owner, is_public=True),
    }


def contact_requests(w: People) -> Rows:
    expires = timezone.now() + dt.timedelta(days=21)

    def ask(from_city: Any, to_city: Any, key: str) -> ContactRequest:
        return ContactRequest.objects.create(
            from_city=from_city, to_city=to_city, subject_key=key, message="Can we talk?", expires_at=expires
        )

    return {"outgoing": ask(w.owner, w.partner, "p1"), "incoming": ask(w.partner, w.owner, "p2")}


def _cooperation(w: People, title: str, *, signed: bool) -> tuple[Cooperation, StageEvent]:
    """The owner and its partner, at the first stage; with a signed agreement (the public register) or not."""
    coop = Cooperation.objects.create(title=title, last_activity_at=timezone.now())
    for city in (w.owner, w.partner):
        Participant.objects.create(cooperation=coop, city=city)
    today = timezone.localdate()
    event = StageEvent.objects.create(cooperation=coop, to_stage="interest", occurred_on=today, private_note="secret")
    if signed:
        Agreement.objects.create(cooperation=coop, event=event, kind="memorandum", title=title, signed_on=today)
    return coop, event


def cooperations(w: People) -> Rows:
    return {"unsigned": _cooperation(w, "Talks", signed=False)[0], "signed": _cooperation(w, "Signed", signed=True)[0]}


def evidence_documents(w: People) -> Rows:
    _coop, event = _cooperation(w, "Signed", signed=True)
    document = EvidenceDocument.objects.create(
        event=event, file="cooperation/minutes.pdf", original_name="minutes.pdf", content_type="application/pdf", size=9
    )
    return {"minutes": document}


def events(w: People) -> Rows:
    """The owner's officer organises both events; one is not published yet."""
    rows = {"published": EventFactory(city=w.owner), "unpublished": EventFactory(city=w.owner, is_published=False)}
    for event in rows.values():
        event.organisers.add(w.owner_officer)
    return rows


def _forum(w: People) -> dict[str, Registration]:
    """A published event (organised by nobody among the roles) where the owner's officer is an approved delegate,
    with another delegate of the owner city (approved) and one waiting for approval, and a partner-city delegate."""
    event = EventFactory(city=w.owner)
    approved = Registration.Status.APPROVED
    return {
        "own": RegistrationFactory(event=event, user=w.owner_officer, city=w.owner, status=approved),
        "colleague": RegistrationFactory(event=event, city=w.owner, status=approved),
        "pending": RegistrationFactory(event=event, city=w.owner, status=Registration.Status.PENDING),
        "partner": RegistrationFactory(event=event, city=w.partner, status=approved),
    }


def registrations(w: People) -> Rows:
    return dict(_forum(w))


def _requests(w: People) -> dict[str, MeetingRequest]:
    regs = _forum(w)
    return {
        "mine": MeetingRequestFactory(requester=regs["own"], target=regs["partner"]),
        "theirs": MeetingRequestFactory(requester=regs["colleague"], target=regs["partner"]),
    }


def meeting_requests(w: People) -> Rows:
    return dict(_requests(w))


def meetings(w: People) -> Rows:
    """The owner officer's request met in the published schedule and in a draft one; another pair's meeting."""
    requests = _requests(w)
    event = requests["mine"].event
    slot = Slot.objects.create(event=event, starts_at=at(1, 10), ends_at=at(1, 10, 30))
    tables = [MeetingTable.objects.create(event=event, name=name) for name in ("T1", "T2")]
    published, draft = (ScheduleRun.objects.create(event=event, number=n, time_limit=5) for n in (1, 2))
    event.published_run = published
    event.save(update_fields=["published_run"])

    def meet(run: ScheduleRun, request: MeetingRequest, table: MeetingTable) -> Meeting:
        return Meeting.objects.create(run=run, request=request, slot=slot, table=table)

    return {
        "published_mine": meet(published, requests["mine"], tables[0]),
        "draft_mine": meet(draft, requests["mine"], tables[0]),
        "published_theirs": meet(published, requests["theirs"], tables[1]),
    }


def documents(w: People) -> Rows:
    return {"statutes": Document.objects.create(slug="statutes", kind=Document.Kind.STATUTES)}


def bodies(w: People) -> Rows:
    return {"assembly": Body.objects.create(kind=Body.Kind.ASSEMBLY, name="General Assembly")}


def votes(w: People) -> Rows:
    body = Body.objects.create(kind=Body.Kind.ASSEMBLY, name="General Assembly")
    now = timezone.now()
    vote = Vote.objects.create(
        body=body,
        kind=Vote.Kind.RESOLUTION,
        title="Adopt the annual report",
        majority_rule=MajorityRule.SIMPLE,
        quorum_percent=50,
        opens_at=now,
        closes_at=now + dt.timedelta(hours=2),
        secret=True,
    )
    return {"secret": vote}


def _groups(w: People) -> dict[str, WorkingGroup]:
    """A group the owner chairs, one it is a member of, one it has nothing to do with."""
    groups = {
        "chaired": WorkingGroup.objects.create(slug="water", name="Water", chair_city=w.owner),
        "member": WorkingGroup.objects.create(slug="transport", name="Transport", chair_city=w.partner),
        "foreign": WorkingGroup.objects.create(slug="health", name="Health", chair_city=w.partner),
    }
    GroupMember.objects.create(group=groups["member"], city=w.owner, joined_on=timezone.localdate())
    return groups


def working_groups(w: People) -> Rows:
    return dict(_groups(w))


def group_meetings(w: People) -> Rows:
    return {
        label: GroupMeeting.objects.create(group=group, title=f"{group.name} meeting", starts_at=timezone.now())
        for label, group in _groups(w).items()
    }


def translation_versions(w: People) -> Rows:
    """A partner-city translator's version of the owner's practice; the owner's officer's version of the partner's."""
    ours = PracticeFactory(city=w.owner, status=Practice.Status.PUBLISHED)
    theirs = PracticeFactory(city=w.partner, status=Practice.Status.PUBLISHED)
    translator = CityRoleFactory(city=w.partner).user

    def version(practice: Practice, user: Any, city: Any) -> TranslationVersion:
        return TranslationVersion.objects.create(
            practice=practice,
            language_id="ru",
            number=1,
            translator=user,
            city=city,
            title="Перевод",
            source_digest="x",
        )

    return {"ours": version(ours, translator, w.partner), "by_me": version(theirs, w.owner_officer, w.owner)}


def cities(w: People) -> Rows:
    return {"owner": w.owner, "other": w.other, "partner": w.partner}


def memberships(w: People) -> Rows:
    return {"owner": w.owner.membership, "partner": w.partner.membership}


def applications(w: People) -> Rows:
    """One the owner's officer made for a city that is not a member yet, one made earlier for the owner city."""

    def application(city: Any, applicant: Any) -> MembershipApplication:
        return MembershipApplication.objects.create(
            city=city, applicant=applicant, letter="We apply.", contact_name="Mayor", contact_email="m@example.org"
        )

    return {
        "by_me": application(CityFactory(name="Newtown"), w.owner_officer),
        "for_my_city": application(w.owner, UserFactory()),
    }


def alerts(w: People) -> Rows:
    """The owner's officer's standing search, and a colleague's for the same city (an alert is its subscriber's)."""
    colleague = CityRoleFactory(city=w.owner).user
    return {
        "mine": Alert.objects.create(user=w.owner_officer, city=w.owner, query="buses"),
        "colleague": Alert.objects.create(user=colleague, city=w.owner, query="water"),
    }


def api_tokens(w: People) -> Rows:
    def token(user: Any, key: str) -> ApiToken:
        return ApiToken.objects.create(user=user, name="script", prefix=key[:8], token_hash=key * 8)

    return {
        "mine": token(w.owner_officer, "aaaaaaaa"),
        "colleague's": token(CityRoleFactory(city=w.owner).user, "bbbb"),
    }


def city_roles(w: People) -> Rows:
    """The owner officer's own role, a colleague's, and a member of the other city's team."""
    return {
        "mine": CityRole.objects.get(user=w.owner_officer, city=w.owner),
        "colleague": CityRoleFactory(city=w.owner),
        "other_team": CityRoleFactory(city=w.other),
    }


def invitations(w: People) -> Rows:
    def invite(city: Any, key: str) -> Invitation:
        expires = timezone.now() + dt.timedelta(days=7)
        return Invitation.objects.create(city=city, email=f"{key}@example.org", token_hash=key * 16, expires_at=expires)

    return {"to_my_city": invite(w.owner, "aaaa"), "to_other_city": invite(w.other, "bbbb")}


BUILDERS: dict[type[Model], Callable[[People], Rows]] = {
    Practice: practices,
    Challenge: challenges,
    ContactRequest: contact_requests,
    Cooperation: cooperations,
    EvidenceDocument: evidence_documents,
    Event: events,
    Registration: registrations,
    MeetingRequest: meeting_requests,
    Meeting: meetings,
    Document: documents,
    Body: bodies,
    Vote: votes,
    WorkingGroup: working_groups,
    GroupMeeting: group_meetings,
    TranslationVersion: translation_versions,
    City: cities,
    Membership: memberships,
    MembershipApplication: applications,
    Alert: alerts,
    ApiToken: api_tokens,
    CityRole: city_roles,
    Invitation: invitations,
}
