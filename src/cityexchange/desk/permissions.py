"""Who may see and do what on the translation desk. Any officer of a member city volunteers; the practice's own city
or the secretariat approves. A version is seen by its translator, the practice's (or challenge's) own city and the
secretariat: the policy, read through `TranslationVersion.objects.restrict(user)` and `core.restrict.get_for`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core.restrict import EVERYTHING, NOTHING, Policy, allows, signed_in

from .models import TranslationVersion
from .subjects import kinds, listed_for


class TranslationVersionPolicy(Policy[TranslationVersion]):
    model = TranslationVersion
    actions = ("view", "review")
    not_found = gettext_lazy("There is no such translation, or you may not see it.")

    def view(self, user: Any) -> Q:
        if is_secretariat(user):
            return EVERYTHING
        if not signed_in(user):
            return NOTHING
        # A translator keeps seeing their versions, unless of a private message they may no longer read.
        return (Q(translator_id=user.pk) & listed_for(user)) | self.review(user)

    def review(self, user: Any) -> Q:
        """Approve or send back: the city that wrote the item (a practice's, a challenge's, a message's sender),
        and the secretariat."""
        if is_secretariat(user):
            return EVERYTHING
        rows = NOTHING
        for kind in kinds():
            rows |= kind.reviewed_by(user)
        return rows

    def refusal(self, action: str, obj: TranslationVersion) -> str:
        return _("Only officers of %(city)s or the secretariat can review translations of this.") % {
            "city": obj.item.city.name
        }


POLICIES = (TranslationVersionPolicy(),)


def is_signed_in(user: Any) -> bool:
    return signed_in(user)


def can_translate(user: Any) -> bool:
    return is_signed_in(user) and user_city_ids(user).exists()


def can_approve(user: Any, item: Any) -> bool:
    """`item`: a practice or a challenge; those who may change it (its own city, the secretariat) approve."""
    return allows(user, item, "edit")
