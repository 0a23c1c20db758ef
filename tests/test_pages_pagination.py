"""Keyset pages (every row once, both ways) and a fixed query count whatever the page size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import (
    Country,
    Meeting,
    MeetingCitation,
    Official,
    Participation,
    Source,
)
from engagements.views.lists import COUNT_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_meetings():
    """150 more meetings (some undated, some sharing a date) with countries, people, sources."""
    india, korea = Country.objects.get(iso2="IN"), Country.objects.get(iso2="KR")
    official = Official.objects.get(slug="rajnath-singh")
    source = Source.objects.first()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            slug=f"bulk-{n:03d}",
            title=f"Bulk meeting {n:03d}",
            kind="bilateral",
            start_date=None if n % 10 == 0 else dt.date(2000 + n % 20, 1 + n % 12, 1 + n % 5),
            date_precision="unknown" if n % 10 == 0 else "day",
        )
        for n in range(150)
    )
    through = Meeting.countries.through
    through.objects.bulk_create(
        through(meeting=m, country=c) for m in meetings for c in (india, korea)
    )
    Participation.objects.bulk_create(Participation(meeting=m, official=official) for m in meetings)
    MeetingCitation.objects.bulk_create(
        MeetingCitation(meeting=m, source=source, paragraph=1) for m in meetings
    )
    return meetings


def walk(client, url: str, direction: str) -> list[str]:
    """Follow Next (or Previous) links from ``url`` to the end; the slugs in reading order."""
    pages = []
    while url:
        response = client.get("/meetings/" + url)
        assert response.status_code == 200
        pages.append([m.slug for m in response.context["rows"]])
        url = response.context["page"][direction]
    if direction == "previous":
        pages.reverse()
    return [slug for page in pages for slug in page]


@pytest.mark.parametrize("sort", ["-date", "date", "title", "-title"])
def test_next_and_previous_links_visit_every_row_once(client, many_meetings, sort):
    everything = [
        m.slug for m in client.get(f"/meetings/?sort={sort}&per_page=200").context["rows"]
    ]
    assert len(everything) == Meeting.objects.count() == len(set(everything))
    forward = walk(client, f"?sort={sort}&per_page=25", "next")
    assert forward == everything
    backward = walk(client, f"?sort={sort}&per_page=25&last=1", "previous")
    assert backward == everything


def test_default_order_is_dated_newest_first_then_undated(client, many_meetings):
    rows = walk(client, "?per_page=25", "next")
    by_slug = {m.slug: m for m in Meeting.objects.all()}
    dates = [by_slug[s].start_date for s in rows]
    first_undated = dates.index(None)
    assert all(d is None for d in dates[first_undated:])
    assert dates[:first_undated] == sorted(dates[:first_undated], reverse=True)


def test_cursor_pages_keep_the_filters(client, many_meetings):
    response = client.get("/meetings/", {"country": "KR", "per_page": 25})
    assert "country=KR" in response.context["page"]["next"]
    rows = walk(client, "?country=KR&per_page=25", "next")
    assert set(rows) == set(
        Meeting.objects.filter(countries__iso2="KR").values_list("slug", flat=True)
    )


def test_numbered_pages_agree_with_the_cursor_pages(client, many_meetings):
    second = client.get("/meetings/", {"per_page": 25, "page": 2}).context["rows"]
    first = client.get("/meetings/", {"per_page": 25})
    via_cursor = client.get("/meetings/" + first.context["page"]["next"]).context["rows"]
    assert [m.slug for m in second] == [m.slug for m in via_cursor]


def test_the_count_is_bounded(client, many_meetings, monkeypatch):
    monkeypatch.setattr("engagements.views.lists.COUNT_LIMIT", 100)
    response = client.get("/meetings/")
    assert response.context["count_is_lower_bound"]
    assert response.context["count"] == 100
    assert "More than 100" in response.content.decode()
    assert COUNT_LIMIT == 10_000


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


LISTS = [
    "/meetings/?per_page={n}",
    "/meetings/?per_page={n}&country=KR&year_from=2001&q=meeting",
    "/agreements/?per_page={n}",
    "/initiatives/?per_page={n}",
    "/officials/?per_page={n}",
    "/groupings/?per_page={n}",
    "/sources/?per_page={n}",
    "/countries/?per_page={n}",
]


@pytest.mark.parametrize("url", LISTS)
def test_query_count_does_not_grow_with_the_page_size(client, many_meetings, url):
    small = count_queries(client, url.format(n=25))
    large = count_queries(client, url.format(n=100))
    assert small == large
    # A ticked facet is counted over more rows (one query more) and the page offers
    # officials' names (one query), still a fixed number whatever the page size.
    assert large <= 15


def test_a_page_crossing_from_dated_to_undated_rows_costs_one_query_more(client, many_meetings):
    # 156 dated meetings: a page of 100 holds dated rows only, a page of 200 both kinds.
    dated_only = count_queries(client, "/meetings/?per_page=100")
    crossing = count_queries(client, "/meetings/?per_page=200")
    assert crossing == dated_only + 1


def test_meeting_list_query_count_does_not_grow_with_the_data(
    client, django_assert_max_num_queries
):
    # Seed data only: the page of 200 holds every meeting (dated, then undated rows).
    with django_assert_max_num_queries(14):
        response = client.get("/meetings/?per_page=200")
    assert len(response.context["rows"]) == Meeting.objects.count()


def test_meeting_list_query_count_with_more_data(
    client, many_meetings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = client.get("/meetings/?per_page=200")
    assert len(response.context["rows"]) == Meeting.objects.count() == 175
