"""`cityexchange backup` and `cityexchange restore` (issue 14, finding 8): a populated site is backed up, restored
elsewhere (another SQLite file; on PostgreSQL another database) by the real command, and compared table by table,
on its audit log and on a few searches run by the application against the restored copy.

On PostgreSQL the data must be committed for pg_dump to see it, hence transactional tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from cityexchange.core import audit_chain, backup
from cityexchange.governance import services as governance
from cityexchange.practices import services as practices
from tests.governance.factories import assembly_with, option
from tests.practices.factories import practice_doc

pytestmark = pytest.mark.django_db(transaction=True)
CLI = str(Path(sys.executable).parent / "cityexchange")

# Run by the application on each side: in this process against the live database, and by `cityexchange shell`
# against the restored one. Text searches through the ORM, the public practice list, the recorded vote result.
SEARCHES = """
import json
from django.contrib.auth.models import AnonymousUser
from cityexchange.core.models import AuditEntry
from cityexchange.practices.models import Practice
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.models import City, Country

def searches():
    return {
        "rain": sorted(Practice.objects.filter(title__icontains="rain").values_list("title", flat=True)),
        "public": sorted(practices_visible_to(AnonymousUser()).values_list("external_id", flat=True)),
        "cities": sorted(City.objects.filter(name__startswith="S").values_list("name", flat=True)),
        "countries": Country.objects.filter(iso2__in=["BR", "RU", "CN", "IN"]).count(),
        "results": list(AuditEntry.objects.filter(action="vote.result").values_list("hash", flat=True)),
        "attachments": sorted(
            (a.original_name, a.file.size)
            for a in Practice.objects.get(title__startswith="Rainwater").attachments.all()
        ),
    }
"""


@pytest.fixture
def site(settings: Any, tmp_path: Path, secretariat, kazan, sao_paulo, kazan_officer, kazan_coordinator) -> Any:
    """A small but whole site: reference data, two member cities, published practices with an attachment, a secret
    vote counted; all through the services, so the audit log has its chain."""
    settings.MEDIA_ROOT = tmp_path / "media"
    titles = ["Rainwater harvesting in schools", "Bus rapid transit lanes", "Waste sorting at source"]
    for title in titles:
        p = practices.practice_create(actor=kazan_officer, city=kazan, data=practice_doc(title=title))
        practices.practice_submit(actor=kazan_officer, practice=p)
        practices.practice_publish(actor=secretariat, practice=p)
        if title.startswith("Rain"):
            upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"x" * 5000, content_type="application/pdf")
            practices.practice_add_attachment(actor=kazan_officer, practice=p, upload=upload)
    practices.practice_create(actor=kazan_officer, city=kazan, data=practice_doc(title="Draft on rain gardens"))
    now = timezone.now()
    vote = governance.vote_open(
        actor=secretariat,
        body=assembly_with(kazan, sao_paulo),
        kind="resolution",
        title="Secret motion",
        secret=True,
        opens_at=now - timezone.timedelta(minutes=1),
        closes_at=now + timezone.timedelta(hours=1),
    )
    governance.vote_cast(actor=kazan_coordinator, vote=vote, city=kazan, option=option(vote, "yes"))
    governance.vote_count(actor=secretariat, vote=vote, close_now=True)
    return settings.MEDIA_ROOT


def _live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return backup.count_rows(cursor, connection.introspection.table_names(cursor))


def _live_searches() -> dict[str, Any]:
    scope: dict[str, Any] = {}
    exec(SEARCHES, scope)  # noqa: S102 (our own text, the same the restored side runs)
    return json.loads(json.dumps(scope["searches"]()))


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[tuple[backup.Database, dict[str, str]]]:
    """An empty target and the environment that points the command at it: another SQLite file, or another
    PostgreSQL database on the same server."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(CITYEXCHANGE_VAR_DIR=str(tmp_path / "var"), MEDIA_ROOT=str(tmp_path / "restored-media"))
    env.setdefault("SECRET_KEY", "backup-test-" + "k" * 50)  # the commands refuse the public default key
    if connection.vendor == "sqlite":
        target = backup.Database("sqlite", str(tmp_path / "restored.sqlite3"))
        env["SQLITE_PATH"] = target.name
        yield target, env
        return
    live = backup.Database.of()
    target = backup.Database("postgresql", f"{live.name}_restored", live.host, live.port, live.user, live.password)
    admin = backup.Database("postgresql", "postgres", live.host, live.port, live.user, live.password)
    with backup._pg_connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target.name}"')
    password = f":{live.password}" if live.password else ""
    env["DATABASE_URL"] = f"postgres://{live.user}{password}@{live.host}:{live.port}/{target.name}"
    yield target, env
    with backup._pg_connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=600)


