"""Who may do what in the cooperation pipeline. Visibility itself lives in the queries (selectors).

- Contact requests: the two cities and the secretariat see them; the asked city answers; the asking city withdraws.
- Cooperations: officers of member cities and the secretariat see all of them; everyone else only those with a
  signed agreement (the public register). Only the participating cities move them.
- Private notes and documents: the participating cities and the secretariat only.
"""

from __future__ import annotations

from typing import Any

from cityexchange.accounts.permissions import is_secretariat, user_city_ids

from .models import ContactRequest, Cooperation, Participant


def is_member_officer(user: Any) -> bool:
    return user_city_ids(user).exists()


def my_city_ids(user: Any) -> set[int]:
    return set(user_city_ids(user).values_list("city_id", flat=True))


def participant_city_ids(cooperation: Cooperation) -> set[int]:
    return set(Participant.objects.filter(cooperation=cooperation).values_list("city_id", flat=True))


def acting_city_ids(user: Any, cooperation: Cooperation) -> list[int]:
    """The participating cities `user` may act for (their own active member cities that take part)."""
    mine = my_city_ids(user)
    return [
        c for c in Participant.objects.filter(cooperation=cooperation).values_list("city_id", flat=True) if c in mine
    ]


def is_participant(user: Any, cooperation: Cooperation) -> bool:
    return bool(acting_city_ids(user, cooperation))


def can_see_private(user: Any, cooperation: Cooperation) -> bool:
    return is_secretariat(user) or is_participant(user, cooperation)


def can_answer(user: Any, request: ContactRequest) -> bool:
    return request.to_city_id in my_city_ids(user)


def can_withdraw(user: Any, request: ContactRequest) -> bool:
    return request.from_city_id in my_city_ids(user)


def can_oversee(user: Any) -> bool:
    return is_secretariat(user)
