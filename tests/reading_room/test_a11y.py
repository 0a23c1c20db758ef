"""Accessibility of the list pages: sorted columns say so, cells keep their headings on phones,
abbreviations are expanded, chart links have names."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

LISTS = {
    "/meetings/": ("Date", "descending"),
    "/meetings/?sort=title": ("Meeting", "ascending"),
    "/agreements/": ("Agreement", "ascending"),
    "/agreements/?sort=-date": ("Current status", "descending"),
    "/initiatives/?sort=-name": ("Initiative", "descending"),
    "/officials/": ("Official", "ascending"),
    "/officials/?sort=country": ("Country", "ascending"),
    "/countries/": ("Meetings", "descending"),
    "/countries/?sort=name": ("Country", "ascending"),
    "/groupings/": ("Grouping", "ascending"),
    "/sources/": ("Key", "ascending"),
}


class Table(HTMLParser):
    """The headings of ``table.records`` and the cells of its body rows."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[dict, str]] = []
        self.rows: list[list[tuple[str, dict]]] = []
        self._in_table = self._in_head = False
        self._cell: tuple[dict, list] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "records" in (attrs.get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "thead":
            self._in_head = True
        elif self._in_table and tag == "tr" and not self._in_head:
            self.rows.append([])
        elif self._in_table and tag in ("th", "td"):
            self._cell = (attrs, [])
            if not self._in_head:
                self.rows[-1].append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell and self._in_head:
            attrs, text = self._cell
            self.headings.append((attrs, "".join(text).strip()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1].append(data)


def table(client, url: str) -> Table:
    response = client.get(url)
    assert response.status_code == 200
    parser = Table()
    parser.feed(response.content.decode())
    assert parser.rows, url
    return parser


@pytest.mark.parametrize(("url", "expected"), LISTS.items())
def test_the_sorted_column_has_aria_sort(client, url, expected):
    parsed = table(client, url)
    sorted_columns = [
        (re.sub(r"\W+$", "", text), attrs["aria-sort"])
        for attrs, text in parsed.headings
        if "aria-sort" in attrs
    ]
    assert sorted_columns == [expected]


@pytest.mark.parametrize("url", LISTS)
def test_every_cell_names_its_column(client, url):
    parsed = table(client, url)
    headings = [re.sub(r"\W+$", "", text) for _, text in parsed.headings]
    for row in parsed.rows:
        assert len(row) == len(headings)
        for (tag, attrs), heading in zip(row, headings, strict=True):
            if tag == "td":
                assert attrs.get("data-label") == heading, (url, heading)


def test_phone_stylesheet_shows_the_labels(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("engagements/defrel.css")).read_text()
    phone = css.split("@media (max-width: 600px)", 1)[1].split("@media", 1)[0]
    assert "content: attr(data-label)" in phone


@pytest.mark.parametrize("url", ["/agreements/", "/initiatives/", "/meetings/"])
def test_abbreviations_are_expanded(client, url):
    body = client.get(url, {"per_page": 200}).content.decode()
    abbrs = re.findall(r"<abbr[^>]*>", body)
    assert all(re.search(r'title="[^"]+"', a) for a in abbrs)
    if url != "/meetings/":
        assert abbrs


def test_overview_chart_links_have_names_and_no_image_holds_a_link(client):
    body = client.get("/").content.decode()
    svgs = re.findall(r"<svg.*?</svg>", body, re.S)
    assert svgs
    for svg in svgs:
        if "role='img'" in svg:
            assert "<a " not in svg
        for link in re.findall(r"<a [^>]*>", svg):
            assert "aria-label='" in link
