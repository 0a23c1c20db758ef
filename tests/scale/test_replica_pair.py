"""The router on a real PostgreSQL primary and hot standby, directly and through PgBouncer.

The pair is started here (``engagements/scale/pgcluster.py``: throwaway data directories,
free loopback ports), its database copied from this session's migrated test database and
seeded, and the tests of
``tests/scale/pair/onpair.py`` run in a child pytest process whose ``DATABASE_URL`` and
``DATABASE_REPLICA_URL`` point at it. Why a child process: Django reads its databases once
at start-up, and this process's ``default`` is the CI test database; and the standby only
sees what the primary commits, whereas pytest-django rolls every test back. The child uses
the pair's throwaway database as it is, with real commits.

Then a subset of the reading-room tests (pages and exports) runs through PgBouncer in
transaction pooling mode with ``DEFREL_PGBOUNCER=1``, on a copy of the seeded database.

Skipped on SQLite, and where the PostgreSQL 15 binaries (or, for PgBouncer, ``pgbouncer``)
are missing. The child's output (with the MEASURED lines) is printed: ``pytest -s`` shows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from engagements.scale.pgcluster import PG_BIN, Cluster, binaries_available

ROOT = Path(__file__).resolve().parents[2]
DB = "defrel_pair"
ON_PAIR = "tests/scale/pair/onpair.py"
READING_ROOM = [
    "tests/reading_room/test_pages.py",
    "tests/reading_room/test_exports.py",
    "tests/reading_room/test_export_copy.py",
]


def _why_not() -> str:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL (run with DATABASE_URL=postgres://…): a real standby pair"
    return binaries_available()


pytestmark = [
    pytest.mark.skipif(bool(_why_not()), reason=_why_not() or "-"),
    # Only so pytest-django sets up (and seeds) the session's test database, copied below.
    pytest.mark.django_db,
]
HAVE_PGBOUNCER = bool(shutil.which("pgbouncer") or Path("/usr/sbin/pgbouncer").exists())
needs_pgbouncer = pytest.mark.skipif(
    not HAVE_PGBOUNCER, reason="pgbouncer is not installed (apt-get install pgbouncer)"
)


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DEFREL_"))}
    env.update(PYTHONPATH=str(ROOT), DEFREL_DEBUG="1", **extra)
    return env


def run(argv: list[str], env: dict[str, str], timeout: float = 240) -> str:
    proc = subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    print(proc.stdout[-6000:], proc.stderr[-3000:], sep="\n")
    assert proc.returncode == 0, f"{' '.join(argv[:4])}… failed:\n{proc.stdout[-4000:]}"
    return proc.stdout


def copy_database(source: dict, target_url: str) -> None:
    """pg_dump this session's migrated test database into the pair (much faster than
    running the migrations again)."""
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    dump = [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", "-h", source["HOST"]]
    dump += ["-p", str(source["PORT"] or 5432), "-U", source["USER"], source["NAME"]]
    load = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target_url, "-o", os.devnull]
    with subprocess.Popen(dump, stdout=subprocess.PIPE, env=env) as dumping:
        loaded = subprocess.run(load, stdin=dumping.stdout, capture_output=True, check=False)
    assert dumping.returncode == 0 and loaded.returncode == 0, loaded.stderr.decode()[-2000:]


@pytest.fixture(scope="module")
def pair(django_db_setup):
    # Its own temporary directory: as root, the servers run as "postgres", which cannot
    # enter pytest's (root-only) tmp_path.
    with Cluster() as cluster:
        cluster.start_primary()
        cluster.start_standby()
        primary = cluster.createdb(DB)
        copy_database(connections["default"].settings_dict, primary)
        # Seeding again restores the seed should a transactional test have emptied the copy.
        run([sys.executable, "manage.py", "seed", "-v", "0"], child_env(DATABASE_URL=primary))
        # The reading-room run's test database ("test_" + name): a copy of the seeded one.
        cluster.createdb(f"test_{DB}", template=DB)
        if HAVE_PGBOUNCER:
            cluster.start_pgbouncer("primary")
            cluster.start_pgbouncer("standby")
        yield cluster


def pytest_child(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", *args]


def test_router_on_a_real_primary_and_standby(pair):
    env = child_env(
        DATABASE_URL=pair.url("primary", DB),
        DATABASE_REPLICA_URL=pair.url("standby", DB),
        DEFREL_PAIR_BASE=str(pair.base),
    )
    out = run(pytest_child(ON_PAIR), env)
    assert " passed" in out


@needs_pgbouncer
def test_router_through_pgbouncer(pair):
    env = child_env(
        DATABASE_URL=pair.url("pgbouncer", DB),
        DATABASE_REPLICA_URL=pair.url("pgbouncer_standby", DB),
        DEFREL_PAIR_BASE=str(pair.base),
        DEFREL_PGBOUNCER="1",
    )
    out = run(pytest_child(ON_PAIR), env)
    assert " passed" in out


@needs_pgbouncer
def test_reading_room_and_exports_through_pgbouncer(pair):
    # --reuse-db: the copy made above is the test database, and PgBouncer's pooled server
    # connections would keep pytest-django from dropping it at the end.
    env = child_env(DATABASE_URL=pair.url("pgbouncer", DB), DEFREL_PGBOUNCER="1")
    out = run(pytest_child("--reuse-db", *READING_ROOM), env)
    assert " passed" in out
