from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from cityexchange.accounts.models import CityRole, User
from cityexchange.registry.models import City, CityName, Membership
from cityexchange.registry.reference import name_keys

PASSWORD = "a-strong-test-password"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password(PASSWORD)


class CityFactory(DjangoModelFactory):
    class Meta:
        model = City
        skip_postgeneration_save = True

    geonames_id = factory.Sequence(lambda n: 9_000_000 + n)
    name = factory.Sequence(lambda n: f"Town {n}")
    country_id = "RU"
    population = 250_000
    latitude = 50.0
    longitude = 40.0
    timezone = "Europe/Moscow"
    alternate_names: Any = factory.LazyFunction(list)

    @factory.post_generation
    def search_names(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            CityName.objects.bulk_create(CityName(city=self, key=k) for k in name_keys(self.name, self.alternate_names))


class MemberCityFactory(CityFactory):
    @factory.post_generation
    def membership(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Membership.objects.create(
                city=self, status=extracted or Membership.Status.ACTIVE, since=dt.date(2025, 9, 1)
            )


class CityRoleFactory(DjangoModelFactory):
    class Meta:
        model = CityRole

    user = factory.SubFactory(UserFactory)
    city = factory.SubFactory(MemberCityFactory)
    role = CityRole.Role.OFFICER
