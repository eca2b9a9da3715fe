"""A stage cannot be dated before the stage the cooperation is at (a study visit before the contact), and the
timeline lists its entries in date order, entries of one day in the order they were recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from cityexchange.cooperation import selectors, services
from cityexchange.cooperation.models import Cooperation, StageEvent
from cityexchange.cooperation.stages import Context, Evidence, check_move
from cityexchange.core.errors import InvalidInput, PermissionDenied
from tests.cooperation.factories import evidence_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def state(coop):
    coop = Cooperation.objects.get(pk=coop.pk)
    return coop.stage, list(coop.events.values_list("pk", flat=True))


def contact_on(coop):
    return coop.events.get(to_stage="contact").occurred_on


def test_a_study_visit_dated_before_the_contact_is_refused_naming_the_field(cooperation, kazan_officer):
    assert contact_on(cooperation) == days_ago(7)  # the fixture's contact took place a week ago
    before = state(cooperation)
    with translation.override("en"), pytest.raises(InvalidInput) as err:
        services.cooperation_move(
            actor=kazan_officer,
            cooperation=cooperation,
            to_stage="study_visit",
            evidence=evidence_for("study_visit", cooperation, occurred_on=days_ago(8)),
        )
    assert err.value.field == "occurred_on"
    assert "Contact" in err.value.message and "cannot be before" in err.value.message
    assert state(cooperation) == before
    # The same day as the contact is fine.
    services.cooperation_move(
        actor=kazan_officer,
        cooperation=cooperation,
        to_stage="study_visit",
        evidence=evidence_for("study_visit", cooperation, occurred_on=days_ago(7)),
    )
    assert Cooperation.objects.get(pk=cooperation.pk).stage == "study_visit"


def test_each_later_stage_is_checked_against_the_one_before(cooperation, kazan_officer):
    services.cooperation_move(
        actor=kazan_officer,
        cooperation=cooperation,
        to_stage="study_visit",
        evidence=evidence_for("study_visit", cooperation, occurred_on=days_ago(3)),
    )
    with pytest.raises(InvalidInput) as err:  # after the contact, but before the study visit
        services.cooperation_move(
            actor=kazan_officer,
            cooperation=cooperation,
            to_stage="agreement",
            evidence=evidence_for("agreement", cooperation, occurred_on=days_ago(5)),
        )
    assert err.value.field == "occurred_on"
    assert Cooperation.objects.get(pk=cooperation.pk).stage == "study_visit"


def test_the_page_shows_the_refusal_next_to_the_date(client, cooperation, kazan_officer):
    client.force_login(kazan_officer)
    r = client.post(
        f"/en/cooperation/{cooperation.pk}/move/study_visit/", {"occurred_on": days_ago(30).isoformat(), "note": "x"}
    )
    assert r.status_code == 422 and 'data-field="occurred_on"' in r.content.decode()
    assert Cooperation.objects.get(pk=cooperation.pk).stage == "contact"


def test_the_api_refuses_with_422_naming_the_field(client, cooperation, kazan_officer):
    client.force_login(kazan_officer)
    r = client.post(
        f"/api/v1/cooperation/cooperations/{cooperation.pk}/moves",
        data={"to_stage": "study_visit", "occurred_on": days_ago(30).isoformat(), "note": "x"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["field"] == "occurred_on"


def test_another_citys_officer_is_refused_before_any_date_check(cooperation, stranger):
    before = state(cooperation)
    with pytest.raises(PermissionDenied):
        services.cooperation_move(
            actor=stranger,
            cooperation=cooperation,
            to_stage="study_visit",
            evidence=evidence_for("study_visit", cooperation, occurred_on=days_ago(1)),
        )
    assert state(cooperation) == before


def test_the_pure_check_names_the_previous_stage_and_its_date():
    ctx = Context(
        today=dt.date(2026, 5, 20), city_ids={1, 2}, previous_stage="contact", previous_on=dt.date(2026, 5, 10)
    )
    with translation.override("en"):
        (problem,) = check_move("contact", "study_visit", Evidence(occurred_on=dt.date(2026, 5, 9), note="x"), ctx)
    assert problem.field == "occurred_on" and "May 10, 2026" in problem.message and "Contact" in problem.message
    assert check_move("contact", "study_visit", Evidence(occurred_on=dt.date(2026, 5, 10), note="x"), ctx) == []


def test_the_timeline_is_in_date_order_then_by_recording(cooperation, kazan_officer, sao_paulo_officer):
    # Notes may tell of earlier days: recorded last, listed where their date puts them.
    late = services.cooperation_add_note(
        actor=kazan_officer, cooperation=cooperation, note="Call", occurred_on=days_ago(2)
    )
    early = services.cooperation_add_note(
        actor=sao_paulo_officer, cooperation=cooperation, note="First e-mails", occurred_on=days_ago(20)
    )
    same_day = services.cooperation_add_note(
        actor=kazan_officer, cooperation=cooperation, note="Second call", occurred_on=days_ago(2)
    )
    entries = [e.event for e in selectors.timeline(kazan_officer, cooperation)]
    dates = [e.occurred_on for e in entries]
    assert dates == sorted(dates)
    assert entries[0].pk == early.pk
    assert [e.pk for e in entries if e.occurred_on == days_ago(2)] == [late.pk, same_day.pk]
    assert StageEvent.objects.filter(cooperation=cooperation).order_by("id").first().pk != early.pk
