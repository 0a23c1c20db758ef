"""Which read replica may serve a researcher read: a health check cached per process.

Why cached: checking a replica's lag on every request would double the queries of a cheap
page. Each replica alias is checked at most once every ``DEFREL_REPLICA_CHECK_SECONDS`` (by
whichever request finds the last result stale; other threads keep using the old result
meanwhile). A replica is *healthy* when it answers and its replay lag is at most
``DEFREL_REPLICA_MAX_LAG_SECONDS``. Reads spread over the healthy replicas; with none,
they go to the primary, and come back once a later check finds a replica healthy again.

A replica that stops between two checks is caught before the request uses it:
:func:`connectable` runs Django's own connection health check (``CONN_HEALTH_CHECKS``, the
one query Django would run anyway on the request's first use of that connection), and a
failure marks the replica down at once, so the request reads from the primary.

The lag is measured on the standby, PostgreSQL's usual way: 0 when it has replayed all the
WAL it received, else the age of the last transaction it replayed. The latter overstates
the lag after a quiet spell (an hour-old last commit reads as an hour behind until the
next one is replayed): the replica is then skipped for a moment, which is the safe side.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger("defrel.replicas")

LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE"
    " WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@dataclass(frozen=True)
class Health:
    healthy: bool
    lag: float | None  # seconds behind the primary; None when it could not be measured
    checked_at: float  # time.monotonic()
    reason: str = ""


_health: dict[str, Health] = {}
_lock = threading.Lock()
_turn = itertools.count()


def replica_aliases() -> list[str]:
    """The configured replica aliases (``DATABASE_REPLICA_URL``'s URLs, in order)."""
    aliases = getattr(settings, "DEFREL_REPLICA_DATABASES", None)
    if not aliases:
        single = getattr(settings, "DEFREL_REPLICA_DATABASE", None)
        aliases = [single] if single else []
    return [alias for alias in aliases if alias in connections]


def check_seconds() -> float:
    return float(getattr(settings, "DEFREL_REPLICA_CHECK_SECONDS", 2))


def max_lag_seconds() -> float:
    return float(getattr(settings, "DEFREL_REPLICA_MAX_LAG_SECONDS", 5))


def measure(alias: str) -> Health:
    """Check one replica now: does it answer, and how far behind is it?"""
    now = time.monotonic()
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return Health(True, 0.0, now)  # a test mirror on SQLite: nothing to lag behind
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            _in_recovery, lag = cursor.fetchone()
    except DatabaseError as error:
        connection.close()
        return Health(False, None, now, f"unreachable: {str(error).strip()[:200]}")
    lag = float(lag)
    if lag > max_lag_seconds():
        return Health(False, lag, now, f"{lag:.1f} s behind (limit {max_lag_seconds():g} s)")
    return Health(True, lag, now)


def health(alias: str) -> Health:
    """The cached health of ``alias``, measured again when older than the check interval."""
    cached = _health.get(alias)
    if cached and time.monotonic() - cached.checked_at < check_seconds():
        return cached
    # One thread measures; the others keep the previous answer rather than queue behind it.
    if not _lock.acquire(blocking=cached is None):
        return cached
    try:
        fresh = measure(alias)
        if cached is None or fresh.healthy != cached.healthy:
            log.warning(
                "replica %s is %s%s",
                alias,
                "healthy" if fresh.healthy else "skipped",
                f": {fresh.reason}" if fresh.reason else "",
            )
        _health[alias] = fresh
        return fresh
    finally:
        _lock.release()


def mark_down(alias: str, reason: str) -> None:
    """Skip ``alias`` until the next check (it failed while a request was using it)."""
    log.warning("replica %s is skipped: %s", alias, reason)
    _health[alias] = Health(False, None, time.monotonic(), reason)


def forget() -> None:
    """Drop every cached result (tests, or after changing the replica settings)."""
    _health.clear()


def connectable(alias: str) -> bool:
    """Check this thread's connection to ``alias`` before a request uses it; False (and the
    replica marked down) if it fails.

    A kept connection gets Django's own once-per-request health check (``SELECT 1``); a new
    one gets the same check too, since a pooler such as PgBouncer accepts connections even
    while the server behind it is down.
    """
    connection = connections[alias]
    try:
        # Once per request, as Django's request_started handler arranges; the test client
        # skips that handler, and a kept connection to a stopped standby then went unchecked.
        connection.health_check_done = False
        connection.close_if_health_check_failed()
        if connection.connection is None:
            connection.ensure_connection()
            if not connection.is_usable():
                raise DatabaseError("the server behind the connection does not answer")
            connection.health_check_done = True
    except DatabaseError as error:
        connection.close()
        mark_down(alias, f"unreachable: {str(error).strip()[:200]}")
        return False
    return True


def choose_replica() -> str | None:
    """A healthy replica for one researcher read (taking turns), or None for the primary."""
    aliases = replica_aliases()
    if not aliases:
        return None
    start = next(_turn)
    for offset in range(len(aliases)):
        alias = aliases[(start + offset) % len(aliases)]
        if health(alias).healthy and connectable(alias):
            return alias
    return None
