from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field


class EventOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    city_id: int
    city_name: str
    venue: str
    timezone: str
    starts_on: dt.date
    ends_on: dt.date
    working_languages: list[str]
    registration_open: bool
    schedule_published: bool

    @staticmethod
    def resolve_city_name(obj: Any) -> str:
        return str(obj.city.name)

    @staticmethod
    def resolve_working_languages(obj: Any) -> list[str]:
        return [lang.code for lang in obj.working_languages.all()]

    @staticmethod
    def resolve_schedule_published(obj: Any) -> bool:
        return obj.published_run_id is not None


class SessionOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    sector: str | None
    room: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    speaker_ids: list[int]

    @staticmethod
    def resolve_sector(obj: Any) -> str | None:
        return obj.sector.code if obj.sector else None

    @staticmethod
    def resolve_room(obj: Any) -> str | None:
        return obj.room.name if obj.room else None

    @staticmethod
    def resolve_speaker_ids(obj: Any) -> list[int]:
        return [s.pk for s in obj.speakers.all()]


class SessionIn(Schema):
    title: str = Field(max_length=300)
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str = "track"
    sector: str | None = Field(None, description="Sector code: the session's track.")
    room: str | None = Field(None, description="Room name (created when new).")
    speaker_ids: list[int] = Field(default_factory=list, description="Registration ids of speakers and chairs.")
    description: str = ""


class SlotIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class RegistrationOut(Schema):
    id: int
    event_id: int
    name: str
    city_id: int
    city_name: str
    role: str
    languages: list[str]
    needs_interpreter: bool
    arrival: dt.datetime | None = Field(description="Only for organisers and the delegate's own city, else null.")
    departure: dt.datetime | None = Field(description="Only for organisers and the delegate's own city, else null.")
    status: str
    delegation_id: int | None
    checked_in_at: dt.datetime | None = Field(description="Only for organisers and the delegate's own city.")

    # Rows from forum.selectors.registrations_visible_to say whether the reader may see travel data; a row a service
    # just wrote for its actor (who is the delegate, the city or an organiser) may.
    @staticmethod
    def resolve_arrival(obj: Any) -> dt.datetime | None:
        return obj.arrival if getattr(obj, "shows_travel", True) else None

    @staticmethod
    def resolve_departure(obj: Any) -> dt.datetime | None:
        return obj.departure if getattr(obj, "shows_travel", True) else None

    @staticmethod
    def resolve_checked_in_at(obj: Any) -> dt.datetime | None:
        return obj.checked_in_at if getattr(obj, "shows_travel", True) else None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_city_name(obj: Any) -> str:
        return str(obj.city.name)

    @staticmethod
    def resolve_languages(obj: Any) -> list[str]:
        return [lang.code for lang in obj.languages.all()]


class RegistrationIn(Schema):
    city_id: int
    role: str = Field(max_length=150)
    languages: list[str] = Field(description="Language codes, e.g. ['ru', 'en'].")
    arrival: dt.datetime
    departure: dt.datetime
    needs_interpreter: bool = False
    interpreter_note: str = ""
    join_delegation: bool = False
    user_email: str | None = Field(None, description="Organisers only: register this existing user as a guest.")


class MeetingRequestIn(Schema):
    requester_id: int | None = Field(None, description="Your registration (default: your own).")
    target_id: int | None = Field(None, description="The delegate's registration id…")
    target_city_id: int | None = Field(None, description="…or a city: its delegation receives the request.")
    priority: int = Field(2, description="1 useful, 2 important, 3 essential.")
    topic: str = Field(max_length=300)


class MeetingRequestOut(Schema):
    id: int
    requester_id: int
    requester: str
    target_id: int
    target: str
    priority: int
    topic: str
    status: str
    expires_at: dt.datetime

    @staticmethod
    def resolve_requester(obj: Any) -> str:
        return f"{obj.requester.user} ({obj.requester.city.name})"

    @staticmethod
    def resolve_target(obj: Any) -> str:
        return f"{obj.target.user} ({obj.target.city.name})"


class SuggestionOut(Schema):
    target_id: int
    target: str
    city: str
    score: float
    reasons: list[str]
    topic: str


class BuildIn(Schema):
    time_limit: float | None = Field(None, description="Seconds (1–600); default: the event's setting.")


class RunOut(Schema):
    id: int
    number: int
    status: str
    solver_status: str
    objective: int | None
    bound: float | None
    gap_pct: float | None
    seconds: float | None
    stats: dict[str, Any]
    greedy_stats: dict[str, Any]
    stages: list[Any]
    violations: list[Any]
    is_valid: bool | None
    error: str
    published: bool

    @staticmethod
    def resolve_published(obj: Any) -> bool:
        return bool(obj.event.published_run_id == obj.pk)


class MeetingOut(Schema):
    id: int
    request_id: int
    requester: str
    target: str
    topic: str
    priority: int
    slot_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    table: str
    interpreter: str | None
    pinned: bool
    held_at: dt.datetime | None

    @staticmethod
    def resolve_requester(obj: Any) -> str:
        return f"{obj.request.requester.user} ({obj.request.requester.city.name})"

    @staticmethod
    def resolve_target(obj: Any) -> str:
        return f"{obj.request.target.user} ({obj.request.target.city.name})"

    @staticmethod
    def resolve_topic(obj: Any) -> str:
        return str(obj.request.topic)

    @staticmethod
    def resolve_priority(obj: Any) -> int:
        return int(obj.request.priority)

    @staticmethod
    def resolve_starts_at(obj: Any) -> dt.datetime:
        return obj.slot.starts_at  # type: ignore[no-any-return]

    @staticmethod
    def resolve_ends_at(obj: Any) -> dt.datetime:
        return obj.slot.ends_at  # type: ignore[no-any-return]

    @staticmethod
    def resolve_table(obj: Any) -> str:
        return str(obj.table.name)

    @staticmethod
    def resolve_interpreter(obj: Any) -> str | None:
        return obj.interpreter.name if obj.interpreter else None


class ScheduleOut(Schema):
    run: RunOut | None
    meetings: list[MeetingOut]


class HeldIn(Schema):
    outcome: str = ""
    open_cooperation: bool = False


class AgendaItemOut(Schema):
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    title: str
    where: str
    with_whom: str
    topic: str
    interpreter: str
    meeting_id: int | None
