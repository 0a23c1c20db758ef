"""``manage.py backup`` and the restore docs/backup.md describes: the restored database holds
the same rows, table by table (counts and a checksum of every engagements table, history
included).

On SQLite the copy is the ``sqlite3`` online backup; on PostgreSQL ``pg_dump -Fc``, restored
with ``pg_restore`` into a scratch database created for the test and dropped after it.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sqlite3
import subprocess

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from engagements.management.commands.backup import pg_environment

pytestmark = pytest.mark.django_db


def app_tables(names) -> list[str]:
    tables = sorted(name for name in names if name.startswith("engagements_"))
    assert len(tables) > 60  # the records, their links and their history
    return tables


def sqlite_contents(db) -> dict[str, tuple[int, str]]:
    """Per table: its row count and a digest of its rows in rowid order, each value as SQL
    text (``quote``: no driver's conversion of dates)."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    contents = {}
    for table in app_tables(names):
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
        values = " || ',' || ".join(f'quote("{c}")' for c in columns)
        rows = db.execute(f'SELECT {values} FROM "{table}" ORDER BY rowid').fetchall()
        contents[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return contents


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup")
def test_sqlite_backup_restores_every_table(tmp_path):
    path = tmp_path / "defrel-backup.sqlite3"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert f"Wrote {path}" in out.getvalue()
    assert not list(tmp_path.glob("*.part"))
    connection.ensure_connection()
    live = sqlite_contents(connection.connection)
    # Restoring is putting the file in place: the copy opened as the database.
    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(path, restored)
    with sqlite3.connect(restored) as copy:
        # The schema's checks use REGEXP, which Django's connection provides (a Wikidata QID).
        copy.create_function(
            "REGEXP",
            2,
            lambda pattern, value: value is not None and bool(re.search(pattern, value)),
        )
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert sqlite_contents(copy) == live
    assert live["engagements_meeting"][0] > 0


def pg_contents(cursor) -> dict[str, tuple[int, str]]:
    """Per table: its row count and the md5 of its rows as text, sorted."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    contents = {}
    for table in app_tables(r[0] for r in cursor.fetchall()):
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f'FROM "{table}" t'
        )
        contents[table] = tuple(cursor.fetchone())
    return contents


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_restore"),
    reason="pg_dump and pg_restore, on PostgreSQL",
)
def test_pg_dump_restores_every_table(tmp_path):
    path = tmp_path / "defrel.dump"
    call_command("backup", str(path), stdout=io.StringIO())
    settings = connection.settings_dict
    scratch = f"{settings['NAME']}_restore"
    admin = {**settings, "NAME": "postgres"}
    env = pg_environment(admin)
    with psycopg.connect(dbname="postgres", autocommit=True, **_conninfo(settings)) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        server.execute(f'CREATE DATABASE "{scratch}"')
        try:
            done = subprocess.run(
                ["pg_restore", "--no-owner", f"--dbname={scratch}", str(path)],
                env=env,
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, done.stderr
            with connection.cursor() as cursor:
                live = pg_contents(cursor)
            with psycopg.connect(dbname=scratch, **_conninfo(settings)) as restored:
                assert pg_contents(restored.cursor()) == live
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    assert live["engagements_meeting"][0] > 0


def _conninfo(settings) -> dict:
    names = {"USER": "user", "PASSWORD": "password", "HOST": "host", "PORT": "port"}
    return {key: str(settings[name]) for name, key in names.items() if settings.get(name)}
