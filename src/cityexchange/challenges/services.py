"""The one write path for challenges."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cityexchange.core.audit import audit
from cityexchange.core.errors import InvalidTransition, require
from cityexchange.practices.reading import Reader, raise_first
from cityexchange.practices.services import check_city
from cityexchange.registry.models import City, Sector

from .document import ChallengeInput, challenge_document, parse_challenge
from .models import Challenge
from .permissions import can_create_for, can_edit
from .signals import send_challenge_changed

S = Challenge.Status
# Which status may follow which: a withdrawn or solved challenge can be reopened.
TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.IN_PROGRESS, S.SOLVED, S.WITHDRAWN},
    S.IN_PROGRESS: {S.OPEN, S.SOLVED, S.WITHDRAWN},
    S.SOLVED: {S.OPEN},
    S.WITHDRAWN: {S.OPEN},
}
FIELDS = ["title", "description", "desired_outcome", "budget", "timeframe", "conditions", "is_public"]


def _input(data: Any) -> ChallengeInput:
    if isinstance(data, ChallengeInput):
        return data
    parsed, errors = parse_challenge(data)
    raise_first(errors)
    assert parsed is not None
    return parsed


def write_content(challenge: Challenge, data: ChallengeInput, *, with_status: bool) -> None:
    for name in FIELDS:
        setattr(challenge, name, getattr(data, name))
    challenge.language_id = data.language
    if with_status:
        challenge.status = data.status
    challenge.save()
    challenge.sectors.set(list(Sector.objects.filter(code__in=data.sectors)))


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@transaction.atomic
def challenge_create(*, actor: Any, city: City, data: Any) -> Challenge:
    require(can_create_for(actor, city.pk), _("Only officers of %(city)s can state its challenges.") % {"city": city})
    check_city(city)
    parsed = _input(data)
    challenge = Challenge(
        city=city,
        external_id=f"cx-{uuid.uuid4().hex[:16]}",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    write_content(challenge, parsed, with_status=False)
    audit(actor, "challenge.create", challenge, after=challenge_document(challenge))
    send_challenge_changed(challenge.pk)
    return challenge


@transaction.atomic
def challenge_update(*, actor: Any, challenge: Challenge, data: Any) -> Challenge:
    challenge = Challenge.objects.select_for_update().select_related("city").get(pk=challenge.pk)
    require(
        can_edit(actor, challenge), _("Only officers of %(city)s can change this challenge.") % {"city": challenge.city}
    )
    parsed = _input(data)
    before = challenge_document(challenge)
    write_content(challenge, parsed, with_status=False)
    changes = _diff(before, challenge_document(challenge))
    if changes:
        audit(
            actor,
            "challenge.update",
            challenge,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
        send_challenge_changed(challenge.pk)
    return challenge


@transaction.atomic
def challenge_set_status(*, actor: Any, challenge: Challenge, status: str) -> Challenge:
    challenge = Challenge.objects.select_for_update().select_related("city").get(pk=challenge.pk)
    require(
        can_edit(actor, challenge), _("Only officers of %(city)s can change this challenge.") % {"city": challenge.city}
    )
    r = Reader({"status": status})
    status = r.choice("status", S.values)
    raise_first(r.errors)
    if status not in TRANSITIONS[challenge.status]:
        raise InvalidTransition(
            _("A challenge that is %(from)s cannot become %(to)s.")
            % {"from": challenge.get_status_display(), "to": S(status).label},
            field="status",
        )
    old = challenge.status
    challenge.status = status
    challenge.save(update_fields=["status", "updated_at"])
    audit(actor, "challenge.set_status", challenge, before={"status": old}, after={"status": status})
    send_challenge_changed(challenge.pk)
    return challenge
