"""The small world the generic leak test walks: one owning city (Kazan) with, for every guarded model, a row that
must stay hidden from outsiders and, where the model has them, a public row; another member city (São Paulo) whose
people are the outsiders; and one person in each role. A new policy needs a builder here (`BUILDERS`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from cityexchange.challenges.models import Challenge
from cityexchange.practices.models import Practice
from tests.challenges.factories import ChallengeFactory
from tests.practices.factories import PracticeFactory
from tests.registry.factories import CityRoleFactory, MemberCityFactory, UserFactory

ROLES = ("anonymous", "no_city", "other_officer", "other_coordinator", "owner_officer", "secretariat")


@dataclass
class People:
    owner: Any  # the city that owns every row of the world
    other: Any  # another member city
    users: dict[str, Any]  # role -> user

    def __getattr__(self, role: str) -> Any:
        try:
            return self.__dict__["users"][role]
        except KeyError as exc:
            raise AttributeError(role) from exc


def people() -> People:
    owner = MemberCityFactory(name="Kazan", country_id="RU")
    other = MemberCityFactory(name="São Paulo", country_id="BR")
    users = {
        "anonymous": AnonymousUser(),
        "no_city": UserFactory(),
        "other_officer": CityRoleFactory(city=other, role="officer").user,
        "other_coordinator": CityRoleFactory(city=other, role="coordinator").user,
        "owner_officer": CityRoleFactory(city=owner, role="officer").user,
        "secretariat": UserFactory(is_secretariat=True),
    }
    return People(owner=owner, other=other, users=users)


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


BUILDERS: dict[type[Model], Callable[[People], Rows]] = {
    Practice: practices,
    Challenge: challenges,
}