def test_a_backup_restores_elsewhere_whole(site: Path, tmp_path: Path, elsewhere: Any) -> None:
    target, env = elsewhere
    counts, searches = _live_counts(), _live_searches()
    head = audit_chain.verify()
    assert head.ok and head.rows > 10
    assert searches["rain"] == ["Draft on rain gardens", "Rainwater harvesting in schools"]

    manifest = backup.backup(tmp_path / "backup", media_root=site)
    assert manifest["tables"] == counts  # the manifest describes what was there
    assert (manifest["audit"]["rows"], manifest["audit"]["head_hash"]) == (head.rows, head.head_hash)
    assert manifest["audit"]["intact"] and manifest["media"]["files"] == 1

    restored = _cli(env, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert "row counts match the backup" in restored.stdout

    # Every table, counted on the restored copy, and the audit log checked there by the command.
    found = backup.describe(target)
    assert found["tables"] == counts
    verified = _cli(env, "audit", "verify")
    assert verified.returncode == 0 and f"{head.rows} rows, last row {head.head_id}, hash {head.head_hash}" in (
        verified.stdout
    )
    # The application, run against the restored copy, finds the same (the attachment's file included).
    shell = _cli(env, "shell", "-c", SEARCHES + "\nprint(json.dumps(searches()))")
    assert shell.returncode == 0, shell.stderr
    assert json.loads(shell.stdout.strip().splitlines()[-1]) == searches


def test_restore_refuses_a_target_that_is_not_empty_unless_forced(site: Path, tmp_path: Path, elsewhere: Any) -> None:
    target, env = elsewhere
    backup.backup(tmp_path / "backup", media_root=site)
    assert _cli(env, "restore", str(tmp_path / "backup")).returncode == 0
    again = _cli(env, "restore", str(tmp_path / "backup"))
    assert again.returncode != 0 and "not empty" in again.stderr
    forced = _cli(env, "restore", "--force", str(tmp_path / "backup"))
    assert forced.returncode == 0, forced.stderr
    assert backup.describe(target)["tables"] == _live_counts()


def test_a_damaged_backup_is_refused(site: Path, tmp_path: Path, elsewhere: Any) -> None:
    _target, env = elsewhere
    manifest = backup.backup(tmp_path / "backup", media_root=site)
    database_file = tmp_path / "backup" / manifest["database"]["file"]
    with database_file.open("r+b") as f:
        f.seek(200)
        f.write(b"\x00garbage\x00")
    refused = _cli(env, "restore", str(tmp_path / "backup"))
    assert refused.returncode != 0 and "does not match its checksum" in refused.stderr


def test_backup_refuses_a_directory_that_is_not_empty(site: Path, tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "something").write_text("x")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup(tmp_path / "busy", media_root=site)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite copies pages in one step under one read lock")
def test_a_backup_taken_while_the_site_writes_is_consistent(site: Path, tmp_path: Path, elsewhere: Any) -> None:
    """A writer appends to the audit log (and its chain head) the whole time the backup runs: the dump, the row
    counts and the audit check of the manifest all come from one snapshot, so the restored copy matches the manifest
    exactly and its chain is intact, though the live site has moved on."""
    import threading

    from django.db import connections

    from cityexchange.core.audit import audit
    from cityexchange.core.models import AuditEntry
    from tests.registry.factories import UserFactory

    target, _env = elsewhere
    user = UserFactory()
    done, written = threading.Event(), []

    def writer() -> None:
        try:
            while not done.is_set() or len(written) < 5:
                written.append(audit(user, "test.during_backup", user, after={"n": len(written)}).pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        manifest = backup.backup(tmp_path / "backup", media_root=site)
    finally:
        done.set()
        thread.join()
    report = backup.restore(tmp_path / "backup", target)
    assert report.ok, report.mismatches
    assert report.found["audit"]["intact"] and report.found["audit"] == manifest["audit"]
    assert AuditEntry.objects.count() > manifest["audit"]["rows"]  # the site went on writing
    assert audit_chain.verify().ok
