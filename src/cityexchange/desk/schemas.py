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
    practice_id: int
    language: str = Field(description="The language wanted (ISO 639-1), not the practice's own.")


class RequestOut(Schema):
    practice_id: int
    language: str
    readers: int = Field(description="Readers waiting for this translation, this one included.")


class WantedOut(Schema):
    practice_id: int
    title: str
    city: str
    original_language: str
    language: str
    readers: int
    waiting_version_id: int | None = Field(description="A translation waiting for approval, if any.")
    out_of_date: bool = Field(description="An approved translation exists but the original changed since.")


class TranslationIn(Schema):
    practice_id: int
    language: str
    title: str = ""
    summary: str = ""
    problem: str = ""
    solution: str = ""
    results_text: str = ""
    indicator_names: list[str] = Field(default_factory=list, description="One name per indicator, in their order.")
    city_id: int | None = Field(None, description="The city you translate for (by default your first).")


class ReturnIn(Schema):
    note: str = ""


class VersionOut(Schema):
    id: int
    practice_id: int
    language: str
    number: int
    status: str
    city: str
    title: str
    summary: str
    problem: str
    solution: str
    results_text: str
    indicator_names: list[str]
    note: str
    created_at: dt.datetime
    reviewed_at: dt.datetime | None
