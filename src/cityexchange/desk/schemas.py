"""Shapes of the desk's API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class LanguagesIn(Schema):
    languages: list[str] = Field(default_factory=list, max_length=50, description="Language codes (ISO 639-1).")


class LanguagesOut(Schema):
    languages: list[str]


class RequestIn(Schema):
    practice_id: int | None = Field(None, description="The practice wanted (or give challenge_id).")
    challenge_id: int | None = Field(None, description="The challenge wanted (or give practice_id).")
    contact_request_id: int | None = Field(
        None, description="A contact message of your city's (sent or received) wanted instead."
    )
    language: str = Field(description="The language wanted (ISO 639-1), not the original's.")


class RequestOut(Schema):
    practice_id: int | None
    challenge_id: int | None
    contact_request_id: int | None
    language: str
    readers: int = Field(description="Readers waiting for this translation, this one included.")


class WantedOut(Schema):
    kind: str = Field(description="practice, challenge or contact_request (listed to its two cities only)")
    practice_id: int | None
    challenge_id: int | None
    contact_request_id: int | None
    title: str
    city: str
    original_language: str
    language: str
    readers: int
    waiting_version_id: int | None = Field(description="A translation waiting for approval, if any.")
    out_of_date: bool = Field(description="An approved translation exists but the original changed since.")


class TranslationIn(Schema):
    practice_id: int | None = Field(None, description="The practice translated (or give challenge_id).")
    challenge_id: int | None = Field(None, description="The challenge translated (or give practice_id).")
    contact_request_id: int | None = Field(None, description="The contact message translated.")
    language: str
    title: str = ""
    summary: str = Field("", description="A practice's texts: summary, problem, solution, results_text.")
    problem: str = ""
    solution: str = ""
    results_text: str = ""
    description: str = Field("", description="A challenge's texts: description, desired_outcome.")
    desired_outcome: str = ""
    message: str = Field("", description="A contact message's text.")
    indicator_names: list[str] = Field(
        default_factory=list, description="A practice's: one name per indicator, in their order."
    )
    city_id: int | None = Field(None, description="The city you translate for (by default your first).")


class ReturnIn(Schema):
    note: str = ""


class VersionOut(Schema):
    id: int
    practice_id: int | None
    challenge_id: int | None
    contact_request_id: int | None
    language: str
    number: int
    status: str
    city: str
    title: str
    summary: str
    problem: str
    solution: str
    results_text: str
    description: str
    desired_outcome: str
    message: str
    indicator_names: list[str]
    note: str
    created_at: dt.datetime
    reviewed_at: dt.datetime | None
