"""A meeting's change page reads each relation once, whatever the number of participants.

Its autocomplete widgets label the chosen records (officials, posts, countries, sources)
from the records the page has read with the meeting and its rows, not with a query each;
a form posted back with another choice still shows that choice's name.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Country, Meeting, MeetingCitation, Official, Post, Source, Topic
from engagements.permissions import EDITORS
from tests.curation.test_admin import form_data
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    india, singapore = Country.objects.get(iso2="IN"), Country.objects.get(iso2="SG")
    meeting = Meeting.objects.create(
        slug="2025-03-test-talks",
        title="Talks written for this test",
        kind="bilateral",
        start_date=dt.date(2025, 3, 4),
        country=singapore,
        host=singapore,
    )
    meeting.countries.set([india, singapore])
    meeting.topics.set(Topic.objects.order_by("pk")[:2])
    MeetingCitation.objects.create(meeting=meeting, source=Source.objects.first(), paragraph=1)
    return meeting


def add_participants(meeting, start: int, count: int) -> list:
    """Officials of India and Singapore, each in a post of their country."""
    added = []
    for n in range(start, start + count):
        country = Country.objects.get(iso2="IN" if n % 2 else "SG")
        official = Official.objects.create(
            slug=f"test-official-{n}", name=f"Test Official {n}", country=country
        )
        post = Post.objects.create(slug=f"test-post-{n}", title=f"Test Post {n}", country=country)
        participation = meeting.participations.create(official=official)
        participation.posts.set([post])
        added.append((official, post))
    return added


def change_page(client, meeting) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(Meeting, "change", meeting.pk))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def chosen(page: str, name: str) -> dict[str, str]:
    """The selected options of the select ``name``: value → label."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    options = re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', select[1])
    return {value: html.unescape(label) for value, label in options}


def test_the_change_page_costs_the_same_with_more_participants(login, meeting):
    editor = login(EDITORS)
    added = add_participants(meeting, 0, 2)
    few, _ = change_page(editor, meeting)
    added += add_participants(meeting, 2, 10)
    many, page = change_page(editor, meeting)
    # No query per participant: their officials, posts (with the posts' countries, which
    # their labels name) and countries are read once for every row.
    assert many == few
    rows = list(meeting.participations.order_by("pk"))
    for n, (row, (official, post)) in enumerate(zip(rows, added, strict=True)):
        assert chosen(page, f"participations-{n}-official") == {str(official.pk): official.name}
        label = f"Test Post {post.slug.rsplit('-', 1)[1]}, {post.country.name}"
        assert chosen(page, f"participations-{n}-posts") == {str(post.pk): label}
        assert row.official_id == official.pk
    # The meeting's own choices, labelled as Django's query would (in the model's order).
    assert chosen(page, "country") == {str(meeting.country_id): "Singapore"}
    assert list(chosen(page, "countries").values()) == ["India", "Singapore"]
    topics = list(Topic.objects.filter(meetings=meeting).order_by("name"))
    assert list(chosen(page, "topics").values()) == [t.name for t in topics]
    source = Source.objects.first()
    assert chosen(page, "citations-0-source") == {str(source.pk): str(source)}


def test_a_choice_posted_back_is_labelled_with_its_own_name(login, meeting):
    editor = login(EDITORS)
    add_participants(meeting, 0, 1)
    other = Official.objects.create(
        slug="test-official-other", name="Another Test Official", country=meeting.country
    )
    response = editor.get(url(Meeting, "change", meeting.pk))
    data = form_data(response)
    data["participations-0-official"] = str(other.pk)
    data["dates"] = "not a date"  # the page comes back with its errors, as posted
    response = editor.post(url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a date" in page
    assert chosen(page, "participations-0-official") == {str(other.pk): other.name}
