"""The API's filters are the list pages': the same parameters choose the same rows, in the
same order, with the same count, and a bad value gets the page's own message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from engagements.models import Participation, Tenure

from .reading import get, walk

pytestmark = pytest.mark.django_db

#: (endpoint, page, the rows' key, queries)
CASES = [
    (
        "meetings",
        "meeting_list",
        "slug",
        [
            {},
            {"country": "KR"},
            {"country": ["SG", "MY"]},
            {"country": "sg,my"},
            {"year_from": 2024, "year_to": 2024},
            {"kind": ["visit", "summit"]},
            {"status": "held"},
            {"official": "rajnath-singh"},
            {"official": "Rajnath Singh"},
            {"grouping": "admm-plus"},
            {"topic": "defence-technology"},
            {"q": "defence"},
            {"sort": "title"},
            {"sort": "date", "country": "KR"},
        ],
    ),
    (
        "agreements",
        "agreement_list",
        "slug",
        [{}, {"status": "signed"}, {"country": "SG"}, {"year_from": 2020}, {"sort": "-date"}],
    ),
    (
        "initiatives",
        "initiative_list",
        "slug",
        [{}, {"kind": "mechanism"}, {"level": "strategic"}, {"country": "KR"}, {"sort": "date"}],
    ),
    (
        "outcomes",
        "outcome_list",
        "slug",
        [{}, {"actor": "IN", "kind": ["offer", "request", "invite"]}, {"target": "NZ"}],
    ),
    ("officials", "official_list", "slug", [{}, {"country": "IN"}, {"sort": "country"}]),
    (
        "countries",
        "country_list",
        "iso2",
        [{}, {"engaged": "true"}, {"grouping": "asean"}, {"q": "korea"}, {"sort": "-name"}],
    ),
    ("groupings", "grouping_list", "slug", [{}, {"country": "AU"}, {"kind": "regional"}]),
    ("sources", "source_list", "key", [{}, {"year_from": 2025}, {"sort": "-date"}]),
]


def page_rows(client, page: str, query: dict):
    response = client.get(reverse(f"engagements:{page}"), {**query, "per_page": 200})
    assert response.status_code == 200, (page, query)
    return response.context["rows"], response.context["count"]


@pytest.mark.parametrize(
    ("endpoint", "page", "key", "query"),
    [(e, p, k, q) for e, p, k, queries in CASES for q in queries],
)
def test_the_api_lists_what_the_page_lists(client, endpoint, page, key, query):
    rows, counts = walk(client, endpoint, {**query, "per_page": 7})
    expected, count = page_rows(client, page, query)
    assert [r[key] for r in rows] == [getattr(o, key) for o in expected]
    assert set(counts) == {count}
    if query:  # a filter that chooses nothing would prove nothing
        assert rows


def test_participants_are_those_of_the_filtered_meetings(client):
    query = {"country": "KR"}
    meetings, _ = page_rows(client, "meeting_list", query)
    rows, counts = walk(client, "participants", {**query, "per_page": 3})
    expected = Participation.objects.filter(meeting__in=meetings).order_by("id")
    assert [(r["meeting"], r["official"], r["description"]) for r in rows] == [
        (p.meeting.slug, p.official.slug if p.official else None, p.description or None)
        for p in expected
    ]
    assert counts[0] == len(rows) > 0


def test_tenures_are_those_of_the_filtered_officials(client):
    officials, _ = page_rows(client, "official_list", {"country": "IN"})
    rows, _ = walk(client, "tenures", {"country": "IN", "per_page": 4})
    expected = Tenure.objects.filter(official__in=officials).order_by("id")
    assert [(r["official"], r["post"]) for r in rows] == [
        (t.official.slug, t.post.slug) for t in expected
    ]


def test_posts_filter_by_country_and_words(client):
    rows, _ = walk(client, "posts", {"country": "IN"})
    assert rows and {r["country"] for r in rows} == {"IN"}
    found = get(client, "posts", {"q": "national defence", "country": "KR"})["results"]
    assert [r["slug"] for r in found] == ["kr-minister-of-national-defence"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"year_from": "abc"}, "year_from"),
        ({"year_from": "1492"}, "year_from"),
        ({"country": "Korea!"}, "country"),
        ({"country": "ZZ"}, "country"),
        ({"kind": "picnic"}, "kind"),
        ({"grouping": "no-such-grouping"}, "grouping"),
        ({"official": "Nobody Atall"}, "official"),
        ({"sort": "size"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_a_bad_filter_value_is_a_400_with_the_pages_message(client, query, parameter):
    problem = get(client, "meetings", query, status=400)
    assert problem["status"] == 400
    assert list(problem["errors"]) == [parameter]
    page = client.get(reverse("engagements:meeting_list"), query)
    assert page.status_code == 400
    assert problem["errors"][parameter] == list(page.context["form"].errors[parameter])


@pytest.mark.parametrize(
    ("endpoint", "query", "parameter"),
    [
        ("meetings", {"colour": "red"}, "colour"),
        ("meetings", {"format": "csv"}, "format"),
        ("meetings", {"page": "2"}, "page"),
        ("participants", {"sort": "title"}, "sort"),  # a derived table has its own order
        ("sources", {"country": "IN"}, "country"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it(client, endpoint, query, parameter):
    problem = get(client, endpoint, query, status=400)
    assert list(problem["errors"]) == [parameter]
    assert "Not a parameter" in problem["errors"][parameter][0]
