from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class BlocStatusOut(Schema):
    code: str
    name: str = Field(validation_alias="label")


class CountryOut(Schema):
    iso2: str
    iso3: str
    name: str = Field(validation_alias="label")
    population: int
    bloc_status: str = Field(validation_alias="bloc_status.code")


class MembershipBrief(Schema):
    status: str
    since: dt.date
    ended_on: dt.date | None


class CityOut(Schema):
    id: int
    geonames_id: int
    name: str
    country: str = Field(validation_alias="country_id")
    country_name: str = Field(validation_alias="country.label")
    region_code: str
    population: int
    latitude: float
    longitude: float
    timezone: str
    membership: MembershipBrief | None = None

    @staticmethod
    def resolve_membership(obj: object) -> object:
        return getattr(obj, "membership", None) if hasattr(obj, "membership") else None


class CityDetailOut(CityOut):
    alternate_names: list[str]
    website: str
    about: str


class CityProfileIn(Schema):
    website: str = ""
    about: str = ""


class MembershipOut(Schema):
    city_id: int
    city: str = Field(validation_alias="city.name")
    country: str = Field(validation_alias="city.country_id")
    status: str
    since: dt.date
    ended_on: dt.date | None
    status_reason: str


class MembershipChangeIn(Schema):
    reason: str = ""


class ApplicationIn(Schema):
    city_id: int
    letter: str
    contact_name: str
    contact_email: str
    contact_phone: str = ""
    priority_sectors: list[str] = Field(default_factory=list, description="Sector codes.")


class ApplicationOut(Schema):
    id: int
    city_id: int
    city: str = Field(validation_alias="city.name")
    country: str = Field(validation_alias="city.country_id")
    status: str
    letter: str
    contact_name: str
    contact_email: str
    priority_sectors: list[str]
    decision_reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_priority_sectors(obj: object) -> list[str]:
        return [s.code for s in obj.priority_sectors.all()]  # type: ignore[attr-defined]


class RejectIn(Schema):
    reason: str


class FiguresOut(Schema):
    member_cities: int
    member_countries: int
    population_governed: int
    world_population: int
    world_share_percent: float


class SectorOut(Schema):
    code: str
    name: str = Field(validation_alias="label")
