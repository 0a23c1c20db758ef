"""Fixtures of the tests run on a real primary and standby (``onpair.py``).

They run in their own pytest process, started by ``tests/scale/test_replica_pair.py`` with
``DATABASE_URL`` and ``DATABASE_REPLICA_URL`` pointing at the pair's database (migrated and
seeded by the launcher). No test database is created: what a test writes must be committed
for the standby to replay it, which pytest-django's rolled-back tests never do, so the tests
use the pair's throwaway database directly (``live``).
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from django.db import connections

from defrel import replicas

BASE = os.environ.get("DEFREL_PAIR_BASE", "")


@pytest.fixture(scope="session")
def django_db_setup():
    """No test database: the pair's database is the launcher's throwaway one."""


@pytest.fixture
def live(django_db_blocker, settings):
    """Database access with real commits; the replica health cache starts empty."""
    settings.DEFREL_REPLICA_CHECK_SECONDS = 0.2
    replicas.forget()
    with django_db_blocker.unblock():
        yield
        for connection in connections.all():
            connection.close()
    replicas.forget()


@pytest.fixture(scope="session")
def cluster():
    from engagements.scale.pgcluster import Cluster

    return Cluster(BASE)


@contextmanager
def paused(cluster):
    """The standby receives WAL but does not replay it: it shows the data as it was."""
    cluster.pause_replay()
    try:
        yield
    finally:
        cluster.resume_replay()
