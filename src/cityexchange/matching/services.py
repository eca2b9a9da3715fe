"""The one write path of matching: alerts and feedback."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cityexchange.accounts.permissions import is_officer
from cityexchange.challenges.models import Challenge
from cityexchange.core.audit import audit
from cityexchange.core.errors import InvalidInput, PermissionDenied, require
from cityexchange.practices.models import Practice
from cityexchange.registry.models import City

from .models import Alert, Feedback
from .search import FILTER_KEYS


@transaction.atomic
def alert_create(
    *,
    actor: Any,
    city: City,
    challenge: Challenge | None = None,
    query: str = "",
    filters: dict[str, Any] | None = None,
) -> Alert:
    require(is_officer(actor, city.pk), _("Only officers of %(city)s can subscribe alerts for it.") % {"city": city})
    query = (query or "").strip()
    if challenge is None and not query:
        raise InvalidInput(_("Give a search text or choose a challenge."), field="query")
    if len(query) > 300:
        raise InvalidInput(_("The search text is too long (300 characters at most)."), field="query")
    if challenge is not None and challenge.city_id != city.pk:
        raise PermissionDenied(_("This challenge belongs to another city."))
    filters = filters or {}
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise InvalidInput(_("Unknown filter: %(v)s.") % {"v": ", ".join(sorted(unknown))}, field="filters")
    alert = Alert.objects.create(user=actor, city=city, challenge=challenge, query=query, filters=filters)
    audit(actor, "alert.create", alert, after={"query": query, "challenge": challenge.pk if challenge else None})
    return alert


@transaction.atomic
def alert_delete(*, actor: Any, alert: Alert) -> None:
    require(alert.user_id == actor.pk, _("This alert belongs to someone else."))
    audit(actor, "alert.delete", alert)
    alert.delete()


@transaction.atomic
def feedback_record(
    *,
    actor: Any,
    practice: Practice,
    useful: bool,
    source: str,
    query: str = "",
    challenge: Challenge | None = None,
    rank: int | None = None,
) -> Feedback:
    """Store (or change) a user's verdict on one recommendation or search hit."""
    require(getattr(actor, "is_authenticated", False), _("Sign in to rate recommendations."))
    if source not in Feedback.Source.values:
        raise InvalidInput(_("Unknown source."), field="source")
    if source == Feedback.Source.CHALLENGE and challenge is None:
        raise InvalidInput(_("Name the challenge the recommendation was for."), field="challenge")
    feedback, _created = Feedback.objects.update_or_create(
        user=actor,
        source=source,
        query=(query or "")[:300],
        challenge=challenge,
        practice=practice,
        defaults={"useful": useful, "rank": rank},
    )
    return feedback
