"""The audit chain is sealed after commit: a writer's transaction never holds the chain's lock, so writers that
audit and lock rows in any order never deadlock on it, a rolled-back row never enters the chain, and rows left
unsealed by a process that died between its COMMIT and the sealing are sealed later (core.audit_chain)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.utils import timezone

from cityexchange.core import audit_chain, audit_seal
from cityexchange.core.audit import audit
from cityexchange.core.models import AuditChainHead, AuditEntry
from tests.registry.factories import UserFactory

WAIT = 30.0  # seconds: a bound on every wait, never a pause

threaded = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database is one connection's; SQLite serialises writers anyway",
)


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _run(*targets: Callable[[], None]) -> list[BaseException]:
    """Run each target in a thread of its own (its own connection); the errors they raised."""
    errors: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> None:
        try:
            target()
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert not any(t.is_alive() for t in threads), "a writer is still blocked"
    return errors


def _assert_sealed_once(expected: int) -> None:
    """Every row is in the chain, at one position each, positions 1..n with no gap, and the chain verifies."""
    seqs = sorted(AuditEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, expected + 1))
    assert AuditChainHead.objects.get(pk=1).appends == expected  # no row sealed twice
    assert f"Audit log intact: {expected} rows" in _verify()


@threaded
@pytest.mark.django_db(transaction=True)
def test_auditing_then_locking_a_row_never_deadlocks_with_locking_it_then_auditing(kazan: Any) -> None:
    """T1 audits, then locks the city's row; T2 locks that row, then audits. Were the chain's lock held to COMMIT,
    T1 would hold it waiting for T2's row while T2 waits for it: PostgreSQL would refuse one with a deadlock."""
    from cityexchange.registry.models import City

    user = UserFactory()
    t1_audited, t2_holds_row = threading.Event(), threading.Event()

    def t1() -> None:
        with transaction.atomic():
            audit(user, "test.t1", user)
            t1_audited.set()
            assert t2_holds_row.wait(WAIT)
            City.objects.select_for_update().get(pk=kazan.pk)  # waits for T2's COMMIT

    def t2() -> None:
        with transaction.atomic():
            City.objects.select_for_update().get(pk=kazan.pk)
            t2_holds_row.set()
            assert t1_audited.wait(WAIT)
            audit(user, "test.t2", user)

    assert _run(t1, t2) == []
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"test.t1", "test.t2"}
    _assert_sealed_once(2)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_audit_row_never_enters_the_chain() -> None:
    user = UserFactory()
    audit(user, "test.kept", user)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit(user, "test.undone", user)
        raise RuntimeError("the service failed after auditing")
    audit(user, "test.kept", user)
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == ["test.kept"] * 2
    _assert_sealed_once(2)


@threaded
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_give_one_chain_with_every_committed_row_sealed_once() -> None:
    """8 writers × 20 audited transactions, every fifth of them rolled back, all started together, while the chain
    is verified over and over (rows sealed between its reading of the head and of the rows are no fault)."""
    user = UserFactory()
    start = threading.Barrier(9, timeout=WAIT)
    left, lock, done = [8], threading.Lock(), threading.Event()
    verdicts: list[audit_chain.Verdict] = []

    def writer() -> None:
        start.wait()
        try:
            for i in range(20):
                try:
                    with transaction.atomic():
                        audit(user, "test.parallel", user, after={"i": i})
                        if i % 5 == 4:
                            raise LookupError("rolled back")
                except LookupError:
                    pass
        finally:
            with lock:
                left[0] -= 1
                if not left[0]:
                    done.set()

    def verifier() -> None:
        start.wait()
        while not done.is_set():
            verdicts.append(audit_chain.verify())

    assert _run(*[writer] * 8, verifier) == []
    assert verdicts and all(v.ok for v in verdicts), [v.broken for v in verdicts if not v.ok]
    assert AuditEntry.objects.count() == 8 * 16
    _assert_sealed_once(8 * 16)
    links = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(links)) == len(links)  # no two rows link to the same row


