"""API shapes. Inputs mirror the import format; `document.parse_practice` does the validation."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class IndicatorIO(Schema):
    name: str = ""
    baseline: float | None = None
    achieved: float | None = None
    unit: str = ""
    year: int | None = None


class TransferConditionsIO(Schema):
    min_population: int | None = None
    max_population: int | None = None
    climates: list[str] = Field(default_factory=list, description="tropical, arid, temperate, continental, polar")
    budget_note: str = ""
    prerequisites: str = ""


class ContactIO(Schema):
    name: str = ""
    email: str = ""
    role: str = ""


class PracticeIn(Schema):
    language: str = Field("", description="ISO 639-1 code of the language it is written in.")
    title: str = ""
    summary: str = ""
    problem: str = Field("", description="Markdown.")
    solution: str = Field("", description="Markdown.")
    results_text: str = Field("", description="Markdown.")
    indicators: list[IndicatorIO] = Field(default_factory=list)
    cost_band: str = Field(
        "",
        description="under-100k, 100k-1m, 1m-10m or over-10m, in the practice's currency; must contain cost_amount. "
        "Empty: derived from cost_amount.",
    )
    currency: str = "USD"
    cost_amount: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    maturity: str = Field("", description="idea, pilot, operational or scaled")
    transfer_conditions: TransferConditionsIO = Field(default_factory=TransferConditionsIO)
    sectors: list[str] = Field(default_factory=list, description="Sector codes (GET /api/v1/sectors).")
    sdgs: list[int] = Field(default_factory=list, description="UN SDG numbers, 1–17.")
    partners: list[str] = Field(default_factory=list)
    contact: ContactIO = Field(default_factory=ContactIO)
    links: list[str] = Field(default_factory=list)


class PracticeCreateIn(PracticeIn):
    city_id: int


class TranslationOut(Schema):
    language: str
    title: str
    summary: str
    human_translation: bool = True


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    url: str


class PracticeBrief(Schema):
    id: int
    external_id: str
    title: str
    summary: str
    language: str
    city_id: int
    city: str
    country: str
    status: str
    maturity: str
    sectors: list[str]
    sdgs: list[int]
    published_at: dt.datetime | None
    updated_at: dt.datetime


class PracticeOut(PracticeBrief):
    problem: str
    solution: str
    results_text: str
    indicators: list[IndicatorIO]
    cost_band: str
    currency: str
    cost_amount: int | None
    period_start: int | None
    period_end: int | None
    transfer_conditions: TransferConditionsIO
    partners: list[str]
    contact: ContactIO | None = Field(
        None, description="The contact person: only for officers of member cities and the secretariat, null otherwise."
    )
    links: list[str]
    translations: list[TranslationOut]
    attachments: list[AttachmentOut]
    review_comment: str
    submitted_at: dt.datetime | None
    created_at: dt.datetime


class ReturnIn(Schema):
    comment: str


class TranslationIn(Schema):
    title: str = ""
    summary: str = ""


class VersionOut(Schema):
    number: int
    at: dt.datetime
    actor: str | None
    action: str
    changes: dict[str, list[object]]


class FacetOut(Schema):
    value: str
    label: str
    count: int


class FacetsOut(Schema):
    sector: list[FacetOut]
    country: list[FacetOut]
    maturity: list[FacetOut]
    language: list[FacetOut]
    sdg: list[FacetOut]
    cost_band: list[FacetOut]


class DashboardOut(Schema):
    city_id: int
    city: str
    counts: dict[str, int]
    practices: list[PracticeBrief]
    challenges: list[dict[str, object]]
