"""Background work of the cooperation pipeline (Django Tasks API).

`expire_contact_requests` and `remind_stalled_cooperations` are periodic: `cityexchange cooperation-housekeeping`
enqueues both (run it from cron once a day). `notify_city` tells a city's team about something that concerns it.

All three may run again after a worker died (cityexchange.core.worker) and are safe to: the periodic ones act only
on what is still due (a request still pending past its expiry, a cooperation not reminded since it stalled) and
record that they acted in the same rows; `notify_city` only reads, so a retry can at worst send its message again.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from cityexchange.accounts.mail import mail_each
from cityexchange.accounts.models import CityRole, User
from cityexchange.registry.models import City

from .models import ContactRequest, Cooperation, StageEvent


def _link(name: str, pk: int) -> str:
    """The page's address in the language active when called (the recipient's, inside `mail_each`)."""
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"pk": pk})


def _mail_team(city_id: int, subject: str, body: str, param: str, link: tuple[str, int]) -> int:
    """Send one message to every active member of the city's team, each in their language. ``subject`` and
    ``body`` are untranslated (gettext_noop) with %(city)s, %(p0)s (``param``) and %(p1)s (the page ``link``, a
    URL name and pk). Returns the count sent."""
    city = City.objects.filter(pk=city_id).first()
    if city is None:
        return 0
    team = User.objects.filter(is_active=True, pk__in=CityRole.objects.filter(city=city).values("user_id"))

    def message(_user: User) -> tuple[str, str]:
        values = {"city": city.name, "p0": param, "p1": _link(*link)}
        return _(subject) % values, _(body) % values

    return mail_each(team.order_by("pk"), message)


@task()
def notify_city(city_id: int, kind: str, object_id: int) -> int:
    if kind in {"contact_request", "contact_accepted", "contact_declined"}:
        req = ContactRequest.objects.select_related("from_city", "to_city").filter(pk=object_id).first()
        if req is None:
            return 0
        link = ("cooperation:contact", req.pk)
        if kind == "contact_request":
            return _mail_team(
                city_id,
                gettext_noop("%(p0)s asks %(city)s for contact"),
                gettext_noop("%(p0)s would like to talk to %(city)s. Answer here: %(p1)s"),
                req.from_city.name,
                link,
            )
        if kind == "contact_accepted":
            return _mail_team(
                city_id,
                gettext_noop("Your request for contact was accepted"),
                gettext_noop("%(p0)s accepted the request of %(city)s; a cooperation is open: %(p1)s"),
                req.to_city.name,
                link,
            )
        return _mail_team(
            city_id,
            gettext_noop("Your request for contact was declined"),
            gettext_noop("%(p0)s declined the request of %(city)s: %(p1)s"),
            req.to_city.name,
            link,
        )
    if kind == "cooperation_moved":
        event = StageEvent.objects.select_related("cooperation", "city").filter(pk=object_id).first()
        if event is None:
            return 0
        return _mail_team(
            city_id,
            gettext_noop("A cooperation of %(city)s has moved"),
            gettext_noop("%(p0)s recorded a new step. See the timeline: %(p1)s"),
            event.city.name if event.city else "",
            ("cooperation:detail", event.cooperation_id),
        )
    return 0


@task()
def expire_contact_requests() -> list[int]:
    """Mark overdue contact requests as expired and tell the asking city. Returns the ids expired."""
    from .services import contact_requests_expire

    ids = contact_requests_expire()
    for req in ContactRequest.objects.filter(pk__in=ids).select_related("to_city"):
        _mail_team(
            req.from_city_id,
            gettext_noop("A request for contact of %(city)s has expired"),
            gettext_noop("%(p0)s did not answer in time. You may ask again: %(p1)s"),
            req.to_city.name,
            ("cooperation:contact", req.pk),
        )
    return ids


@task()
def remind_stalled_cooperations() -> list[int]:
    """Remind every participating city of each stalled cooperation. Returns the ids reminded."""
    from .services import cooperations_remind_stalled

    ids = cooperations_remind_stalled()
    for coop in Cooperation.objects.filter(pk__in=ids).prefetch_related("participants"):
        for participant in coop.participants.all():
            _mail_team(
                participant.city_id,
                gettext_noop("A cooperation of %(city)s is stalled"),
                gettext_noop("Nothing has happened in “%(p0)s” for a while. Record the next step or close it: %(p1)s"),
                coop.title,
                ("cooperation:detail", coop.pk),
            )
    return ids
