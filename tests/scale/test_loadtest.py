"""``manage.py loadtest`` end to end, for a few seconds: gunicorn with production settings on a
copy of the test database, researcher clients and a staff editor, every save checked.

The command serves a database of its own (a copy: SQLite's online backup, or a PostgreSQL
database made from the test database as a template), since the server runs in other
processes and must see committed rows. Figures are printed, not asserted; what is asserted is
that nothing failed and that every save is in the database and its history, read here
independently of the command's own check.
"""

from __future__ import annotations

import re
import sqlite3
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from engagements.scale import pgcluster

MARKER = re.compile(r"\[loadtest [0-9a-f]+-\d+\]")


def pg_conninfo(settings: dict) -> dict:
    names = {"USER": "user", "PASSWORD": "password", "HOST": "host", "PORT": "port"}
    return {key: str(settings[name]) for name, key in names.items() if settings.get(name)}


def pg_url(settings: dict, name: str) -> str:
    info = pg_conninfo(settings)
    user = info.get("user", "postgres")
    return f"postgres://{user}@{info.get('host', '127.0.0.1')}:{info.get('port', 5432)}/{name}"


@pytest.fixture
def scratch(tmp_path, django_db_blocker):
    """(URL, reader) of a copy of the seeded test database; reader(sql) returns rows."""
    with django_db_blocker.unblock():
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            path = tmp_path / "load.sqlite3"
            with sqlite3.connect(path) as target:
                connection.connection.backup(target)
            target.close()

            def read(sql):
                with sqlite3.connect(path) as db:
                    return db.execute(sql).fetchall()

            yield f"sqlite:///{path}", read
            return
        settings = connection.settings_dict
        name = f"{settings['NAME']}_load"
        connections.close_all()  # a template database must have no other session
        with psycopg.connect(dbname="postgres", autocommit=True, **pg_conninfo(settings)) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
            pg.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
            try:

                def read(sql):
                    with psycopg.connect(dbname=name, **pg_conninfo(settings)) as db:
                        return db.execute(sql).fetchall()

                yield pg_url(settings, name), read
            finally:
                pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def saved_markers(read) -> tuple[set[str], set[str]]:
    """The markers in the meetings' summaries, and in their history rows."""
    now = {m for (s,) in read("SELECT summary FROM engagements_meeting") for m in MARKER.findall(s)}
    past = {
        m
        for (s,) in read("SELECT summary FROM engagements_historicalmeeting")
        for m in MARKER.findall(s)
    }
    return now, past


def run_loadtest(url: str, django_db_blocker, **options) -> str:
    """``manage.py loadtest`` against ``url`` with two clients and one worker: what it printed."""
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("loadtest", database_url=url, clients=2, workers=1, stdout=out, **options)
    return out.getvalue()


def test_loadtest_serves_without_errors_and_loses_no_edit(scratch, django_db_blocker):
    url, read = scratch
    text = run_loadtest(url, django_db_blocker, meetings=120, seconds=4)
    for label in ("p50 ms", "p95 ms", "p99 ms", "list", "detail", "export", "edit saves"):
        assert label in text, text
    requests, errors = map(int, re.search(r"Requests: (\d+); errors: (\d+)", text).groups())
    assert requests > 0 and errors == 0, text
    saved = int(re.search(r"Edits: (\d+) saved", text)[1])
    assert saved >= 1, text
    assert "lost: 0." in text, text
    # Read independently: each save's marker is in its meeting and in the history.
    now, past = saved_markers(read)
    assert len(now) >= saved and now <= past
    # Only synthetic meetings were edited.
    curated = read(
        "SELECT count(*) FROM engagements_meeting "
        "WHERE summary LIKE '%[loadtest %' AND slug NOT LIKE 'syn-%'"
    )
    assert curated == [(0,)]


def test_loadtest_refuses_what_it_must_not_do(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        with pytest.raises(CommandError, match="on this machine"):
            call_command(
                "loadtest", database_url="postgres://u@db.example.org/defrel", stdout=StringIO()
            )
        with pytest.raises(CommandError, match="SQLite must be a file"):
            call_command("loadtest", database_url="sqlite://:memory:", stdout=StringIO())
        with pytest.raises(CommandError, match="--workers"):
            call_command("loadtest", workers=0, stdout=StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="copies a PostgreSQL database")
@pytest.mark.skipif(bool(pgcluster.binaries_available()), reason="no PostgreSQL binaries")
def test_fault_mode_reports_the_outage_and_the_recovery(scratch, django_db_blocker):
    url, _ = scratch
    text = run_loadtest(
        url, django_db_blocker, meetings=60, seconds=9, fault=True, fault_at=2, fault_down=2
    )
    assert "Fault: PostgreSQL stopped at" in text, text
    assert "Recovery: first successful request" in text, text
    during = re.search(r"During the outage (\d+) requests: (.*?); slowest answer", text)
    assert during, text
    # Clients got answers, not hangs: no timeout, and nothing failed outside the outage.
    assert "timeout" not in during[2], text
    assert "Errors outside the outage: 0." in text, text
    assert "lost: 0." in text, text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="copies a PostgreSQL database")
@pytest.mark.skipif(bool(pgcluster.binaries_available()), reason="no PostgreSQL binaries")
@pytest.mark.parametrize("reads", ["standby", "primary"])
def test_pair_mode_reads_from_where_it_says(scratch, django_db_blocker, reads):
    """--pair standby serves researcher reads from the streaming standby, --pair primary
    serves them all from the primary: the servers' own transaction counts say so."""
    url, _ = scratch
    text = run_loadtest(url, django_db_blocker, meetings=40, seconds=4, pair=reads)
    served = re.search(
        r"Researcher reads: from the (\w+).*primary ([\d,]+), standby ([\d,]+)\.", text
    )
    assert served, text
    primary, standby = (int(n.replace(",", "")) for n in served.groups()[1:])
    assert served[1] == reads, text
    if reads == "standby":
        assert standby > 20, text  # every researcher page read there
    else:
        assert standby == 0 and primary > 20, text
    assert "errors: 0;" in text, text
    assert "lost: 0." in text, text
