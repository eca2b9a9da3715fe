"""Background work of the forum (Django Tasks API): building a schedule, telling delegates about it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from cityexchange.accounts.mail import mail_each
from cityexchange.core import locale_format
from cityexchange.core.locale_names import time_zone_name

from .models import Event, Registration, ScheduleRun

if TYPE_CHECKING:  # at run time the selectors are imported where used, as in `_agenda_mail`
    from .selectors import AgendaItem


@task(takes_context=True)
def build_schedule(context: TaskContext, run_id: int) -> None:
    """Idempotent: `run_build` claims the run (QUEUED → RUNNING) and does nothing for a run that is not queued, so
    a duplicate never solves twice. A retry after the worker died mid-build (a later attempt of this task) finds
    the run it left RUNNING: it is queued again first, and solved from the start (nothing was stored)."""
    from .scheduler import run_build

    if context.attempt > 1:
        ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.RUNNING).update(
            status=ScheduleRun.Status.QUEUED
        )
    run_build(run_id)


def _agenda_mail(reg: Registration, first: bool) -> tuple[str, str]:
    """A delegate's agenda as (subject, body), in the language active when called."""
    from .selectors import agenda_for

    event = reg.event
    link = settings.SITE_URL.rstrip("/") + reverse("forum:agenda", kwargs={"slug": event.slug})
    subject = (
        _("Your meeting schedule for %(event)s is published")
        if first
        else _("Your meeting schedule for %(event)s has changed")
    ) % {"event": event.name}
    zone = event.timezone or "UTC"
    # The recipient's own zone (from their account) is added to each line where its clock differs.
    token = locale_format.set_reader_zone(reg.user.time_zone)
    try:
        lines = [_agenda_line(item, zone) for item in agenda_for(reg)]
    finally:
        locale_format.reset_reader_zone(token)
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": reg.user},
            "",
            _("Your agenda (times in %(tz)s):") % {"tz": f"{time_zone_name(zone)} ({zone})"},
            *(lines or [_("No meetings are scheduled for you yet.")]),
            "",
            _("See it, print it or add it to your calendar: %(link)s") % {"link": link},
        ]
    )
    return subject, body


def _agenda_line(item: AgendaItem, zone: str) -> str:
    """One meeting or session: weekday, day and hours in the event's zone as the recipient's language writes them
    ("чт, 5 мар. 09:00–09:30", not "Thu 05 Mar"), their own time after it when they chose another zone."""
    when = locale_format.day_and_times(item.starts_at, item.ends_at, zone)
    mine = locale_format.times_in_reader_zone(item.starts_at, item.ends_at, shown=zone)
    return "  ".join(part for part in (f"{when} ({mine})" if mine else when, item.title, item.where) if part)


@task()
def send_schedule_notices(event_id: int, registration_ids: list[int], first: bool) -> int:
    """E-mail each delegate their agenda: all approved delegates on first publication, afterwards only those whose
    meetings changed. Returns the number of messages sent.

    Idempotent in effect (it only reads): a retry after the worker died mid-way sends the agenda again to those
    already mailed — at most once more per death, which beats a delegate never getting it."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    regs = Registration.objects.filter(
        pk__in=registration_ids, event=event, status=Registration.Status.APPROVED
    ).select_related("user", "city", "event", "delegation")
    # One registration per person and event (a constraint), so the user finds their registration.
    by_user = {reg.user_id: reg for reg in regs}
    return mail_each([reg.user for reg in by_user.values()], lambda user: _agenda_mail(by_user[user.pk], first))
