"""Cooperation rows made directly (insights only reads them): a cooperation between cities at a stage, and a
signed agreement for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cityexchange.cooperation.models import Agreement, Cooperation, Participant, StageEvent


def cooperation(*cities: Any, stage: str = "contact", signed_on: dt.date | None = None) -> Cooperation:
    coop = Cooperation.objects.create(
        title=" × ".join(c.name for c in cities), stage=stage, last_activity_at=timezone.now()
    )
    for city in cities:
        Participant.objects.create(cooperation=coop, city=city)
    if signed_on is not None:
        event = StageEvent.objects.create(
            cooperation=coop, from_stage="contact", to_stage="agreement", occurred_on=signed_on, private_note="secret"
        )
        Agreement.objects.create(
            cooperation=coop,
            event=event,
            kind="memorandum",
            title=f"Agreement {coop.title}",
            signed_on=signed_on,
            signatories=[{"city_id": c.pk, "city": c.name, "name": "Mayor"} for c in cities],
        )
    return coop
