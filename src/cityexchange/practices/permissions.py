"""Who may see and do what with practices: the one policy, read through `Practice.objects.restrict(user, action)`
and `core.restrict.get_for(user, Practice, pk, action)` (see core/restrict.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_officer, is_secretariat, user_city_ids
from cityexchange.core.restrict import EVERYTHING, NOTHING, Policy, allows, signed_in

from .models import Practice


class PracticePolicy(Policy[Practice]):
    """Published practices for everyone; every practice of one's own active member city; everything for the
    secretariat. Officers (and coordinators) of the owning city change it; the secretariat too, so it can correct
    before publishing. Only the secretariat moderates."""

    model = Practice
    actions = ("view", "edit", "moderate")
    not_found = gettext_lazy("There is no such practice, or you may not see it.")

    def view(self, user: Any) -> Q:
        if is_secretariat(user):
            return EVERYTHING
        published = Q(status=Practice.Status.PUBLISHED)
        return published | Q(city_id__in=user_city_ids(user)) if signed_in(user) else published

    def edit(self, user: Any) -> Q:
        return EVERYTHING if is_secretariat(user) else Q(city_id__in=user_city_ids(user))

    def moderate(self, user: Any) -> Q:
        return EVERYTHING if is_secretariat(user) else NOTHING

    def refusal(self, action: str, obj: Practice) -> str:
        if action == "moderate":
            return _("Only the secretariat can review practices.")
        return _("Only officers of %(city)s can change this practice.") % {"city": obj.city}


POLICIES = (PracticePolicy(),)


def can_create_for(user: Any, city_id: int) -> bool:
    return is_secretariat(user) or is_officer(user, city_id)


def can_edit(user: Any, practice: Practice) -> bool:
    return allows(user, practice, "edit")


def can_see_contacts(user: Any) -> bool:
    """A practice's contact person (name, role, e-mail) is for the people who may act on it: officers of an active
    member city and the secretariat. A visitor or a freshly signed-up account without a city sees none."""
    return is_secretariat(user) or user_city_ids(user).exists()


def can_moderate(user: Any) -> bool:
    return is_secretariat(user)
