"""Who may do what with practices. Visibility itself lives in the queries (selectors)."""

from __future__ import annotations

from typing import Any

from cityexchange.accounts.permissions import is_officer, is_secretariat, user_city_ids

from .models import Practice


def can_create_for(user: Any, city_id: int) -> bool:
    return is_secretariat(user) or is_officer(user, city_id)


def can_edit(user: Any, practice: Practice) -> bool:
    """Officers (and coordinators) of the owning city; the secretariat too, so it can correct before publishing."""
    return is_secretariat(user) or is_officer(user, practice.city_id)


def can_see_contacts(user: Any) -> bool:
    """A practice's contact person (name, role, e-mail) is for the people who may act on it: officers of an active
    member city and the secretariat. A visitor or a freshly signed-up account without a city sees none."""
    return is_secretariat(user) or user_city_ids(user).exists()


def can_moderate(user: Any) -> bool:
    return is_secretariat(user)
