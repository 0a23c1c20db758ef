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
    # Two countries: a count the meeting tally does not answer (test_tallied.py), so counted.
    url = "/meetings/?country=KR,SG"
    cold, first = queries_of(client, url)
    warm, again = queries_of(client, url)
    filtered_count = [q for q in cold if "COUNT(" in q and "LIMIT 6" in q and "country" in q]
    assert filtered_count  # counted, no further than the bound
    assert not [q for q in warm if q in filtered_count]
    expected = min(Meeting.objects.filter(countries__iso2__in=["KR", "SG"]).distinct().count(), 5)
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


class CountingCache:
    """The cache, recording how many lookups of kept figures each request makes."""

    def __init__(self, real):
        self.real, self.gets, self.get_manys = real, [], []

    def get(self, key, *args, **kwargs):
        self.gets.append(key)
        return self.real.get(key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        self.get_manys.append(list(keys))
        return self.real.get_many(keys, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_pages_kept_facet_figures_are_read_in_one_lookup(client, small_limit, monkeypatch):
    """On the database cache every lookup is a query: the facets of a page read theirs at
    once, and the counts shown are those computed on the cold request."""
    recording = CountingCache(cache)
    monkeypatch.setattr("engagements.caching.cache", recording)
    url = "/meetings/?country=KR&year_from=2000"
    first = client.get(url)
    recording.gets.clear(), recording.get_manys.clear()
    again = client.get(url)
    assert len(recording.get_manys) == 1
    # one by one: only the list's own bounded count, read before the facets
    assert [k for k in recording.gets if k.startswith("defrel:facets:")] == [
        k for k in recording.gets if k.startswith("defrel:facets:meeting:count:")
    ]
    shown = [(f.param, [(v.value, v.count) for v in f.values]) for f in first.context["facets"]]
    assert shown == [
        (f.param, [(v.value, v.count) for v in f.values]) for f in again.context["facets"]
    ]
    assert any(values for _, values in shown)
