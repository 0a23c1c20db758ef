"""Participants in the admin: an official in several posts, each checked against the
official's tenures, and a participant the sources describe without naming."""

from __future__ import annotations

import pytest

from engagements.models import Country, Meeting, Official, Participation, Post, Source
from tests.helpers import url

pytestmark = pytest.mark.django_db


def _meeting(**overrides) -> dict:
    data = {
        "title": "India–Lao PDR defence talks",
        "slug": "2024-11-test-lao-talks",
        "kind": "bilateral",
        "status": "held",
        "dates": "2024-11-20",
        "city": "",
        "country": Country.objects.get(iso2="LA").pk,
        "host": "",
        "countries": [Country.objects.get(iso2=c).pk for c in ("IN", "LA")],
        "grouping": "",
        "mechanism": "",
        "edition": "",
        "parent": "",
        "summary": "",
        "participations-TOTAL_FORMS": "2",
        "participations-INITIAL_FORMS": "0",
        "participations-0-official": Official.objects.get(slug="chansamone-chanyalath").pk,
        "participations-0-posts": [
            Post.objects.get(slug=s).pk
            for s in ("la-deputy-prime-minister", "la-minister-of-national-defence")
        ],
        "participations-0-role": "head",
        "participations-1-description": "A delegation of senior Lao officials",
        "participations-1-country": Country.objects.get(iso2="LA").pk,
        "participations-1-role": "delegate",
        "agreement_links-TOTAL_FORMS": "0",
        "agreement_links-INITIAL_FORMS": "0",
        # Every meeting cites a source: one row, its paragraph list.
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": Source.objects.get(key="002_e5b3391f3894ea28").pk,
        "citations-0-paragraphs": "1",
        "marks-TOTAL_FORMS": "0",
        "marks-INITIAL_FORMS": "0",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_editor_adds_a_meeting_with_a_two_post_and_a_described_participant(login):
    editor = login("Editors")
    page = editor.get(url(Meeting, "add")).content.decode()
    # Posts and the described participant's country are picked by search.
    for name in ("participations-0-posts", "participations-0-description"):
        assert f'name="{name}"' in page
    response = editor.post(url(Meeting, "add"), _meeting())
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting = Meeting.objects.get(slug="2024-11-test-lao-talks")
    chansamone = meeting.participations.get(official__slug="chansamone-chanyalath")
    assert sorted(chansamone.posts.values_list("slug", flat=True)) == [
        "la-deputy-prime-minister",
        "la-minister-of-national-defence",
    ]
    described = meeting.participations.get(official__isnull=True)
    assert (described.description, described.country.iso2, described.role) == (
        "A delegation of senior Lao officials",
        "LA",
        "delegate",
    )
    # The posts are in the participant's change history.
    version = chansamone.history.latest()
    assert {p.post_id for p in version.posts.all()} == set(
        chansamone.posts.values_list("pk", flat=True)
    )


def test_each_post_is_checked_against_the_tenures_at_the_meeting(login):
    editor = login("Editors")
    # A day the source does not show him in either post: both are refused, by name.
    response = editor.post(url(Meeting, "add"), _meeting(dates="2019-03-02"))
    assert response.status_code == 200
    body = response.content.decode()
    for title in ("Deputy Prime Minister", "Minister of National Defence"):
        assert f"No tenure of Chansamone Chanyalath as {title} covers 2 March 2019" in body
    assert not Meeting.objects.filter(slug="2024-11-test-lao-talks").exists()
    # A post of another country is refused too, while the held one passes.
    posts = [Post.objects.get(slug=s).pk for s in ("la-deputy-prime-minister", "sg-prime-minister")]
    response = editor.post(url(Meeting, "add"), _meeting(**{"participations-0-posts": posts}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a post of Chansamone Chanyalath&#x27;s country" in body
    assert "No tenure of" not in body


@pytest.mark.parametrize(
    ("official", "description", "message"),
    [
        ("", "", "Name the official, or describe the participant"),
        ("rajnath-singh", "Someone", "Describe a participant only when no official is named."),
    ],
)
def test_a_participant_is_an_official_or_a_description(login, official, description, message):
    editor = login("Editors")
    data = _meeting(
        **{
            "participations-1-official": official and Official.objects.get(slug=official).pk,
            "participations-1-description": description,
            "participations-1-country": "",
        }
    )
    response = editor.post(url(Meeting, "add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.filter(slug="2024-11-test-lao-talks").exists()


def test_the_participant_list_shows_both_kinds(login):
    editor = login("Editors")
    response = editor.get(url(Participation, "changelist"), {"q": "delegation"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cabinet Ministers and senior officials" in body
    response = editor.get(url(Participation, "changelist"), {"official_country": "LA"})
    assert "Deputy Prime Minister; Minister of National Defence" in response.content.decode()
