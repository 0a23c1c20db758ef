"""Over a big table (more than COUNT_LIMIT records, here 5) the costly figures are cached.

A list's bounded count of a filtered view, and the officials' meeting counts of a page, read
thousands of rows at a million meetings. Like the facet counts, they are kept for a few minutes
per filter; on a small table they are computed on every request, so an edit shows at once.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Meeting, Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr("engagements.caching.COUNT_LIMIT", 5)
    cache.clear()
    yield
    cache.clear()


def queries_of(client, url) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response


def test_a_filtered_count_is_counted_once_then_kept(client, small_limit):
    url = "/meetings/?country=KR"
    cold, first = queries_of(client, url)
    warm, again = queries_of(client, url)
    filtered_count = [q for q in cold if "COUNT(" in q and "LIMIT 6" in q and "country" in q]
    assert filtered_count  # counted, no further than the bound
    assert not [q for q in warm if q in filtered_count]
    expected = min(Meeting.objects.filter(countries__iso2="KR").count(), 5)
    assert first.context["count"] == again.context["count"] == expected
    assert first.context["count_is_lower_bound"] == again.context["count_is_lower_bound"]


def test_a_small_table_is_counted_on_every_request(client):
    cache.clear()
    url = "/meetings/?country=KR"
    cold, _ = queries_of(client, url)
    warm, response = queries_of(client, url)
    assert [q for q in warm if "COUNT(" in q] == [q for q in cold if "COUNT(" in q]
    assert response.context["count"] == Meeting.objects.filter(countries__iso2="KR").count()


def test_officials_meeting_counts_are_of_the_page_and_kept(client, small_limit):
    cold, first = queries_of(client, "/officials/?country=IN")
    warm, again = queries_of(client, "/officials/?country=IN")
    grouped = [q for q in cold if "engagements_participation" in q and "GROUP BY" in q]
    assert len(grouped) == 1
    assert not [q for q in warm if "engagements_participation" in q and "GROUP BY" in q]
    for official in again.context["rows"]:
        assert official.meeting_count == Participation.objects.filter(official=official).count()
    assert [o.meeting_count for o in first.context["rows"]] == [
        o.meeting_count for o in again.context["rows"]
    ]


def test_facets_of_a_few_rows_of_a_big_table_are_kept(client, small_limit):
    """Three meetings of a big table: the page's facets are counted once, then kept."""
    url = "/meetings/?country=KR&kind=visit"
    cold, first = queries_of(client, url)
    warm, again = queries_of(client, url)
    assert first.context["count"] < 5 and not first.context["count_is_lower_bound"]
    grouped = [q for q in cold if "GROUP BY" in q]
    assert grouped and not [q for q in warm if "GROUP BY" in q]
    facets = [[(v.value, v.count) for v in f.values] for f in first.context["facets"]]
    assert facets == [[(v.value, v.count) for v in f.values] for f in again.context["facets"]]


@pytest.mark.parametrize("url", ["/meetings/", "/agreements/", "/officials/?per_page=25"])
def test_an_unfiltered_page_counts_the_table_once(client, url):
    # The count that tells whether the table is big is the unfiltered page's count too.
    cache.clear()
    sql, response = queries_of(client, url)
    counts = [q for q in sql if "COUNT(*)" in q and "LIMIT" in q]
    assert len(counts) == 1, counts
    model = response.context["rows"][0]._meta.model
    assert response.context["count"] == model.objects.count()
    # Filtered, the page counts its own rows as well.
    filtered, response = queries_of(client, url.partition("?")[0] + "?q=defence")
    assert len([q for q in filtered if "COUNT(*)" in q and "LIMIT" in q]) == 2
