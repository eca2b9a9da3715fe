"""Who may do what on the translation desk. Any officer of a member city volunteers; the practice's own city or
the secretariat approves."""

from __future__ import annotations

from typing import Any

from cityexchange.accounts.permissions import is_officer, is_secretariat, user_city_ids


def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_translate(user: Any) -> bool:
    return is_signed_in(user) and user_city_ids(user).exists()


def can_approve(user: Any, item: Any) -> bool:
    """`item`: a practice or a challenge; its own city approves."""
    return is_secretariat(user) or is_officer(user, item.city_id)
