"""Hostile or damaged URLs: never a 500 (on SQLite and PostgreSQL alike)."""

import base64
import json

import pytest

pytestmark = pytest.mark.django_db

LISTS = [
    "/meetings/",
    "/agreements/",
    "/initiatives/",
    "/officials/",
    "/groupings/",
    "/sources/",
]


def cursor(values) -> str:
    return raw_cursor(json.dumps(values))


def raw_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("per_page=%C2%B2", "rows per page is not offered"),  # "²".isdigit() is True
        ("per_page=" + "9" * 5000, "rows per page is not offered"),
        ("per_page=%D9%A1%D9%A0%D9%A0", "rows per page is not offered"),  # Arabic-Indic 100
        ("page=%C2%B2", "is not a page number"),
        ("page=" + "9" * 5000, "is beyond the first 10,000 rows"),
        ("page=%D9%A2", "is not a page number"),
    ],
)
def test_odd_digits_in_page_parameters_give_a_note(client, url, query, note):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert note in response.content.decode()


@pytest.mark.parametrize("url", ["/sources/%00/", "/countries/%00/", "/countries/k%00/"])
def test_nul_in_a_record_address_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/?sort=title&after=" + cursor(["a\u0000", 1]),
        "/meetings/?sort=title&before=" + cursor(["a\u0000", 1]),
        "/sources/?sort=title&after=" + cursor(["x\u0000y", 1]),
        "/officials/?sort=country&after=" + cursor(["\u0000", "b", 1]),
        "/meetings/?sort=title&after=" + cursor([["a"], 1]),
        "/agreements/?after=" + cursor([{"a": 1}, 1]),
        # Numbers the database cannot take, and a string that cannot be encoded.
        # (A meeting's date sorts: start, the extent's end as tie-break, then id.)
        "/meetings/?after=" + raw_cursor('["2020-01-01", "2020-01-01", Infinity]'),
        "/meetings/?after=" + raw_cursor('["2020-01-01", "2020-01-01", NaN]'),
        "/meetings/?before=" + raw_cursor('["2020-01-01", "2020-01-01", 1e400]'),
        "/meetings/?after=" + raw_cursor('["2020-01-01", "2020-01-01", 1.5]'),
        "/meetings/?after=" + cursor(["2020-01-01", "2020-01-01", 10**30]),
        "/agreements/?after=" + cursor([None, -(10**19)]),
        "/meetings/?sort=title&after=" + raw_cursor('["\\ud800", 1]'),
        "/officials/?sort=country&before=" + raw_cursor('["a", "\\udfff", 1]'),
        "/sources/?after=" + raw_cursor("[" * 100000),
    ],
)
def test_a_cursor_with_nul_or_structure_is_damaged_not_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "The page link is damaged" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/?q=%00",
        "/officials/?q=%00",
        "/countries/?q=%00",
        "/sources/?publisher=%00",
        "/meetings/?official=%00",
        "/agreements/?official=a%00b",
        "/meetings/?grouping=%00",
        "/officials/?grouping=%00",
        "/countries/?grouping=%00",
        "/meetings/?country=%00",
        "/meetings/?kind=%00",
        "/meetings/?sort=%00",
    ],
)
def test_nul_in_a_filter_is_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "These filters cannot be applied" in response.content.decode()
