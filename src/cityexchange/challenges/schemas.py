from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class ConstraintsIO(Schema):
    budget: str = ""
    timeframe: str = ""
    conditions: str = ""


class ChallengeIn(Schema):
    language: str = ""
    title: str = ""
    description: str = Field("", description="Markdown.")
    desired_outcome: str = ""
    sectors: list[str] = Field(default_factory=list)
    constraints: ConstraintsIO = Field(default_factory=ConstraintsIO)
    is_public: bool = False


class ChallengeCreateIn(ChallengeIn):
    city_id: int


class ChallengeOut(Schema):
    id: int
    external_id: str
    city_id: int
    city: str
    country: str
    language: str
    title: str
    description: str
    desired_outcome: str
    sectors: list[str]
    constraints: ConstraintsIO
    status: str
    is_public: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class StatusIn(Schema):
    status: str = Field(description="open, in_progress, solved or withdrawn")
