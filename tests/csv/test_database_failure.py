"""The database failing in the middle of ``import_csv``: one clear line and exit status 1, not
a traceback, and nothing written (issue 15, item 10).

The failure is injected where the import writes (``connection.execute_wrapper``, Django's
hook around every statement): the first ``INSERT`` into the table fails as a server that
went away makes it fail, with ``OperationalError``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from .test_commands import CITED_GOOD, CITED_HEADER, run, snapshot

pytestmark = pytest.mark.django_db

GONE = "server closed the connection unexpectedly\n\tThis probably means the server terminated"


def fail_on_insert_into(table: str):
    def wrapper(execute, sql, params, many, context):
        inserting = sql.lstrip().upper().startswith("INSERT") and table in sql
        # On PostgreSQL a batch takes its ids from the sequence first, then COPYs them in.
        numbering = "nextval" in sql and table in str(params)
        if inserting or numbering:
            raise OperationalError(GONE)
        return execute(sql, params, many, context)

    return wrapper


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    ("model", "table", "content"),
    [
        # A bulk resource (rows written in batches) and one that writes a row at a time.
        ("meeting", "engagements_meeting", lines(CITED_HEADER, CITED_GOOD)),
        ("country", "engagements_country", lines("iso2,iso3,name", "XQ,XQQ,Republic of Tests")),
    ],
)
def test_a_database_failure_is_one_line_and_nothing_is_written(tmp_path, model, table, content):
    before = snapshot()
    with connection.execute_wrapper(fail_on_insert_into(table)), pytest.raises(CommandError) as e:
        run(tmp_path, model, content)
    failure = e
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith(
        "The database failed during the import (server closed the connection unexpectedly): "
        "nothing was imported"
    )
    assert snapshot() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="copies the test database to a file")
def test_the_command_exits_1_with_the_line_and_no_traceback(tmp_path):
    """``manage.py import_csv`` as staff run it, on a copy of the test database."""
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(copy) as target:
        connection.ensure_connection()
        connection.connection.backup(target)
    upload = tmp_path / "meetings.csv"
    upload.write_text(lines(CITED_HEADER, CITED_GOOD), encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import django
        django.setup()
        from django.core.management import execute_from_command_line
        from django.db import OperationalError, connection

        def fail(execute, sql, params, many, context):
            if sql.lstrip().upper().startswith("INSERT") and "engagements_meeting" in sql:
                raise OperationalError({GONE!r})
            return execute(sql, params, many, context)

        with connection.execute_wrapper(fail):
            execute_from_command_line(["manage.py", "import_csv", "meeting", {str(upload)!r}])
        """
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{copy}",
        "DJANGO_SETTINGS_MODULE": "defrel.settings",
        "PYTHONPATH": str(Path(settings.BASE_DIR)),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "CommandError: The database failed during the import (server closed the connection "
            "unexpectedly): nothing was imported"
        )
    )
    with sqlite3.connect(copy) as copied:
        found = copied.execute(
            "SELECT count(*) FROM engagements_meeting WHERE slug = ?", [CITED_GOOD.split(",")[0]]
        )
        assert found.fetchone() == (0,)
