"""Who may see and do what with challenges: the one policy, read through `Challenge.objects.restrict(user, action)`
and `core.restrict.get_for(user, Challenge, pk, action)` (see core/restrict.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_officer, is_secretariat, user_city_ids
from cityexchange.core.restrict import EVERYTHING, Policy, allows, signed_in

from .models import Challenge


class ChallengePolicy(Policy[Challenge]):
    """Public challenges for everyone; all of them for officers of active member cities and the secretariat; a
    signed-in user without a member city also sees those of a city they once worked for. Officers of the owning
    city (and the secretariat) change them."""

    model = Challenge
    actions = ("view", "edit")
    not_found = gettext_lazy("There is no such challenge, or you may not see it.")

    def view(self, user: Any) -> Q:
        if is_member(user):
            return EVERYTHING
        public = Q(is_public=True)
        return public | Q(city_id__in=user_city_ids(user, active_only=False)) if signed_in(user) else public

    def edit(self, user: Any) -> Q:
        return EVERYTHING if is_secretariat(user) else Q(city_id__in=user_city_ids(user))

    def refusal(self, action: str, obj: Challenge) -> str:
        return _("Only officers of %(city)s can change this challenge.") % {"city": obj.city}


POLICIES = (ChallengePolicy(),)


def can_create_for(user: Any, city_id: int) -> bool:
    return is_secretariat(user) or is_officer(user, city_id)


def can_edit(user: Any, challenge: Challenge) -> bool:
    return allows(user, challenge, "edit")


def is_member(user: Any) -> bool:
    """Works for an active member city (or is the secretariat): may see members-only challenges."""
    return is_secretariat(user) or user_city_ids(user).exists()
