"""The audit log is a hash chain: `cityexchange audit verify` passes on an untouched log and names the first row
that was changed, removed or inserted behind the application's back (issue 14, finding 9)."""

from __future__ import annotations

import io
import itertools
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from cityexchange.core import audit_chain, audit_seal
from cityexchange.core.audit import audit
from cityexchange.core.models import AuditChainHead, AuditEntry
from tests.registry.factories import UserFactory


def _log(n: int) -> list[AuditEntry]:
    """n audited writes, sealed as their commit would (the test's transaction never commits), in chain order."""
    user = UserFactory()
    for i in range(n):
        audit(user, "test.step", user, before={"n": i}, after={"n": i + 1, "é": "ü"})
    assert audit_seal.seal().rows == n
    return list(AuditEntry.objects.order_by("seq"))


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _raw(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_an_untouched_log_verifies_and_each_row_links_to_the_one_before():
    entries = _log(5)
    assert entries[0].prev_hash == "" and all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert f"5 rows, last row {entries[-1].pk}, hash {entries[-1].hash}" in _verify()
    assert audit_chain.head() == (entries[-1].pk, entries[-1].hash)


@pytest.mark.django_db
def test_a_row_edited_with_raw_sql_is_named():
    entries = _log(5)
    _raw("UPDATE core_auditentry SET target_repr = %s WHERE id = %s", ["someone else", entries[2].pk])
    with pytest.raises(CommandError, match=rf"broken at row {entries[2].pk}: its content no longer matches"):
        _verify()


@pytest.mark.django_db
def test_an_edited_row_with_its_hash_recomputed_breaks_the_next_link():
    entries = _log(4)
    row = AuditEntry.objects.get(pk=entries[1].pk)
    row.after = {"n": 99}
    new_hash = audit_chain.hash_of(row)
    _raw("UPDATE core_auditentry SET after = %s, hash = %s WHERE id = %s", ['{"n": 99}', new_hash, row.pk])
    with pytest.raises(CommandError, match=rf"broken at row {entries[2].pk}: it does not link"):
        _verify()


@pytest.mark.django_db
def test_a_deleted_row_and_rows_cut_from_the_end_are_found():
    entries = _log(4)
    _raw("DELETE FROM core_auditentry WHERE id = %s", [entries[3].pk])
    with pytest.raises(CommandError, match=rf"broken at row {entries[3].pk}: the rows up to it are missing"):
        _verify()
    _raw("DELETE FROM core_auditentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=rf"broken at row {entries[2].pk}: it does not link"):
        _verify()


@pytest.mark.django_db
def test_rows_sealed_after_the_head_was_read_are_no_fault_but_a_head_past_the_rows_is():
    """verify reads the head, then the rows: a sealer may add rows in between on a live site."""
    entries = _log(3)
    with connection.cursor() as cursor:
        cursor.execute(audit_chain.ROWS_SQL)
        rows = cursor.fetchall()
    read_earlier = (entries[1].pk, entries[1].hash)
    assert audit_chain.verify_rows(rows, read_earlier).ok
    assert audit_chain.verify_rows(rows[:1], read_earlier).broken == audit_chain.Break(entries[1].pk, "missing")


@pytest.mark.django_db
def test_a_row_inserted_behind_the_applications_back_is_named():
    entries = _log(2)
    _raw(
        "INSERT INTO core_auditentry (seq, at, action, target_type, target_id, target_repr, prev_hash, hash) "
        "VALUES (%s, %s, 'forged', 'x', '1', 'x', '', '')",
        [entries[-1].seq + 1, entries[-1].at],
    )
    forged = AuditEntry.objects.order_by("-id").first()
    with pytest.raises(CommandError, match=rf"broken at row {forged.pk}: it carries no hash link"):
        _verify()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks tables without waiting; on a file, transactions begin IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_chain():
    """Writers in parallel threads (each its own connection and transaction) never link to the same row."""
    user = UserFactory()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(10):
                audit(user, "test.parallel", user, after={"i": i})
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert "40 rows" in _verify()
    links = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(links)) == 40
    assert AuditChainHead.objects.get(pk=1).appends == 40


def _waiting_for_a_lock(pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # activity is read once per transaction otherwise
        cursor.execute("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL checks foreign keys at COMMIT")
@pytest.mark.django_db(transaction=True)
def test_a_writer_never_waits_for_a_row_lock_while_holding_the_chain(kazan):
    """Writer A inserts a row referencing a city, then audits; writer B holds that city's row lock, then audits.
    Were A to hold the chain's lock while its foreign key is checked at COMMIT, A would wait for B's city lock
    while B waits for the chain: a deadlock, one of them refused. Both must commit (the chain is sealed after
    COMMIT now, so neither holds its lock; the general case is in test_audit_sealing)."""
    import time

    from django.db import transaction

    from cityexchange.registry.models import City, CityName

    user = UserFactory()
    b_holds_city, a_started = threading.Event(), threading.Event()
    a_pid: list[int] = []
    errors: list[BaseException] = []

    def writer_a() -> None:
        try:
            b_holds_city.wait(10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    a_pid.append(cursor.fetchone()[0])
                CityName.objects.create(city_id=kazan.pk, key="deadlock-probe")
                a_started.set()
                audit(user, "test.a", user)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            a_started.set()
            connections.close_all()

    def writer_b() -> None:
        try:
            with transaction.atomic():
                City.objects.select_for_update().get(pk=kazan.pk)
                b_holds_city.set()
                a_started.wait(10)
                # Let A reach its wait (for the city row, or for COMMIT's foreign key check): bounded, observed
                # in pg_stat_activity rather than guessed.
                deadline = time.monotonic() + 10
                while a_pid and not _waiting_for_a_lock(a_pid[0]) and time.monotonic() < deadline:
                    time.sleep(0.01)
                audit(user, "test.b", user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer_b), threading.Thread(target=writer_a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"test.a", "test.b"}
    assert "rows" in _verify()
