"""Dates in markup as precise as known (and no <time> without one); edition ordinals."""

import datetime as dt
import re

import pytest

from engagements.models import Country, Grouping, Initiative, Meeting
from engagements.templatetags.reading_room import as_time, ordinal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (0, "0th"),
    ],
)
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_as_time_is_partial_iso_or_plain_text():
    assert as_time(dt.date(2024, 11, 1), "month") == '<time datetime="2024-11">November 2024</time>'
    assert as_time(dt.date(2024, 1, 1), "year") == '<time datetime="2024">2024</time>'
    assert as_time(None, "unknown") == "date unknown"
    assert as_time(dt.date(2024, 1, 1), "unknown") == "date unknown"


@pytest.fixture
def editions():
    mechanism = Initiative.objects.filter(kind="mechanism").first()
    quad = Grouping.objects.get(slug="quad")
    india = Country.objects.get(iso2="IN")
    made = {}
    for n in (1, 2, 3, 11, 22):
        meeting = Meeting.objects.create(
            slug=f"edition-{n}",
            title=f"Edition {n}",
            kind="mechanism",
            mechanism=mechanism if n % 2 else None,
            grouping=None if n % 2 else quad,
            edition=n,
            date_precision="unknown",
        )
        meeting.countries.set([india])
        made[n] = meeting
    return made


def test_editions_are_ordinals(client, editions):
    for n, meeting in editions.items():
        body = client.get(meeting.get_absolute_url()).content.decode()
        assert f"{ordinal(n)} " in body, n
    wrong = ["1th", "2th", "3th", "22th"]
    for meeting in editions.values():
        body = client.get(meeting.get_absolute_url()).content.decode()
        assert not any(re.search(rf"\b{w}\b", body) for w in wrong)


def test_undated_meetings_have_no_empty_time(client, editions):
    detail = client.get(editions[1].get_absolute_url()).content.decode()
    assert 'datetime=""' not in detail and "datetime=''" not in detail
    assert "known to the unknown" not in detail
    assert "the sources do not date it" in detail
    listing = client.get("/meetings/", {"per_page": 200}).content.decode()
    assert "Edition 22" in listing
    assert 'datetime=""' not in listing


def test_month_dates_are_written_as_months_in_the_timeline(client):
    month = Meeting.objects.filter(countries__iso2="KR", date_precision="month").first()
    body = client.get("/countries/kr/").content.decode()
    assert f'datetime="{month.start_date:%Y-%m}"' in body
    assert f'datetime="{month.start_date:%Y-%m-%d}"' not in body
    assert re.findall(r'datetime="([^"]*)"', body)
    assert all(
        re.fullmatch(r"\d{4}(-\d\d){0,2}(/\S+)?", d)
        for d in re.findall(r'datetime="([^"]*)"', body)
    )
