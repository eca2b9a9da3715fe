from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class StatutesSettingsOut(Schema):
    allowed_majority_rules: list[str]
    default_majority_rule: str
    default_quorum_percent: int


class DocumentTextOut(Schema):
    language: str = Field(validation_alias="language_id")
    title: str
    body: str


class DocumentVersionOut(Schema):
    number: int
    adopted_on: dt.date
    decision: str
    adopted_by_vote_id: int | None
    texts: list[DocumentTextOut]

    @staticmethod
    def resolve_texts(obj: object) -> list[object]:
        return list(obj.texts.all())  # type: ignore[attr-defined]


class DocumentOut(Schema):
    id: int
    slug: str
    kind: str
    title: str
    versions: list[DocumentVersionOut]

    @staticmethod
    def resolve_title(obj: object) -> str:
        return str(obj)

    @staticmethod
    def resolve_versions(obj: object) -> list[object]:
        return list(obj.versions.all())  # type: ignore[attr-defined]


class SeatOut(Schema):
    id: int
    city_id: int | None
    city: str | None
    person: str | None
    role: str
    start_on: dt.date
    end_on: dt.date | None

    @staticmethod
    def resolve_city(obj: object) -> str | None:
        city = obj.city  # type: ignore[attr-defined]
        return city.name if city else None

    @staticmethod
    def resolve_person(obj: object) -> str | None:
        person = obj.person  # type: ignore[attr-defined]
        return str(person) if person else None


class BodyOut(Schema):
    id: int
    kind: str
    name: str = Field(validation_alias="label")
    description: str


class BodyDetailOut(BodyOut):
    seats: list[SeatOut]


class OptionOut(Schema):
    id: int
    kind: str
    label: str


class OptionCountOut(Schema):
    option_id: int
    votes: int
    elected: bool


class ResultOut(Schema):
    outcome: str
    electorate: int
    turnout: int
    turnout_percent: float
    quorum_reached: bool
    counted_at: dt.datetime
    closed_early: bool
    action: str
    action_note: str


class RollCallOut(Schema):
    city_id: int
    city: str
    option_id: int | None = Field(description="Empty for a secret vote: only that the city voted is recorded.")


class VoteOut(Schema):
    id: int
    body_id: int
    body: str
    kind: str
    title: str
    motion: str
    subject_city_id: int | None
    ballot_type: str
    seats: int
    secret: bool
    majority_rule: str
    quorum_percent: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    phase: str = Field(description="scheduled, open, closing (time is up, being counted) or counted")
    electorate: int
    voted: int
    options: list[OptionOut]
    counts: list[OptionCountOut] | None = Field(description="Empty while a secret vote is open.")
    result: ResultOut | None
    roll_call: list[RollCallOut]


class VoteIn(Schema):
    body_id: int
    kind: str
    title: str
    motion: str = ""
    closes_at: dt.datetime
    opens_at: dt.datetime | None = None
    options: list[str] = Field(default_factory=list, description="Empty for yes / no / abstain.")
    seats: int = Field(1, ge=1, le=100)
    subject_city_id: int | None = None
    secret: bool = False
    majority_rule: str = Field("", description="Empty: the statutes' default.")
    quorum_percent: int | None = Field(None, description="Empty: the statutes' default.")


class BallotIn(Schema):
    city_id: int
    option_id: int
    code: str = Field("", max_length=64, description="A secret ballot's code, to change the vote.")


class BallotOut(Schema):
    vote_id: int
    city_id: int
    changed: bool
    option_id: int | None = Field(description="Empty for a secret vote.")
    code: str = Field(description="Given once, when a city first votes in a secret vote: keep it to change the vote.")


class DelegateIn(Schema):
    user_email: str


class DelegateOut(Schema):
    city_id: int
    user_id: int
    user: str


class CityRef(Schema):
    city_id: int


class GroupMemberOut(Schema):
    city_id: int
    city: str = Field(validation_alias="city.name")
    country: str = Field(validation_alias="city.country_id")
    joined_on: dt.date


class PlanItemOut(Schema):
    id: int
    title: str
    description: str
    due_on: dt.date | None
    status: str
    lead_city_id: int | None


class MeetingOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    place: str
    agenda: str
    minutes: str


class GroupDocumentOut(Schema):
    id: int
    title: str
    language: str = Field(validation_alias="language_id")
    url: str
    body: str
    created_at: dt.datetime


class GroupOut(Schema):
    id: int
    slug: str
    name: str = Field(validation_alias="label")
    sectors: list[str]
    chair_city_id: int | None
    description: str

    @staticmethod
    def resolve_sectors(obj: object) -> list[str]:
        return [s.code for s in obj.sectors.all()]  # type: ignore[attr-defined]


class GroupDetailOut(GroupOut):
    members: list[GroupMemberOut]
    plan: list[PlanItemOut]
    meetings: list[MeetingOut]
    documents: list[GroupDocumentOut]

    @staticmethod
    def resolve_members(obj: object) -> list[object]:
        from .selectors import group_members

        return list(group_members(obj))  # type: ignore[arg-type]

    @staticmethod
    def resolve_plan(obj: object) -> list[object]:
        return list(obj.plan.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_meetings(obj: object) -> list[object]:
        return list(obj.meetings.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_documents(obj: object) -> list[object]:
        return list(obj.documents.all())  # type: ignore[attr-defined]
