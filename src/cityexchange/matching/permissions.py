"""Who may see what of the matching engine's own rows: an alert is its subscriber's alone. The policy, read through
`Alert.objects.restrict(user)` and `core.restrict.get_for(user, Alert, pk)` (see core/restrict.py). What the engine
finds is read through the practices' and challenges' policies."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from cityexchange.core.restrict import NOTHING, Policy, signed_in

from .models import Alert


class AlertPolicy(Policy[Alert]):
    model = Alert
    not_found = gettext_lazy("There is no such alert.")

    def view(self, user: Any) -> Q:
        return Q(user_id=user.pk) if signed_in(user) else NOTHING


POLICIES = (AlertPolicy(),)
