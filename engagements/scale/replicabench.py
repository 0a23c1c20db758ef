"""Figures for the replica set-up: researcher throughput on the standby against the primary,
replay lag under a stream of edits, and the time to fall back to the primary when the
standby stops and to return to it (``manage.py replica_benchmark``).

Run it with ``DATABASE_URL`` and ``DATABASE_REPLICA_URL`` pointing at a primary and its
standby (``python -m engagements.scale.pgcluster up`` starts a pair; migrate and seed the
primary first). Requests go through Django's test client, in process, as the benchmark's.
Nothing is asserted: the figures depend on the machine.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from django.db import connections
from django.test import Client
from django.test.utils import override_settings

from defrel import replicas
from engagements.models import Source
from engagements.scale.measuring import settings_for_benchmark

PAGES = ("/meetings/", "/countries/", "/api/v1/meetings", "/agreements/")


@contextmanager
def answering() -> Iterator[list[str]]:
    """The aliases that ran data-model queries within the block."""
    ran: list[str] = []

    def recorder(alias: str):
        def record(execute, sql, params, many, context):
            if "engagements_" in sql:
                ran.append(alias)
            return execute(sql, params, many, context)

        return record

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(recorder(alias)))
        yield ran


def throughput(seconds: float, replica: bool) -> float:
    """Researcher requests per second over ``PAGES`` (from the replica, or the primary)."""
    aliases = replicas.replica_aliases() if replica else []
    with override_settings(DEFREL_REPLICA_DATABASES=aliases, DEFREL_REPLICA_DATABASE=None):
        replicas.forget()
        client = Client()
        for page in PAGES:  # warm caches and connections
            client.get(page)
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            assert client.get(PAGES[done % len(PAGES)]).status_code == 200
            done += 1
        return done / (time.perf_counter() - start)


def wait_for(predicate: Callable[[], bool], timeout: float = 60, step: float = 0.002) -> float:
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"not true within {timeout} s")
        time.sleep(step)
    return time.perf_counter() - start


def replay_lags(edits: int) -> list[float]:
    """Seconds from each committed edit on the primary to its being visible on the standby."""
    source = Source.objects.order_by("pk").first()
    original, lags = source.title, []
    try:
        for n in range(edits):
            title = f"{original} [{n} {uuid.uuid4().hex[:6]}]"
            Source.objects.filter(pk=source.pk).update(title=title)
            visible = Source.objects.using(replicas.replica_aliases()[0]).filter(title=title)
            lags.append(wait_for(visible.exists))
    finally:
        Source.objects.filter(pk=source.pk).update(title=original)
    return lags


def fallback_and_return(cluster) -> tuple[float, int, float]:
    """Stop the standby: seconds (and requests) until reads come from the primary; start it:
    seconds until they come from the standby again."""
    client = Client()
    with override_settings(DEFREL_REPLICA_CHECK_SECONDS=0.2):
        replicas.forget()
        client.get(PAGES[0])
        cluster.stop("standby")
        start, requests = time.perf_counter(), 0
        while True:
            with answering() as ran:
                requests += 1
                if client.get(PAGES[0]).status_code != 200:
                    raise AssertionError("a request failed while the standby was down")
            if set(ran) == {"default"}:
                break
        fallback = time.perf_counter() - start
        cluster.start("standby")

        def back() -> bool:
            with answering() as ran:
                client.get(PAGES[0])
            return set(ran) == {replicas.replica_aliases()[0]}

        return fallback, requests, wait_for(back, step=0.05)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def report(seconds: float, edits: int, cluster=None, write=print) -> None:
    settings_for_benchmark()
    write(f"researcher throughput over {', '.join(PAGES)} ({seconds:g} s each, one client):")
    for round_ in (1, 2):  # alternated, so neither side alone gets the warm process
        write(f"  round {round_}:")
        write(f"    from the standby: {throughput(seconds, replica=True):7.1f} requests/s")
        write(f"    from the primary: {throughput(seconds, replica=False):7.1f} requests/s")
    lags = [lag * 1000 for lag in replay_lags(edits)]
    write(
        f"replay lag over {edits} edits: p50 {statistics.median(lags):.1f} ms, "
        f"p95 {percentile(lags, 0.95):.1f} ms, max {max(lags):.1f} ms"
    )
    if cluster is not None:
        fallback, requests, back = fallback_and_return(cluster)
        write(
            f"standby stopped: reads on the primary after {fallback * 1000:.0f} ms "
            f"({requests} request(s), none failed); back on the standby {back:.2f} s after "
            "its restart returned"
        )
