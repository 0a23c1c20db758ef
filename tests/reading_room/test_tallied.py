"""A big meetings list reads its count and facets from the tally when that answers exactly,
and shows the very figures the scans give.

The table is made big by a small COUNT_LIMIT (5, as in test_counts_cache.py); each page is
requested twice with the cache cleared, with the tally and without it (the scans of today),
and the count, its bound and every facet value with its count must be the same.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Grouping, Meeting, MeetingTally, Topic
from engagements.views import MeetingListView

pytestmark = pytest.mark.django_db

TALLY = MeetingTally._meta.db_table
ANSWERED = [
    "",
    "country=SG",
    "country=KR&year_from=2010&year_to=2019",
    "country=sg&kind=bilateral&kind=summit",
    "year_to=2020",  # undated meetings are in no year range
    "year_from=2024",
    "kind=bilateral",
    "status=scheduled",
    "status=held&kind=visit&year_from=2015",
    "country=KR&status=held&year_from=2000&year_to=2030",
    "country=SG&sort=title&per_page=25",
]
SCANNED = ["country=SG,KR", "q=maritime", "country=SG&topic={topic}", "grouping={grouping}"]


def shown(client, query: str) -> tuple[tuple, bool]:
    """(the count, its bound, every facet value), and whether the tally was read."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200, query
    c = response.context
    facets = [(f.param, [(v.value, v.label, v.count) for v in f.values]) for f in c["facets"]]
    read = any(TALLY in q["sql"] for q in ctx.captured_queries)
    return (c["count"], c["count_is_lower_bound"], facets), read


@pytest.fixture
def big(monkeypatch):
    monkeypatch.setattr("engagements.caching.COUNT_LIMIT", 5)
    assert Meeting.objects.count() > 5
    yield
    cache.clear()


@pytest.mark.parametrize("query", ANSWERED + SCANNED)
def test_the_tally_gives_the_scans_figures(client, big, monkeypatch, query):
    answered = query in ANSWERED
    query = query.format(
        topic=Topic.objects.filter(meetings__isnull=False).values_list("slug", flat=True)[0],
        grouping=Grouping.objects.filter(meetings__isnull=False).values_list("slug", flat=True)[0],
    )
    tallied, read = shown(client, query)
    assert read is answered
    monkeypatch.setattr(MeetingListView, "tally_reader", None)
    scanned, read = shown(client, query)
    assert not read
    assert tallied == scanned
    counts = {param: values for param, values in tallied[2]}
    if query in ("", "country=SG", "kind=bilateral"):
        assert tallied[0] > 0 and counts["country"] and counts["kind"] and counts["year"]


def test_a_small_table_never_reads_the_tally(client):
    assert Meeting.objects.count() <= 10_000
    assert shown(client, "country=SG")[1] is False
