"""Alerts: a new or changed published practice is checked against every standing search once.

An alert fires when the practice ranks among the top `ALERT_TOP_K` results of the alert's query (its challenge's
text, or the saved search with its filters). Rank, not a score threshold, because fused scores have no fixed
scale across languages. `AlertHit` is unique per (alert, practice): each alert fires once per practice, however
often the practice is re-indexed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cityexchange.accounts.mail import mail_each
from cityexchange.practices.models import Practice

from . import store
from .documents import practice_key
from .models import Alert, AlertHit

ALERT_TOP_K = 5


def alert_hits(alert: Alert, k: int) -> list:  # type: ignore[type-arg]
    """The alert's current top ``k``: its challenge's stored queries (the original and its approved translations),
    or its saved search."""
    if alert.challenge_id:
        challenge = alert.challenge
        assert challenge is not None
        return [hit for hit, _text in store.challenge_hits(challenge, filters=alert.filters or None, k=k)]
    return store.search_hits(alert.query, filters=alert.filters or None, k=k)


def fire_alerts_for(practice_id: int) -> list[AlertHit]:
    practice = Practice.objects.filter(pk=practice_id, status=Practice.Status.PUBLISHED).select_related("city").first()
    if practice is None:
        return []
    key = practice_key(practice_id)
    fired = []
    alerts = Alert.objects.filter(active=True).exclude(city_id=practice.city_id).exclude(hits__practice_id=practice_id)
    for alert in alerts.select_related("challenge", "user"):
        hits = alert_hits(alert, ALERT_TOP_K)
        match = next((h for h in hits if h.id == key), None)
        if match is None:
            continue
        try:
            with transaction.atomic():
                hit = AlertHit.objects.create(alert=alert, practice=practice, score=match.score)
        except IntegrityError:  # a concurrent task fired it already
            continue
        fired.append(hit)
        send_alert_notice(alert, practice)
    return fired


def send_alert_notice(alert: Alert, practice: Practice) -> None:
    """Mails the alert's owner once the hit is committed (a rolled-back hit tells nobody)."""
    transaction.on_commit(lambda: mail_each([alert.user], lambda _user: alert_mail(alert, practice)))


def alert_mail(alert: Alert, practice: Practice) -> tuple[str, str]:
    """(subject, body) of an alert's notice, in the language active when called (the owner's, in mail_each)."""
    url = settings.SITE_URL + reverse("practices:detail", kwargs={"practice_id": practice.pk})
    subject = _("New practice for your alert: %(title)s") % {"title": practice.title}
    body = _("%(city)s published a practice that matches “%(alert)s”: %(url)s") % {
        "city": practice.city.name,
        "alert": str(alert),
        "url": url,
    }
    return subject, body
