"""Cursor pages: next and previous walk every row exactly once, in order, as absolute links;
the count stops at the bound; a damaged cursor is a 400, never a 500."""

from __future__ import annotations

import base64
import json

import pytest

from engagements import caching
from engagements.models import Country

from .reading import get, walk

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("meetings", {}),
    ("meetings", {"sort": "date"}),  # undated meetings last, after the dated ones
    ("meetings", {"sort": "-title"}),
    ("participants", {}),
    ("agreements", {"sort": "-date"}),
    ("initiatives", {"sort": "date"}),
    ("outcomes", {}),
    ("officials", {"sort": "country"}),
    ("posts", {}),
    ("tenures", {}),
    ("countries", {}),  # one page on the site, sorted by counts: paged in memory here
    ("countries", {"sort": "name"}),
    ("groupings", {}),
    ("sources", {"sort": "-date"}),
]


def identity(row: dict):
    return row.get("api_url") or json.dumps(row, sort_keys=True)


@pytest.mark.parametrize(("endpoint", "query"), ENDPOINTS)
def test_next_and_previous_walk_every_row_once(client, endpoint, query):
    whole, (count, *_) = walk(client, endpoint, {**query, "per_page": 200})
    every = [identity(r) for r in whole]
    assert len(set(every)) == len(every) == count > 1
    size = 3 if len(every) < 60 else 40
    forward, counts = walk(client, endpoint, {**query, "per_page": size})
    assert [identity(r) for r in forward] == every
    assert set(counts) == {count}
    # From the last page back to the first by the previous links.
    last = get(client, endpoint, {**query, "per_page": size})
    while last["next"]:
        last = json.loads(client.get(last["next"].removeprefix("http://testserver")).content)
    rows = list(last["results"])
    page = last
    while page["previous"]:
        page = json.loads(client.get(page["previous"].removeprefix("http://testserver")).content)
        rows[:0] = page["results"]
    assert [identity(r) for r in rows] == every
    assert page["previous"] is None and last["next"] is None


def test_links_are_absolute_and_keep_the_filters(client):
    page = get(client, "meetings", {"country": "IN", "per_page": 2, "sort": "title"})
    assert page["previous"] is None
    assert page["next"].startswith("http://testserver/api/v1/meetings?")
    assert "country=IN" in page["next"] and "sort=title" in page["next"]
    assert "per_page=2" in page["next"] and "after=" in page["next"]


def test_the_count_is_bounded(client, monkeypatch):
    monkeypatch.setattr(caching, "COUNT_LIMIT", 10)
    page = get(client, "countries", {"per_page": 5})
    assert (page["count"], page["count_is_lower_bound"]) == (10, True)
    assert Country.objects.count() > 10
    small = get(client, "groupings")
    assert small["count_is_lower_bound"] is False


def cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "zzz",
        "!!!!",
        "é",
        "a\x00b",
        cursor({"a": 1}),
        cursor([1, 2, 3, 4]),
        cursor(["not a date", 1]),
        cursor(["2024-11-01", "x"]),
        cursor([["nested"], 1]),
        cursor(["2024-11-01", None]),
        cursor("string"),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_damaged_cursor_is_a_400(client, token, direction):
    problem = get(client, "meetings", {direction: token}, status=400)
    assert problem["status"] == 400 and list(problem["errors"]) == [direction]


def test_a_cursor_of_another_sort_is_a_400(client):
    by_title = get(client, "meetings", {"sort": "title", "per_page": 1})["next"]
    token = by_title.split("after=")[1]
    problem = get(client, "meetings", {"after": token, "sort": "-date"}, status=400)
    assert problem["errors"]["after"]


def test_a_cursor_naming_no_country_is_a_400(client):
    problem = get(client, "countries", {"after": cursor([10**9])}, status=400)
    assert "not in this list" in problem["errors"]["after"][0]


@pytest.mark.parametrize("size", ["0", "201", "-1", "ten", "1.5", "²"])
def test_a_bad_page_size_is_a_400(client, size):
    problem = get(client, "meetings", {"per_page": size}, status=400)
    assert list(problem["errors"]) == ["per_page"]


def test_after_and_before_together_are_a_400(client):
    token = get(client, "meetings", {"per_page": 1})["next"].split("after=")[1]
    assert get(client, "meetings", {"after": token, "before": token}, status=400)["errors"]


def test_a_page_past_the_end_is_empty_not_an_error(client):
    """After the last undated meeting (the end of newest-first): no rows, no next link.

    Its keys: no start date, the extent's end (the tie-break, a floor date when undated), id.
    """
    page = get(client, "meetings", {"sort": "-date", "after": cursor([None, "0001-01-01", 0])})
    assert page["results"] == [] and page["next"] is None
