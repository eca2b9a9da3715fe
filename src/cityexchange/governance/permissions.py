"""Who may do what in the association's governance. Built on accounts.permissions."""

from __future__ import annotations

from typing import Any

from cityexchange.accounts.permissions import is_coordinator, is_officer, is_secretariat, user_city_ids

from .models import Delegation, WorkingGroup


def can_run_votes(user: Any) -> bool:
    """The secretariat opens votes and closes them."""
    return is_secretariat(user)


def represents(user: Any, city_id: int) -> bool:
    """The city's coordinator, or the delegate the coordinator named (still on the city's team).

    Both checks go through `user_city_ids`, so nobody represents a suspended or former member.
    """
    if is_coordinator(user, city_id):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Delegation.objects.filter(city_id=city_id, user_id=user.pk, revoked_at__isnull=True).exists() and is_officer(
        user, city_id
    )


def can_name_delegate(user: Any, city_id: int) -> bool:
    return is_secretariat(user) or is_coordinator(user, city_id)


def can_join_group(user: Any, city_id: int) -> bool:
    """A city joins or leaves a working group by its coordinator (or the secretariat)."""
    return is_secretariat(user) or is_coordinator(user, city_id)


def can_manage_group(user: Any, group: WorkingGroup) -> bool:
    """The chair city's officers run the group's plan and meetings; the secretariat may too."""
    return is_secretariat(user) or bool(group.chair_city_id and is_officer(user, group.chair_city_id))


def can_share_in_group(user: Any, group: WorkingGroup) -> bool:
    """Officers of any city in the group may share a document with it."""
    if can_manage_group(user, group):
        return True
    members = group.members.filter(left_on__isnull=True).values("city_id")
    return user_city_ids(user).filter(city_id__in=members).exists()
