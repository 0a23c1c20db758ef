"""Meetings not held (scheduled, cancelled) are marked wherever listed; charts leave them out."""

import datetime as dt
import re

import pytest

from engagements.models import Country, Grouping, Initiative, Meeting, Official, Participation
from engagements.views.stats import meetings_per_kind, meetings_per_year, top_partners

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_held():
    """A scheduled and a cancelled meeting with South Korea, later than any other meeting."""
    korea, india = Country.objects.get(iso2="KR"), Country.objects.get(iso2="IN")
    quad = Grouping.objects.get(slug="quad")
    mechanism = Initiative.objects.filter(kind="mechanism").first()
    rajnath = Official.objects.get(slug="rajnath-singh")
    parent = Meeting.objects.get(slug="admm-plus-11")
    made = []
    for n, status in enumerate(["scheduled", "cancelled"]):
        meeting = Meeting.objects.create(
            slug=f"future-{status}",
            title=f"Future {status} talks",
            kind="bilateral",
            status=status,
            start_date=dt.date(2099, 1 + n, 1),
            date_precision="month",
            grouping=quad,
            mechanism=mechanism,
            parent=parent,
        )
        meeting.countries.set([korea, india])
        Participation.objects.create(meeting=meeting, official=rajnath)
        made.append(meeting)
    return made


def tagged(body: str, meeting: Meeting) -> bool:
    """The meeting's link is followed (soon after) by its status tag."""
    url = re.escape(meeting.get_absolute_url())
    label = meeting.get_status_display()
    pattern = rf"{url}[^>]*>[^<]*</a>(?:[^<]|<(?!a )[^>]*>){{0,200}}?{label}"
    return re.search(pattern, body) is not None


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/countries/kr/",
        "/meetings/?country=KR",
        "/groupings/quad/",
        "/officials/rajnath-singh/",
        "/meetings/admm-plus-11/",
    ],
)
def test_meetings_not_held_are_marked_where_listed(client, not_held, url):
    body = client.get(url).content.decode()
    for meeting in not_held:
        assert meeting.get_absolute_url() in body, url
        assert tagged(body, meeting), (url, meeting.status)


def test_mechanism_page_marks_them_too(client, not_held):
    body = client.get(not_held[0].mechanism.get_absolute_url()).content.decode()
    assert all(tagged(body, m) for m in not_held)


def test_held_meetings_carry_no_tag(client):
    body = client.get("/meetings/", {"status": "held", "per_page": 200}).content.decode()
    assert "class='tag status-" not in body


def test_charts_and_ranking_count_held_meetings_only(client, not_held):
    assert 2099 not in dict(meetings_per_year())
    held = Meeting.objects.filter(status="held")
    assert sum(n for _, n in meetings_per_kind()) == held.count()
    korea = next(p for p in top_partners(200) if p["iso2"] == "KR")
    assert korea["n"] == held.filter(countries__iso2="KR").count()
    response = client.get("/")
    body = response.content.decode()
    # Three charts, each drawn for a wide screen and for a phone.
    assert body.count("scheduled and cancelled meetings are not counted") == 6
    # Each bar links to exactly the meetings it counts.
    link = re.search(r"href='(/meetings/\?country=KR[^']*)'", body).group(1).replace("&amp;", "&")
    rows = client.get(link + "&per_page=200").context["rows"]
    assert len(rows) == korea["n"]
    country = client.get("/countries/kr/")
    assert "2099" not in country.context["chart"]
    assert "scheduled and cancelled meetings are not counted" in country.context["chart"]
