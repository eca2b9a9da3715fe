"""Expiry and stalled reminders, run through the configured task backend (immediate) and the database backend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus

from cityexchange.cooperation.models import ContactRequest, Cooperation
from cityexchange.cooperation.tasks import expire_contact_requests, remind_stalled_cooperations
from cityexchange.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _age(coop, days):
    Cooperation.objects.filter(pk=coop.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=days))


def test_overdue_requests_expire_and_the_asking_city_is_told(contact_request, kazan_officer):
    fresh = ContactRequest.objects.get(pk=contact_request.pk)
    result = expire_contact_requests.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == []
    ContactRequest.objects.filter(pk=fresh.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    mail.outbox.clear()
    result = expire_contact_requests.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == [fresh.pk]
    assert ContactRequest.objects.get(pk=fresh.pk).status == "expired"
    assert [m.to for m in mail.outbox] == [[kazan_officer.email]]
    assert AuditEntry.objects.filter(action="contact_request.expire").count() == 1
    assert expire_contact_requests.enqueue().return_value == []  # nothing twice


def test_expiry_days_come_from_settings(settings, kazan_officer, practice):
    from cityexchange.cooperation import services

    settings.COOPERATION_REQUEST_EXPIRY_DAYS = 2
    req = services.contact_request_create(actor=kazan_officer, practice=practice, message="Hi")
    assert req.expires_at - req.created_at < dt.timedelta(days=2, minutes=1)


def test_stalled_cooperation_reminds_both_sides_once_per_period(
    settings, cooperation, kazan_officer, sao_paulo_officer, kazan_coordinator
):
    settings.COOPERATION_STALLED_DAYS = 30
    _age(cooperation, 29)
    assert remind_stalled_cooperations.enqueue().return_value == []
    _age(cooperation, 31)
    mail.outbox.clear()
    result = remind_stalled_cooperations.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == [cooperation.pk]
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([kazan_officer.email, kazan_coordinator.email, sao_paulo_officer.email])
    assert all("stalled" in m.subject for m in mail.outbox)
    assert remind_stalled_cooperations.enqueue().return_value == []  # already reminded in this period
    Cooperation.objects.filter(pk=cooperation.pk).update(last_reminder_at=timezone.now() - dt.timedelta(days=31))
    assert remind_stalled_cooperations.enqueue().return_value == [cooperation.pk]


def test_finished_cooperations_are_never_stalled(settings, cooperation, kazan_officer):
    from tests.cooperation.factories import walk

    walk(cooperation, kazan_officer, "closed")
    _age(cooperation, 1000)
    assert remind_stalled_cooperations.enqueue().return_value == []


def test_housekeeping_command_runs_both(contact_request, cooperation, settings):
    settings.COOPERATION_STALLED_DAYS = 10
    req = contact_request
    ContactRequest.objects.filter(pk=req.pk).update(status="pending", expires_at=timezone.now())
    _age(cooperation, 11)
    call_command("cooperation-housekeeping")
    # The accepted request is not pending any more; the stalled cooperation got its reminder.
    assert Cooperation.objects.get(pk=cooperation.pk).last_reminder_at is not None


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after each task (PostgreSQL)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_the_database_backend_a_worker_runs_them(contact_request, cooperation, settings):
    from django_tasks_db.models import DBTaskResult

    settings.COOPERATION_STALLED_DAYS = 10
    _age(cooperation, 11)
    call_command("cooperation-housekeeping")
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    assert Cooperation.objects.get(pk=cooperation.pk).last_reminder_at is None  # not run yet
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Cooperation.objects.get(pk=cooperation.pk).last_reminder_at is not None
