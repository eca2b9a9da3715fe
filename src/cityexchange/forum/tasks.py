"""Background work of the forum (Django Tasks API): building a schedule, telling delegates about it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import TaskContext, task

from cityexchange.accounts.mail import mail_each

from .models import Event, Registration, ScheduleRun


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
    lines = [
        f"{item.starts_at.astimezone(event.tz):%a %d %b %H:%M}–{item.ends_at.astimezone(event.tz):%H:%M}  "
        f"{item.title}  {item.where}"
        for item in agenda_for(reg)
    ]
    body = "\n".join(
        [
            _("Dear %(name)s,") % {"name": reg.user},
            "",
            _("Your agenda (times in %(tz)s):") % {"tz": event.timezone},
            *(lines or [_("No meetings are scheduled for you yet.")]),
            "",
            _("See it, print it or add it to your calendar: %(link)s") % {"link": link},
        ]
    )
    return subject, body


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
