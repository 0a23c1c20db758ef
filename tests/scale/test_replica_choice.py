"""Choosing a replica, on any database: spread, one replica per request, the cached check,
read-your-writes, and the settings read from the environment.

``replica`` and ``replica_2`` are second and third connections to the test database (test
mirrors of ``default``, as ``DATABASE_REPLICA_URL`` sets them up). A replica that is down or
behind needs real servers: ``test_replica_pair.py`` stops, holds and restarts a standby.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from defrel import replicas
from defrel.routers import PIN_COOKIE, replica_reads
from engagements.models import Meeting

_default = connections.settings["default"]
for _alias in ("replica", "replica_2"):
    if _alias not in connections.settings:
        connections.settings[_alias] = {
            **_default,
            "TEST": {**_default.get("TEST", {}), "MIRROR": "default"},
        }
connections.configure_settings(connections.settings)

ALL = pytest.mark.django_db(databases=["default", "replica", "replica_2"])


@pytest.fixture(autouse=True, scope="module")
def close_the_replicas():
    yield
    for alias in ("replica", "replica_2"):
        connections[alias].close()


@pytest.fixture
def use(settings):
    """``use("replica", "replica_2")``: these are the configured replicas."""

    def configure(*aliases: str) -> None:
        settings.DEFREL_REPLICA_DATABASES = list(aliases)
        settings.DEFREL_REPLICA_CHECK_SECONDS = 60
        replicas.forget()

    yield configure
    replicas.forget()


def read_database() -> str:
    with replica_reads():
        return router.db_for_read(Meeting)


@ALL
def test_reads_spread_over_the_replicas(use):
    use("replica", "replica_2")
    chosen = [read_database() for _ in range(6)]
    assert set(chosen) == {"replica", "replica_2"}
    assert chosen.count("replica") == 3  # taken in turn


@ALL
def test_one_request_reads_from_one_replica(use):
    use("replica", "replica_2")
    with replica_reads():
        first = router.db_for_read(Meeting)
        assert all(router.db_for_read(Meeting) == first for _ in range(5))


@ALL
def test_the_health_check_is_cached(use, monkeypatch):
    use("replica")
    measured = []
    measure = replicas.measure
    monkeypatch.setattr(replicas, "measure", lambda alias: measured.append(alias) or measure(alias))
    for _ in range(5):
        assert read_database() == "replica"
    assert measured == ["replica"]


@ALL
def test_a_researcher_read_sets_no_cookie(use, client):
    use("replica")
    with CaptureQueriesContext(connections["replica"]) as secondary:
        response = client.get(reverse("engagements:country_list"))
    assert response.status_code == 200 and secondary.captured_queries
    assert PIN_COOKIE not in response.cookies


@pytest.mark.django_db  # only the primary may be queried here
def test_after_a_write_the_browser_reads_the_primary(use, client, django_user_model, settings):
    use("replica")
    staff = django_user_model.objects.create_superuser("pin", "pin@example.org", "pw-12345678")
    client.force_login(staff)
    saved = client.post(
        reverse("admin:engagements_source_add"),
        {"key": "pin-test", "title": "Pinned", "published_on": "2024-05", "summary": "S."},
    )
    assert saved.status_code == 302
    assert PIN_COOKIE in saved.cookies
    # Long enough for a replica in use to have replayed the write: lag limit + check interval.
    pin = settings.DEFREL_REPLICA_MAX_LAG_SECONDS + settings.DEFREL_REPLICA_CHECK_SECONDS
    assert saved.cookies[PIN_COOKIE]["max-age"] == math.ceil(pin)
    # With the cookie, the public page reads from the primary (a replica query would fail
    # this test: only "default" is allowed).
    page = client.get(reverse("engagements:source_detail", args=["pin-test"]))
    assert page.status_code == 200 and "Pinned" in page.content.decode()


def settings_of(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DEFREL_", "DATABASE"))}
    environ |= {"DJANGO_SETTINGS_MODULE": "defrel.settings", **env}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings as s; print({code})",
        ],
        cwd=django_settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_several_replica_urls_make_several_aliases():
    out = settings_of(
        "s.DEFREL_REPLICA_DATABASES, [s.DATABASES[a]['PORT'] for a in s.DEFREL_REPLICA_DATABASES],"
        " s.DATABASES['replica_2']['OPTIONS']['connect_timeout']",
        DATABASE_URL="postgres://app@db:5432/defrel",
        DATABASE_REPLICA_URL="postgres://app@r1:5433/defrel, postgres://app@r2:5434/defrel",
        DEFREL_REPLICA_CONNECT_TIMEOUT="3",
    )
    assert out == "['replica', 'replica_2'] [5433, 5434] 3"


def test_pgbouncer_mode_turns_server_side_cursors_off():
    code = "[d.get('DISABLE_SERVER_SIDE_CURSORS', False) for d in s.DATABASES.values()]"
    env = {
        "DATABASE_URL": "postgres://app@pooler:6432/defrel",
        "DATABASE_REPLICA_URL": "postgres://app@pooler:6433/defrel",
    }
    assert settings_of(code, **env) == "[False, False]"
    assert settings_of(code, DEFREL_PGBOUNCER="1", **env) == "[True, True]"
