"""Spans read as spans, and sort with what happened during them."""

import datetime as dt

import pytest

from engagements.dates import DateExtent, DateSpan
from engagements.models import Country, Meeting
from tests.api.reading import walk

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def visit_and_talks():
    """A visit over 2–6 September 2031, talks on its first day and on its second."""
    visit = Meeting.objects.create(
        slug="t-visit",
        title="A visit",
        kind="visit",
        start_date=D(2031, 9, 2),
        end_date=D(2031, 9, 6),
        date_extent=DateExtent.SPAN,
    )
    first = Meeting.objects.create(
        slug="t-first", title="Talks", kind="bilateral", start_date=D(2031, 9, 2)
    )
    second = Meeting.objects.create(
        slug="t-second", title="Talks", kind="bilateral", start_date=D(2031, 9, 3)
    )
    # Created last (the highest id) and yet first on the same start: the longer extent leads.
    later = Meeting.objects.create(
        slug="t-long",
        title="A longer stay",
        kind="visit",
        start_date=D(2031, 9, 2),
        end_date=D(2031, 9, 9),
        date_extent=DateExtent.SPAN,
    )
    return [later.slug, visit.slug, first.slug, second.slug]


def page_order(client, sort: str) -> list[str]:
    response = client.get("/meetings/", {"sort": sort, "year_from": 2031})
    assert response.status_code == 200
    return [m.slug for m in response.context["rows"]]


def test_oldest_first_puts_a_visit_before_the_meetings_during_it(client, visit_and_talks):
    assert page_order(client, "date") == visit_and_talks
    assert page_order(client, "-date") == visit_and_talks[::-1]


def test_the_order_holds_across_pages_and_in_the_api_and_exports(client, visit_and_talks):
    for sort, expected in (("date", visit_and_talks), ("-date", visit_and_talks[::-1])):
        rows, _ = walk(client, "meetings", {"sort": sort, "year_from": 2031, "per_page": 1})
        assert [r["slug"] for r in rows] == expected
    csv = client.get("/meetings/", {"sort": "date", "year_from": 2031, "format": "csv"})
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    lines = body.decode().splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == visit_and_talks


def test_the_unfiltered_list_still_walks_every_meeting_once(client):
    rows, _ = walk(client, "meetings", {"sort": "date", "per_page": 4})
    slugs = [r["slug"] for r in rows]
    assert sorted(slugs) == sorted(Meeting.objects.values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (D(2019, 9, 2), D(2019, 9, 6), "2–6 September 2019"),
        (D(2019, 8, 30), D(2019, 9, 2), "30 August – 2 September 2019"),
        (D(2019, 12, 30), D(2020, 1, 2), "30 December 2019 – 2 January 2020"),
    ],
)
def test_the_country_timeline_shows_spans(client, start, end, text):
    assert DateSpan(start, end).humanize() == text  # the one formatting of a range
    meeting = Meeting.objects.create(
        slug="t-span",
        title="Span meeting",
        kind="visit",
        start_date=start,
        end_date=end,
        date_extent=DateExtent.SPAN,
    )
    country = Country.objects.get(iso2="FJ")
    meeting.countries.add(country)
    html = client.get(country.get_absolute_url()).content.decode()
    event = html[html.index('class="ev-meeting"') :]
    event = event[: event.index("</li>")]
    assert f">{text}</time>" in event
    assert f'datetime="{start.isoformat()}/{end.isoformat()}"' in event