@pytest.mark.django_db(transaction=True)
def test_a_sealer_that_fails_after_commit_costs_the_writer_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's data has committed: a failing sealer is logged, the row waits for the next sealer."""
    from django.db import OperationalError

    def broken(using: str = "default") -> audit_seal.Sealed:
        raise OperationalError("the database went away a moment")

    user = UserFactory()
    monkeypatch.setattr(audit_seal, "seal", broken)
    with transaction.atomic():
        entry = audit(user, "test.unlucky", user)
    audit(user, "test.unlucky", user)  # outside a transaction: the hook runs at once
    monkeypatch.undo()
    assert AuditEntry.objects.get(pk=entry.pk).seq is None and audit_chain.unsealed_count() == 2
    assert "Sealed 2 rows" in _verify()
    _assert_sealed_once(2)


def _left_unsealed(minutes_ago: int) -> AuditEntry:
    """A row as a process leaves it that committed and died before sealing: in the log, not in the chain."""
    return AuditEntry.objects.create(
        at=timezone.now() - timezone.timedelta(minutes=minutes_ago),
        action="test.crashed",
        target_type="x",
        target_id="1",
        target_repr="x",
        after={"n": 1},
    )


@pytest.mark.django_db(transaction=True)
def test_a_row_left_unsealed_by_a_crashed_process_is_sealed_by_verify_and_tampering_is_still_found() -> None:
    user = UserFactory()
    audit(user, "test.before", user)
    crashed = _left_unsealed(minutes_ago=60)
    assert crashed.seq is None and audit_chain.unsealed_count() == 1

    out = _verify()
    assert "Sealed 1 row" in out
    crashed.refresh_from_db()
    assert crashed.seq == 2 and crashed.prev_hash == AuditEntry.objects.get(seq=1).hash
    _assert_sealed_once(2)

    AuditEntry.objects.filter(pk=crashed.pk).update(target_repr="someone else")
    with pytest.raises(CommandError, match=rf"broken at row {crashed.pk}: its content no longer matches"):
        _verify()


@pytest.mark.django_db(transaction=True)
def test_an_old_unsealed_row_is_a_problem_where_it_cannot_be_sealed() -> None:
    """`--no-seal` (a read-only copy) reports rows unsealed past the grace instead of sealing them; a fresh one is
    a commit on its way into the chain."""
    user = UserFactory()
    audit(user, "test.before", user)
    fresh = _left_unsealed(minutes_ago=0)
    assert "1 row not yet sealed" in _verify("--no-seal")
    stale = _left_unsealed(minutes_ago=60)
    with pytest.raises(CommandError, match=rf"broken at row {stale.pk}: it was committed .* but never sealed"):
        _verify("--no-seal")
    assert not audit_chain.verify().ok
    assert "Sealed 2 rows" in _verify()
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.seq, stale.seq) == (2, 3)


@pytest.mark.django_db(transaction=True)
def test_the_sealing_hook_runs_after_commit_and_the_worker_seals_leftovers() -> None:
    user = UserFactory()
    with transaction.atomic():
        entry = audit(user, "test.hook", user)
        assert AuditEntry.objects.get(pk=entry.pk).seq is None  # nothing chained inside the writer's transaction
    assert AuditEntry.objects.get(pk=entry.pk).seq == 1
    _left_unsealed(minutes_ago=60)
    assert audit_seal.seal_leftovers().rows == 1
    assert audit_seal.seal().rows == 0
    _assert_sealed_once(2)


@pytest.mark.django_db(transaction=True)
def test_rows_chained_before_sealing_keep_their_hashes_and_verify_after_the_migration() -> None:
    """The migration numbers the existing chain in id order; no hash changes, so heads kept elsewhere still hold."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("core", "0003_audit_chain")], [("core", "0004_audit_sealed_after_commit")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        old = old_apps.get_model("core", "AuditEntry")
        prev, rows = "", []
        for i in range(3):
            row = old(at=timezone.now(), action="test.old", target_type="x", target_id=str(i), target_repr="x")
            row.prev_hash, row.after = prev, {"n": i, "é": "ü"}
            row.hash = prev = audit_chain.hash_of(row)
            row.save()
            rows.append((row.pk, row.hash))
        old_apps.get_model("core", "AuditChainHead").objects.update_or_create(
            pk=1, defaults={"last_id": rows[-1][0], "last_hash": prev}
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    assert list(AuditEntry.objects.order_by("seq").values_list("id", "hash")) == rows
    assert AuditChainHead.objects.get(pk=1).last_seq == 3
    user = UserFactory()
    audit(user, "test.new", user)  # sealed after them
    assert AuditEntry.objects.get(action="test.new").seq == 4
    assert "Audit log intact: 4 rows" in _verify()
