"""Who may do what with city teams. Every other app builds its rules on these."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cityexchange.accounts.models import CityRole


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_secretariat or user.is_superuser))


def user_city_ids(user: Any, *, roles: tuple[str, ...] | None = None, active_only: bool = True) -> QuerySet:
    """Ids of the cities the user works for (as a subquery). Suspended or ended members act for nobody."""
    if not getattr(user, "is_authenticated", False):
        return CityRole.objects.none().values("city_id")
    qs = CityRole.objects.filter(user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    if active_only:
        qs = qs.filter(city__membership__status="active")
    return qs.values("city_id")


def is_coordinator(user: Any, city_id: int) -> bool:
    return user_city_ids(user, roles=(CityRole.Role.COORDINATOR,)).filter(city_id=city_id).exists()


def is_officer(user: Any, city_id: int) -> bool:
    """Coordinators are officers too: anything an officer may do, the coordinator may."""
    return user_city_ids(user).filter(city_id=city_id).exists()


def can_manage_team(user: Any, city_id: int) -> bool:
    return is_secretariat(user) or is_coordinator(user, city_id)
