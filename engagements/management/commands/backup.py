"""A copy of the whole database in one file, taken while the site runs (docs/backup.md).

PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot; restore with
``pg_restore``). SQLite: the ``sqlite3`` module's online backup (``Connection.backup``), a
consistent copy of the database file even while others write; restore by putting the file
in place. Both hold everything: records, history, staff accounts, the sources' texts.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


def pg_environment(settings: dict) -> dict[str, str]:
    """libpq's variables for the database of ``settings`` (no password on a command line)."""
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings.get("NAME"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGSSLMODE": (settings.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({name: str(value) for name, value in values.items() if value})
    return env


def pg_dump(settings: dict, path: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise CommandError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={path}"],
        env=pg_environment(settings),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise CommandError(f"pg_dump failed: {reason}")


def sqlite_backup(connection, path: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        # The schema's checks call REGEXP (Django's connection defines it; a bare one does not).
        target.create_function("REGEXP", 2, _regexp, deterministic=True)
        connection.connection.backup(target)
        (verdict,) = target.execute("PRAGMA integrity_check").fetchone()
    target.close()
    if verdict != "ok":
        raise CommandError(f"The copy failed SQLite's integrity check: {verdict}")


class Command(BaseCommand):
    help = (
        "Copy the whole database into FILE while the site runs: pg_dump's custom format on "
        "PostgreSQL (restore with pg_restore), an SQLite database file on SQLite (restore by "
        "putting it in place). See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file to write.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database alias (default: default)."
        )

    def handle(self, *args, file: Path, database: str, **options):
        connection = connections[database]
        partial = file.with_name(file.name + ".part")
        partial.unlink(missing_ok=True)
        try:
            if connection.vendor == "postgresql":
                pg_dump(connection.settings_dict, partial)
                restore = f"createdb NEW && pg_restore --no-owner --dbname=NEW {file}"
            elif connection.vendor == "sqlite":
                sqlite_backup(connection, partial)
                restore = f"stop the site, then copy {file} to the database file"
            else:
                raise CommandError(f"No backup for a {connection.vendor} database.")
            partial.replace(file)
        finally:
            partial.unlink(missing_ok=True)
        size = file.stat().st_size / 1_048_576
        self.stdout.write(f"Wrote {file} ({size:.1f} MB). To restore: {restore}.")


def _regexp(pattern: str, value) -> bool:
    return value is not None and re.search(pattern, str(value)) is not None
