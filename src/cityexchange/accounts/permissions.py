"""Who may do what with city teams. Every other app builds its rules on these.

The accounts' own rows have their policies here too (read through `Model.objects.restrict(user)` and
`core.restrict.get_for`, see core/restrict.py): an API token is its owner's alone; a city's team (its roles) and
its invitations are seen by the city's coordinator and the secretariat, and everyone sees their own roles.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from cityexchange.accounts.models import ApiToken, CityRole, Invitation
from cityexchange.core.restrict import EVERYTHING, NOTHING, Policy, signed_in


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


def _coordinated(user: Any) -> Q:
    """Rows of the cities `user` coordinates (every city for the secretariat)."""
    if is_secretariat(user):
        return EVERYTHING
    return Q(city_id__in=user_city_ids(user, roles=(CityRole.Role.COORDINATOR,)))


class ApiTokenPolicy(Policy[ApiToken]):
    model = ApiToken
    not_found = gettext_lazy("There is no such token.")

    def view(self, user: Any) -> Q:
        return Q(user_id=user.pk) if signed_in(user) else NOTHING


class CityRolePolicy(Policy[CityRole]):
    model = CityRole
    not_found = gettext_lazy("There is no such team member.")

    def view(self, user: Any) -> Q:
        return _coordinated(user) | Q(user_id=user.pk) if signed_in(user) else NOTHING


class InvitationPolicy(Policy[Invitation]):
    model = Invitation
    not_found = gettext_lazy("There is no such invitation.")

    def view(self, user: Any) -> Q:
        return _coordinated(user)


POLICIES = (ApiTokenPolicy(), CityRolePolicy(), InvitationPolicy())
