"""Who may see and do what in the association's governance: the policies, read through
`Model.objects.restrict(user, action)` and `core.restrict.get_for(user, Model, pk, action)` (core/restrict.py).

Documents, bodies, votes, working groups and their meetings are public (what a secret ballot hides is the votes'
selectors' business, not a row filter). A working group is run by its chair city's officers and the secretariat;
officers of any member city of the group share documents with it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityexchange.accounts.permissions import is_coordinator, is_officer, is_secretariat, user_city_ids
from cityexchange.core.restrict import EVERYTHING, Policy, allows

from .models import Body, Delegation, Document, GroupMember, Meeting, Vote, WorkingGroup


class DocumentPolicy(Policy[Document]):
    model = Document
    not_found = gettext_lazy("There is no such document.")

    def view(self, user: Any) -> Q:
        return EVERYTHING


class BodyPolicy(Policy[Body]):
    model = Body
    not_found = gettext_lazy("There is no such body.")

    def view(self, user: Any) -> Q:
        return EVERYTHING


class VotePolicy(Policy[Vote]):
    model = Vote
    not_found = gettext_lazy("There is no such vote.")

    def view(self, user: Any) -> Q:
        return EVERYTHING


def _chaired(user: Any, chair_field: str) -> Q:
    """Rows of the groups `user` runs: chaired by one of their cities (every group for the secretariat)."""
    return EVERYTHING if is_secretariat(user) else Q(**{f"{chair_field}__in": user_city_ids(user)})


class WorkingGroupPolicy(Policy[WorkingGroup]):
    model = WorkingGroup
    actions = ("view", "manage", "share")
    not_found = gettext_lazy("There is no such working group.")

    def view(self, user: Any) -> Q:
        return EVERYTHING

    def manage(self, user: Any) -> Q:
        """The work plan and the meetings."""
        return _chaired(user, "chair_city_id")

    def share(self, user: Any) -> Q:
        """Share a document with the group: those who manage it and officers of its member cities."""
        members = GroupMember.objects.filter(left_on__isnull=True, city_id__in=user_city_ids(user))
        return self.manage(user) | Q(pk__in=members.values("group_id"))

    def refusal(self, action: str, obj: WorkingGroup) -> str:
        if action == "share":
            return _("Only cities of the group can share documents with it.")
        return _("Only the chair city can change the work plan.")


class MeetingPolicy(Policy[Meeting]):
    """A working group's meeting: public; its chair city records the minutes."""

    model = Meeting
    actions = ("view", "manage")
    not_found = gettext_lazy("There is no such meeting.")

    def view(self, user: Any) -> Q:
        return EVERYTHING

    def manage(self, user: Any) -> Q:
        return _chaired(user, "group__chair_city_id")

    def refusal(self, action: str, obj: Meeting) -> str:
        return _("Only the chair city can record the minutes.")


POLICIES = (DocumentPolicy(), BodyPolicy(), VotePolicy(), WorkingGroupPolicy(), MeetingPolicy())


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
    return allows(user, group, "manage")


def can_share_in_group(user: Any, group: WorkingGroup) -> bool:
    """Officers of any city in the group may share a document with it."""
    return allows(user, group, "share")
