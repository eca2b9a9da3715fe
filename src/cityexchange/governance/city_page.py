"""The governance section of a city's page: its seats on the association's bodies, its working groups and, for its
coordinator, the link to name a delegate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cityexchange.registry.models import City

from .models import GroupMember, Seat
from .permissions import can_name_delegate
from .selectors import delegate_of


def section(request: HttpRequest, city: City) -> dict[str, Any] | None:
    today = timezone.localdate()
    seats = list(
        Seat.objects.filter(city=city, start_on__lte=today)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
        .select_related("body")
    )
    groups = list(GroupMember.objects.filter(city=city, left_on__isnull=True).select_related("group"))
    can_delegate = can_name_delegate(request.user, city.pk)
    if not (seats or groups or can_delegate):
        return None
    return {
        "template": "governance/_city_section.html",
        "seats": seats,
        "groups": groups,
        "can_delegate": can_delegate,
        "delegate": delegate_of(city) if can_delegate else None,
        "city": city,
    }
