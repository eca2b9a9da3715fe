"""Who may see and do what in the cooperation pipeline: the policies, read through `Model.objects.restrict(user,
action)` and `core.restrict.get_for(user, Model, pk, action)` (see core/restrict.py).

- Contact requests: the two cities and the secretariat see them; the asked city answers; the asking city withdraws.
- Cooperations: officers of member cities and the secretariat see all of them; everyone else only those with a
  signed agreement (the public register). Only the participating cities move them.
- Private notes and documents: the participating cities and the secretariat only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_secretariat, user_city_ids
from cityexchange.core.restrict import EVERYTHING, Policy, allows

from .models import ContactRequest, Cooperation, EvidenceDocument, Participant


def _participating(user: Any) -> Any:
    """Ids of the cooperations one of the user's active member cities takes part in (a subquery)."""
    return Participant.objects.filter(city_id__in=user_city_ids(user)).values("cooperation_id")


class ContactRequestPolicy(Policy[ContactRequest]):
    model = ContactRequest
    actions = ("view", "answer", "withdraw")
    not_found = gettext_lazy("There is no such contact request, or you may not see it.")

    def view(self, user: Any) -> Q:
        if is_secretariat(user):
            return EVERYTHING
        mine = user_city_ids(user)
        return Q(from_city_id__in=mine) | Q(to_city_id__in=mine)

    def answer(self, user: Any) -> Q:
        return Q(to_city_id__in=user_city_ids(user))

    def withdraw(self, user: Any) -> Q:
        return Q(from_city_id__in=user_city_ids(user))

    def refusal(self, action: str, obj: ContactRequest) -> str:
        if action == "answer":
            return _("Only officers of %(city)s can answer this request.") % {"city": obj.to_city}
        return _("Only officers of %(city)s can withdraw this request.") % {"city": obj.from_city}


class CooperationPolicy(Policy[Cooperation]):
    model = Cooperation
    actions = ("view", "move")
    not_found = gettext_lazy("There is no such cooperation, or you may not see it.")

    def view(self, user: Any) -> Q:
        if is_secretariat(user) or is_member_officer(user):
            return EVERYTHING
        return Q(agreement__isnull=False)  # the public register

    def move(self, user: Any) -> Q:
        return Q(pk__in=_participating(user))

    def refusal(self, action: str, obj: Cooperation) -> str:
        return _("Only the cities taking part can change this cooperation.")


class EvidenceDocumentPolicy(Policy[EvidenceDocument]):
    model = EvidenceDocument
    not_found = gettext_lazy("There is no such document, or you may not see it.")

    def view(self, user: Any) -> Q:
        return EVERYTHING if is_secretariat(user) else Q(event__cooperation_id__in=_participating(user))


POLICIES = (ContactRequestPolicy(), CooperationPolicy(), EvidenceDocumentPolicy())


def is_member_officer(user: Any) -> bool:
    return user_city_ids(user).exists()


def my_city_ids(user: Any) -> set[int]:
    return set(user_city_ids(user).values_list("city_id", flat=True))


def participant_city_ids(cooperation: Cooperation) -> set[int]:
    return set(Participant.objects.filter(cooperation=cooperation).values_list("city_id", flat=True))


def acting_city_ids(user: Any, cooperation: Cooperation) -> list[int]:
    """The participating cities `user` may act for (their own active member cities that take part)."""
    mine = my_city_ids(user)
    return [
        c for c in Participant.objects.filter(cooperation=cooperation).values_list("city_id", flat=True) if c in mine
    ]


def is_participant(user: Any, cooperation: Cooperation) -> bool:
    return allows(user, cooperation, "move")


def can_see_private(user: Any, cooperation: Cooperation) -> bool:
    return is_secretariat(user) or is_participant(user, cooperation)


def can_answer(user: Any, request: ContactRequest) -> bool:
    return allows(user, request, "answer")


def can_withdraw(user: Any, request: ContactRequest) -> bool:
    return allows(user, request, "withdraw")


def can_oversee(user: Any) -> bool:
    return is_secretariat(user)
