"""Keyset pages (every row once, both ways) and a fixed query count whatever the page size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.caching import COUNT_LIMIT
from engagements.models import (
    Agreement,
    AgreementCitation,
    AgreementStatusChange,
    Country,
    Grouping,
    Initiative,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    Official,
    Participation,
    Post,
    Source,
    Tenure,
    TenureCitation,
)

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


BULK = 110  # more than a page of 100, so a page of 25 and one of 100 really differ


@pytest.fixture
def many_records(many_meetings):
    """BULK more agreements, initiatives, officials, groupings and sources, each with the
    related rows its list shows (parties, status, countries, tenures, members, citations)."""
    india, korea = Country.objects.get(iso2="IN"), Country.objects.get(iso2="KR")
    quad = Grouping.objects.get(slug="quad")
    post = Post.objects.filter(country=korea).first()
    sources = Source.objects.bulk_create(
        Source(
            key=f"bulk-source-{n:03d}",
            title=f"Bulk source {n:03d}",
            publisher=f"Publisher {n % 7}",
            summary="s",
            published_precision="unknown",
        )
        for n in range(BULK)
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(slug=f"bulk-agreement-{n:03d}", title=f"Bulk agreement {n:03d}", kind="mou")
        for n in range(BULK)
    )
    parties = Agreement.parties.through
    parties.objects.bulk_create(
        parties(agreement=a, country=c) for a in agreements for c in (india, korea)
    )
    AgreementStatusChange.objects.bulk_create(
        AgreementStatusChange(
            agreement=a, status="signed", date=dt.date(2000 + n % 20, 1, 1), precision="year"
        )
        for n, a in enumerate(agreements)
    )
    AgreementCitation.objects.bulk_create(
        AgreementCitation(agreement=a, source=sources[0], paragraph=1) for a in agreements
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            slug=f"bulk-initiative-{n:03d}",
            name=f"Bulk initiative {n:03d}",
            kind="programme",
            start_precision="unknown",
        )
        for n in range(BULK)
    )
    countries = Initiative.countries.through
    countries.objects.bulk_create(countries(initiative=i, country=korea) for i in initiatives)
    groupings = Initiative.groupings.through
    groupings.objects.bulk_create(groupings(initiative=i, grouping=quad) for i in initiatives)
    InitiativeCitation.objects.bulk_create(
        InitiativeCitation(initiative=i, source=sources[1], paragraph=2) for i in initiatives
    )
    officials = Official.objects.bulk_create(
        Official(slug=f"bulk-official-{n:03d}", name=f"Bulk Official {n:03d}", country=korea)
        for n in range(BULK)
    )
    tenures = Tenure.objects.bulk_create(
        Tenure(official=o, post=post, start_precision="unknown", end_precision="unknown")
        for o in officials
    )
    TenureCitation.objects.bulk_create(
        TenureCitation(tenure=t, source=sources[2], paragraph=3) for t in tenures
    )
    new_groupings = Grouping.objects.bulk_create(
        Grouping(
            slug=f"bulk-grouping-{n:03d}",
            name=f"Bulk grouping {n:03d}",
            short_name=f"BG{n:03d}",
            kind="minilateral",
        )
        for n in range(BULK)
    )
    members = Grouping.members.through
    members.objects.bulk_create(
        members(grouping=g, country=c) for g in new_groupings for c in (india, korea)
    )


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
    monkeypatch.setattr("engagements.caching.COUNT_LIMIT", 100)
    response = client.get("/meetings/")
    assert response.context["count_is_lower_bound"]
    assert response.context["count"] == 100
    assert "More than 100" in response.content.decode()
    assert COUNT_LIMIT == 10_000


def count_queries(client, url: str, rows: int = 0) -> int:
    """The queries of one page; with ``rows``, the page must hold at least that many."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) >= rows, (url, len(response.context["rows"]))
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
def test_query_count_does_not_grow_with_the_page_size(client, many_records, url):
    small = count_queries(client, url.format(n=25), rows=25)
    # A page of 100 holds 100 rows (the country list is one page of every country).
    large = count_queries(client, url.format(n=100), rows=100)
    assert small == large
    # A ticked facet is counted over more rows (one query more) and the page offers
    # officials' names (one query), still a fixed number whatever the page size. (A topic or
    # grouping facet's query lists the filter's choices too: one query for both.) A search
    # looks up the countries its words name (a small table) for the page and each facet
    # that keeps the search: two more here.
    assert large <= 17


def test_a_page_crossing_from_dated_to_undated_rows_costs_one_query_more(client, many_meetings):
    # 156 dated meetings: a page of 100 holds dated rows only, a page of 200 both kinds.
    dated_only = count_queries(client, "/meetings/?per_page=100")
    crossing = count_queries(client, "/meetings/?per_page=200")
    assert crossing == dated_only + 1


def test_meeting_list_query_count_does_not_grow_with_the_data(
    client, django_assert_max_num_queries
):
    # Seed data only: the page of 200 holds every meeting (dated, then undated rows). The
    # grouping and topic facets list their filters' choices (no query of their own).
    with django_assert_max_num_queries(14):
        response = client.get("/meetings/?per_page=200")
    assert len(response.context["rows"]) == Meeting.objects.count()


def test_meeting_list_query_count_with_more_data(
    client, many_meetings, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = client.get("/meetings/?per_page=200")
    assert len(response.context["rows"]) == Meeting.objects.count() == 175
