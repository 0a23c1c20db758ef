"""Open ends and days within a span, in words on the pages, and found by their start year."""

import datetime as dt
import re

import pytest

from engagements.models import Country, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def extents():
    india, malaysia = Country.objects.get(iso2="IN"), Country.objects.get(iso2="MY")
    made = {
        "open": Meeting.objects.create(
            slug="extent-open",
            title="Extent open visit",
            kind="visit",
            start_date=dt.date(2023, 7, 10),
            date_extent="open",
            country=malaysia,
        ),
        "within": Meeting.objects.create(
            slug="extent-within",
            title="Extent within talks",
            kind="bilateral",
            start_date=dt.date(2019, 9, 2),
            end_date=dt.date(2019, 9, 6),
            date_extent="within",
        ),
    }
    for meeting in made.values():
        meeting.countries.set([india, malaysia])
    return made


def test_detail_pages_say_the_extent_in_words(client, extents):
    body = client.get(extents["open"].get_absolute_url()).content.decode()
    assert "from 10 July 2023 (end not reported)" in body
    body = client.get(extents["within"].get_absolute_url()).content.decode()
    assert "a day between 2 and 6 September 2019" in body
    assert "2–6 September 2019" not in body  # not a four-day meeting


def test_the_list_says_it_in_words_with_plain_iso_in_the_markup(client, extents):
    body = client.get("/meetings/", {"q": "Extent"}).content.decode()
    assert '<time datetime="2023-07-10">from 10 July 2023 (end not reported)</time>' in body
    assert (
        '<time datetime="2019-09-02/2019-09-06">a day between 2 and 6 September 2019</time>' in body
    )
    assert all(
        re.fullmatch(r"\d{4}(-\d\d){0,2}(/\S+)?", d)
        for d in re.findall(r'datetime="([^"]*)"', body)
    )


def test_the_year_filter_finds_an_open_meeting_by_its_start_year(client, extents):
    found = client.get("/meetings/", {"year_from": 2023, "year_to": 2023}).content.decode()
    assert "Extent open visit" in found
    later = client.get("/meetings/", {"year_from": 2024}).content.decode()
    assert "Extent open visit" not in later
    within = client.get("/meetings/", {"year_from": 2019, "year_to": 2019}).content.decode()
    assert "Extent within talks" in within


def test_the_partner_timeline_shows_the_open_visit(client, extents):
    body = client.get("/countries/my/").content.decode()
    assert "Extent open visit" in body
