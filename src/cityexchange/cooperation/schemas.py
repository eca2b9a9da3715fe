from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class CityRef(Schema):
    id: int
    name: str
    country: str = Field(validation_alias="country_id")


class ContactRequestIn(Schema):
    practice_id: int | None = None
    challenge_id: int | None = None
    message: str
    from_city_id: int | None = Field(None, description="Needed only when you work for several cities.")
    language: str = Field("", description="ISO 639-1 code of the message's language; by default your interface's.")


class AnswerIn(Schema):
    answer: str = ""


class ContactRequestOut(Schema):
    id: int
    from_city: CityRef
    to_city: CityRef
    practice_id: int | None
    challenge_id: int | None
    message: str
    language_id: str | None = Field(description="The message's language (null for messages sent before it was kept).")
    status: str
    expires_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    cooperation_id: int | None
    created_at: dt.datetime


class ParticipantOut(Schema):
    city: CityRef
    role: str


class CooperationOut(Schema):
    id: int
    title: str
    stage: str
    stage_label: str
    origin: str
    practice_id: int | None
    challenge_id: int | None
    participants: list[ParticipantOut]
    closed_reason: str
    last_activity_at: dt.datetime
    created_at: dt.datetime
    allowed_moves: list[str] = []

    @staticmethod
    def resolve_participants(obj: object) -> list[object]:
        return list(obj.participants.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_allowed_moves(obj: object) -> list[str]:
        from .stages import allowed_moves

        return [s.value for s in allowed_moves(obj.stage)]  # type: ignore[attr-defined]


class SignatoryIO(Schema):
    city_id: int
    name: str
    role: str = ""


class ResultIn(Schema):
    value: float | None
    indicator_id: int | None = None
    name: str = ""
    unit: str = ""
    note: str = ""


class MoveIn(Schema):
    to_stage: str
    occurred_on: dt.date | None = None
    note: str = ""
    private_note: str = ""
    agreement_kind: str = Field("", description="For an agreement: memorandum, twinning or contract.")
    agreement_title: str = ""
    signed_on: dt.date | None = Field(None, description="For an agreement: the signing date (not in the future).")
    signatories: list[SignatoryIO] = Field(default_factory=list, description="For an agreement: one per city.")
    results: list[ResultIn] = Field(default_factory=list, description="For an evaluation: against the indicators.")
    reason: str = Field("", description="For closing without adoption.")
    city_id: int | None = Field(None, description="The participating city you act for, if several are yours.")


class NoteIn(Schema):
    note: str = ""
    private_note: str = ""
    occurred_on: dt.date | None = None
    city_id: int | None = None


class OpenIn(Schema):
    city_ids: list[int]
    practice_id: int | None = None
    challenge_id: int | None = None
    title: str = ""
    note: str = ""


class ResultOut(Schema):
    indicator_id: int | None
    name: str
    unit: str
    baseline: float | None
    target: float | None
    value: float
    note: str


class DocumentOut(Schema):
    id: int
    name: str = Field(validation_alias="original_name")
    content_type: str
    size: int


class AgreementOut(Schema):
    id: int
    cooperation_id: int
    kind: str
    title: str
    signed_on: dt.date
    signatories: list[dict[str, object]]


class EventOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    occurred_on: dt.date
    note: str
    private_note: str | None = Field(None, description="Only for the participating cities and the secretariat.")
    city_id: int | None
    documents: list[DocumentOut] = []
    results: list[ResultOut] = []
    agreement: AgreementOut | None = None


class CooperationDetailOut(CooperationOut):
    timeline: list[EventOut]


class StageCountOut(Schema):
    stage: str
    label: str
    count: int


class OverviewOut(Schema):
    counts: list[StageCountOut]
    total: int
    pending_requests: int
    agreements: int
    stalled: list[CooperationOut]


class RegisterEntryOut(Schema):
    id: int
    url: str
    title: str
    kind: str
    kind_label: str
    signed_on: str
    cities: list[dict[str, object]]
    signatories: list[dict[str, object]]
    practice: dict[str, object] | None
    challenge: str | None
    cooperation_id: int
    stage: str


class StageRuleOut(Schema):
    stage: str
    label: str
    moves_to: list[str]
    requires: list[str]
