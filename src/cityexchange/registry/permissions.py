"""Who may see and do what in the registry: the policies, read through `Model.objects.restrict(user, action)` and
`core.restrict.get_for(user, Model, pk, action)` (see core/restrict.py). The roles themselves (secretariat,
coordinator, officer) are accounts.permissions.

- Cities and memberships are public reference data. A city's profile is edited by its coordinator (or the
  secretariat); a membership is changed by the secretariat.
- An application is seen by its applicant, by the officers of the city it is for (former ones too: they may have
  applied) and by the secretariat.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core.restrict import EVERYTHING, NOTHING, Policy, signed_in

from .models import City, Membership, MembershipApplication


class CityPolicy(Policy[City]):
    model = City
    actions = ("view", "edit")
    not_found = gettext_lazy("There is no such city.")

    def view(self, user: Any) -> Q:
        return EVERYTHING

    def edit(self, user: Any) -> Q:
        """The city's profile."""
        return EVERYTHING if is_secretariat(user) else Q(pk__in=user_city_ids(user, roles=("coordinator",)))

    def refusal(self, action: str, obj: City) -> str:
        return _("Only the coordinator of %(city)s can edit its profile.") % {"city": obj}


class MembershipPolicy(Policy[Membership]):
    model = Membership
    actions = ("view", "change")
    not_found = gettext_lazy("This city has no membership.")

    def view(self, user: Any) -> Q:
        return EVERYTHING

    def change(self, user: Any) -> Q:
        return EVERYTHING if is_secretariat(user) else NOTHING

    def refusal(self, action: str, obj: Membership) -> str:
        return _("Only the secretariat can change a membership.")


class MembershipApplicationPolicy(Policy[MembershipApplication]):
    model = MembershipApplication
    not_found = gettext_lazy("There is no such application, or you may not see it.")

    def view(self, user: Any) -> Q:
        if is_secretariat(user):
            return EVERYTHING
        if not signed_in(user):
            return NOTHING
        return Q(applicant_id=user.pk) | Q(city_id__in=user_city_ids(user, active_only=False))


POLICIES = (CityPolicy(), MembershipPolicy(), MembershipApplicationPolicy())
