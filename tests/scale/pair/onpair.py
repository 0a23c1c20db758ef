"""Researcher reads on a real hot standby; writes, the admin and read-your-writes on the primary.

Run by ``tests/scale/test_replica_pair.py`` (in its own process, against the pair it
started); collected alone, every test is skipped. Which server answered is shown two ways:
the alias that ran each data-model query (and that alias's server reports
``pg_is_in_recovery()``), and what the answer holds while the standby's replay is paused:
a record committed on the primary after the pause is missing from a standby's answer.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import time
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.urls import reverse

from defrel.routers import PIN_COOKIE
from engagements.models import Meeting, Source
from engagements.scale.replicabench import answering

from .conftest import BASE, paused

pytestmark = [
    pytest.mark.skipif(
        not BASE, reason="runs only from tests/scale/test_replica_pair.py, on a real pair"
    ),
    pytest.mark.usefixtures("live"),
]
THROUGH_PGBOUNCER = os.environ.get("DEFREL_PGBOUNCER") == "1"


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def new_meeting(tag: str) -> Meeting:
    """A meeting committed on the primary."""
    slug = f"pair-{tag}-{uuid.uuid4().hex[:8]}"
    return Meeting.objects.create(
        slug=slug, title=f"Pair test {tag}", kind="call", date_precision="unknown"
    )


def csv_rows(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def wait_for(predicate, timeout: float = 30.0, step: float = 0.002) -> float:
    """Seconds until ``predicate()`` is true (fails after ``timeout``)."""
    start = time.perf_counter()
    while not predicate():
        assert time.perf_counter() - start < timeout, f"not true within {timeout} s"
        time.sleep(step)
    return time.perf_counter() - start


def on_standby(slug: str) -> bool:
    return Meeting.objects.using("replica").filter(slug=slug).exists()


def staff_client() -> Client:
    name = f"staff-{uuid.uuid4().hex[:8]}"
    user = get_user_model().objects.create_superuser(name, f"{name}@example.org", "pw-12345678")
    client = Client()
    client.force_login(user)
    return client


def test_the_pair_is_a_primary_and_a_hot_standby():
    assert in_recovery("default") is False
    assert in_recovery("replica") is True


def test_researcher_page_api_and_export_are_answered_by_the_standby(client, cluster, settings):
    settings.DEFREL_REPLICA_MAX_LAG_SECONDS = 3600  # replay is held on purpose here
    with paused(cluster):
        meeting = new_meeting("unreplayed")
        total = Meeting.objects.count()
        with answering() as ran:
            page = client.get(reverse("engagements:meeting_detail", args=[meeting.slug]))
            listed = client.get("/api/v1/meetings")
            export = client.get("/meetings/", {"format": "csv"})
            body = b"".join(export.streaming_content).decode()
        assert page.status_code == 404  # the standby has not replayed it yet
        assert listed.status_code == 200 and listed.json()["count"] == total - 1
        assert export.status_code == 200 and meeting.slug not in body
        assert "meetings" in export["Content-Disposition"]
        assert len(csv_rows(body)) == total - 1  # every meeting but the new one
        assert ran and set(ran) == {"replica"}
        assert in_recovery("replica")
    wait_for(lambda: on_standby(meeting.slug))
    assert client.get(reverse("engagements:meeting_detail", args=[meeting.slug])).status_code == 200


def test_writes_and_admin_pages_go_to_the_primary():
    staff = staff_client()
    key = f"pair-{uuid.uuid4().hex[:8]}"
    with answering() as ran:
        changelist = staff.get(reverse("admin:engagements_meeting_changelist"))
        added = staff.post(
            reverse("admin:engagements_source_add"),
            {
                "key": key,
                "title": "Written on the primary",
                "published_on": "2024-05",
                "summary": "S.",
            },
        )
    assert changelist.status_code == 200
    assert added.status_code == 302, added.content.decode()[:1000]
    assert ran and set(ran) == {"default"}
    assert Source.objects.using("default").filter(key=key).exists()
    assert PIN_COOKIE in added.cookies  # the browser that wrote now reads the primary


def test_staff_see_their_own_edit_at_once_researchers_once_replayed(cluster, settings):
    settings.DEFREL_REPLICA_MAX_LAG_SECONDS = 3600  # the standby stays in use while held
    staff, researcher = staff_client(), Client()
    key = f"pair-{uuid.uuid4().hex[:8]}"
    page = reverse("engagements:source_detail", args=[key])
    with paused(cluster):
        added = staff.post(
            reverse("admin:engagements_source_add"),
            {
                "key": key,
                "title": "Seen at once by its author",
                "published_on": "2024-05",
                "summary": "S.",
            },
        )
        assert added.status_code == 302
        with answering() as ran:
            own = staff.get(page)
        assert own.status_code == 200 and "Seen at once by its author" in own.content.decode()
        assert set(ran) == {"default"}
        with answering() as ran:
            assert researcher.get(page).status_code == 404  # not replayed yet
        assert set(ran) == {"replica"}
    wait_for(lambda: Source.objects.using("replica").filter(key=key).exists())
    with answering() as ran:
        seen = researcher.get(page)
    assert seen.status_code == 200 and "Seen at once by its author" in seen.content.decode()
    assert set(ran) == {"replica"}


def test_replay_lag_under_a_burst_of_edits(client):
    source = Source.objects.order_by("pk").first()
    lags = []
    for n in range(60):
        title = f"Burst edit {n} {uuid.uuid4().hex[:6]}"
        Source.objects.filter(pk=source.pk).update(title=title)
        lags.append(
            wait_for(lambda t=title: Source.objects.using("replica").filter(title=t).exists())
        )
    page = client.get(reverse("engagements:source_detail", args=[source.key]))
    assert title in page.content.decode()
    lags_ms = sorted(lag * 1000 for lag in lags)
    print(
        f"\nMEASURED replay lag over {len(lags)} edits (commit on the primary to visible on "
        f"the standby{', through PgBouncer' if THROUGH_PGBOUNCER else ''}): "
        f"p50 {statistics.median(lags_ms):.1f} ms, "
        f"p95 {lags_ms[int(0.95 * len(lags_ms)) - 1]:.1f} ms, max {lags_ms[-1]:.1f} ms"
    )


def test_a_standby_behind_the_limit_is_skipped_then_used_again(client, cluster, settings):
    settings.DEFREL_REPLICA_MAX_LAG_SECONDS = 1
    url = reverse("engagements:meeting_list")
    with paused(cluster):
        meeting = new_meeting("behind")
        detail = reverse("engagements:meeting_detail", args=[meeting.slug])
        # Once the standby is more than a second behind, reads move to the primary.
        waited = wait_for(lambda: client.get(detail).status_code == 200, step=0.1)
        with answering() as ran:
            assert client.get(url).status_code == 200
        assert set(ran) == {"default"}
    wait_for(lambda: on_standby(meeting.slug))

    def back_on_the_standby() -> bool:
        with answering() as ran:
            assert client.get(url).status_code == 200
        return set(ran) == {"replica"}

    back = wait_for(back_on_the_standby, step=0.1)
    print(f"\nMEASURED lagging standby: skipped after {waited:.2f} s, back after {back:.2f} s")


def test_a_stopped_standby_is_not_a_500_and_is_used_again_once_back(client, cluster):
    url = reverse("engagements:meeting_list")
    with answering() as ran:
        assert client.get(url).status_code == 200
    assert set(ran) == {"replica"}
    cluster.stop("standby")
    try:
        stopped = time.perf_counter()
        statuses, answered = [], []
        while True:
            with answering() as ran:
                statuses.append(client.get(url).status_code)
            answered.append(set(ran))
            if answered[-1] == {"default"}:
                break
            assert time.perf_counter() - stopped < 30
        fallback = time.perf_counter() - stopped
        assert set(statuses) == {200}, statuses
        for _ in range(5):  # while it is down, pages keep coming from the primary
            with answering() as ran:
                assert client.get(url).status_code == 200
            assert set(ran) == {"default"}
    finally:
        cluster.start("standby")

    def back_on_the_standby() -> bool:
        with answering() as ran:
            assert client.get(url).status_code == 200
        return set(ran) == {"replica"}

    back = wait_for(back_on_the_standby, step=0.05)
    print(
        f"\nMEASURED stopped standby: reads on the primary after {fallback * 1000:.0f} ms "
        f"({len(statuses)} request(s), none failed); back on the standby {back:.2f} s "
        "after its restart returned"
    )


@pytest.mark.skipif(not THROUGH_PGBOUNCER, reason="only through PgBouncer")
def test_through_pgbouncer_cursors_and_prepared_statements(client):
    for alias in ("default", "replica"):
        connection = connections[alias]
        assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
        connection.ensure_connection()
        assert connection.connection.prepare_threshold is None  # never prepared
        with connection.cursor() as cursor:  # the same statement, many times, no PREPARE
            for n in range(20):
                cursor.execute("SELECT %s::int + 1", [n])
                assert cursor.fetchone()[0] == n + 1
    # .iterator() outside a transaction: a client-side cursor, so pooling cannot lose it.
    slugs = [m.slug for m in Meeting.objects.using("replica").iterator(chunk_size=10)]
    assert len(slugs) == Meeting.objects.count()
    body = b"".join(client.get("/meetings/", {"format": "csv"}).streaming_content)
    assert len(csv_rows(body.decode())) == len(slugs)
