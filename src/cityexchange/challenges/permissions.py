"""Who may do what with challenges. Visibility itself lives in the queries (selectors)."""

from __future__ import annotations

from typing import Any

from cityexchange.accounts.permissions import is_officer, is_secretariat, user_city_ids

from .models import Challenge


def can_create_for(user: Any, city_id: int) -> bool:
    return is_secretariat(user) or is_officer(user, city_id)


def can_edit(user: Any, challenge: Challenge) -> bool:
    return is_secretariat(user) or is_officer(user, challenge.city_id)


def is_member(user: Any) -> bool:
    """Works for an active member city (or is the secretariat): may see members-only challenges."""
    return is_secretariat(user) or user_city_ids(user).exists()
