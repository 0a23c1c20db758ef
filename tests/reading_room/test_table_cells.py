"""The list tables: headings and cells follow each record's declared table
(``engagements.columns``), each kind of cell shows what it should, and every value is escaped.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from engagements.columns import record_for
from engagements.models import (
    Agreement,
    AgreementStatusChange,
    Country,
    Grouping,
    Initiative,
    Meeting,
    Official,
    Participation,
    Post,
    Source,
)

pytestmark = pytest.mark.django_db

NASTY = "<i>\"Q\" & 'A'</i>"
ESCAPED = "&lt;i&gt;&quot;Q&quot; &amp; &#x27;A&#x27;&lt;/i&gt;"

PAGES = {
    Meeting: "/meetings/?per_page=200",
    Agreement: "/agreements/?per_page=200",
    Initiative: "/initiatives/?per_page=200",
    Official: "/officials/?per_page=200",
    Country: "/countries/",
    Grouping: "/groupings/?per_page=200",
    Source: "/sources/?per_page=200",
}


class Table(HTMLParser):
    """The records table of a page: its heading labels and, per row, its cells as
    ``(tag, attributes, inner markup)``."""

    def __init__(self, body: str):
        super().__init__(convert_charrefs=False)
        self.headings: list[str] = []
        self.rows: list[list[tuple[str, dict, str]]] = []
        self._in_table = self._in_head = False
        self._cell: tuple[str, dict] | None = None
        self._markup: list[str] = []
        start = body.index('<table class="records">')
        self.feed(body[start : body.index("</table>", start) + len("</table>")])

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th") and self._cell is None:
            self._cell, self._markup = (tag, dict(attrs)), []
            return
        if self._cell is not None:
            self._markup.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            markup = "".join(self._markup)
            if self._in_head:
                self.headings.append(_text(markup))
            else:
                self.rows[-1].append((*self._cell, markup))
            self._cell = None
        elif self._cell is not None:
            self._markup.append(f"</{tag}>")

    def handle_data(self, data):
        if self._cell is not None:
            self._markup.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def _text(markup: str) -> str:
    """A heading's text without its tags and its sort arrow."""
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return text.replace("↑", "").replace("↓", "").strip()


def table_of(client, model, **params) -> Table:
    response = client.get(PAGES[model], params)
    assert response.status_code == 200
    return Table(response.content.decode())


def row_of(table: Table, text: str) -> dict[str, str]:
    """The cells (by heading) of the row whose heading cell holds ``text``."""
    for row in table.rows:
        if any(tag == "th" and text in markup for tag, _, markup in row):
            return dict(zip(table.headings, (markup for _, _, markup in row), strict=True))
    raise AssertionError(f"no row shows {text!r}")


@pytest.mark.parametrize("model", PAGES, ids=lambda m: m._meta.model_name)
def test_headings_and_cells_are_the_declared_table(client, model):
    cells = record_for(model).table
    table = table_of(client, model)
    assert table.headings == [cell.label for cell in cells]
    shown = model.objects.count() if model is Country else min(model.objects.count(), 200)
    assert len(table.rows) == shown > 0  # the countries are one page
    for row in table.rows:
        assert len(row) == len(cells)
        for (tag, attrs, _), cell in zip(row, cells, strict=True):
            if cell.heading:
                assert (tag, attrs) == ("th", {"scope": "row"})
            else:
                assert tag == "td" and attrs["data-label"] == cell.label  # narrow screens
                assert ("num" in attrs.get("class", "")) == cell.numeric


@pytest.mark.parametrize("model", PAGES, ids=lambda m: m._meta.model_name)
def test_sortable_headings_link_to_their_sort(client, model):
    body = client.get(PAGES[model]).content.decode()
    for cell in record_for(model).table:
        if cell.sort:
            assert f"sort={cell.sort[0]}" in body or f"sort={cell.sort[1]}" in body, cell.label


@pytest.fixture
def nasty_text():
    """Text that needs escaping in every kind of value a row shows."""
    first = {m: m.objects.order_by("pk").values("pk")[:1] for m in PAGES}
    Meeting.objects.filter(pk=first[Meeting]).update(title=f"M {NASTY}", city=f"C {NASTY}")
    Official.objects.filter(pk=first[Official]).update(name=f"N {NASTY}", honorific=NASTY)
    Agreement.objects.filter(pk=first[Agreement]).update(title=f"A {NASTY}", short_name=NASTY)
    Initiative.objects.filter(pk=first[Initiative]).update(name=f"I {NASTY}", short_name=NASTY)
    Grouping.objects.filter(pk=first[Grouping]).update(short_name=f"G {NASTY}", name=NASTY)
    Source.objects.filter(pk=first[Source]).update(title=f"S {NASTY}", publisher=NASTY)
    Source.objects.filter(pk=Source.objects.order_by("-pk").values("pk")[:1]).update(
        publisher="", dateline=NASTY
    )
    Post.objects.filter(pk=Post.objects.order_by("pk").values("pk")[:1]).update(title=NASTY)
    Country.objects.filter(iso2="US").update(official_name=f"United States {NASTY}")


@pytest.mark.parametrize("model", PAGES, ids=lambda m: m._meta.model_name)
def test_every_value_is_escaped(client, nasty_text, model):
    table = table_of(client, model)
    markup = "".join(cell for row in table.rows for _, _, cell in row)
    assert ESCAPED in markup
    assert "<i>" not in markup


def test_meeting_cells(client):
    table = table_of(client, Meeting)
    visit = Meeting.objects.get(slug="2019-09-rajnath-singh-visit-to-japan-and-korea")
    row = row_of(table, f'/meetings/{visit.slug}/"')
    assert row["Date"].startswith('<time datetime="2019-09-02/2019-09-06">')
    # Partners leave India out; every other country links to its page.
    assert "/countries/jp/" in row["Partners"] and "/countries/kr/" in row["Partners"]
    assert "/countries/in/" not in row["Partners"]
    month = row_of(table, '/meetings/admm-plus-11/"')
    assert month["Date"] == '<time datetime="2024-11">November 2024</time>'
    admm = Meeting.objects.get(slug="admm-plus-11")
    assert f'<span class="sub">{admm.get_kind_display()} · ' in month["Meeting"]
    undated = row_of(table, '/meetings/india-uk-economic-and-financial-dialogue-13/"')
    assert undated["Date"] == "date unknown" and undated["Who attended"].count("muted") == 1
    talks = Meeting.objects.get(slug="2024-11-21-rajnath-singh-lloyd-austin-talks")
    attended = row_of(table, f'/meetings/{talks.slug}/"')["Who attended"]
    names = [p.official.name for p in Participation.objects.filter(meeting=talks)]
    assert attended.count("<a ") == len(names) == 2 and all(n in attended for n in names)
    assert "¶" in row["Sources"]


def test_a_meeting_not_held_is_tagged(client):
    Meeting.objects.filter(slug="admm-plus-11").update(status="cancelled")
    row = row_of(table_of(client, Meeting), '/meetings/admm-plus-11/"')
    assert "<span class='tag status-cancelled'>Cancelled</span>" in row["Meeting"]


def test_agreement_status_cells(client):
    agreement = Agreement.objects.get(slug="aitiga")
    latest = agreement.latest_status
    row = row_of(table_of(client, Agreement), '/agreements/aitiga/"')
    assert f"status-{latest.status}" in row["Current status"]
    AgreementStatusChange.objects.filter(agreement=agreement).delete()
    row = row_of(table_of(client, Agreement), '/agreements/aitiga/"')
    assert row["Current status"] == '<span class="muted">not recorded</span>'


def test_country_counts_link_to_the_filtered_lists(client):
    korea = Country.objects.get(iso2="KR")
    row = row_of(table_of(client, Country), "/countries/kr/")
    n = Meeting.objects.filter(countries=korea).count()
    assert row["Meetings"] == f'<a href="/meetings/?country=KR">{n}</a>' and n > 0
    assert row["ISO"] == "<code>KR</code>"
    assert row_of(table_of(client, Country), "/countries/aq/")["Meetings"] == "0"


def test_official_meeting_counts_link_to_their_meetings(client):
    official = Official.objects.get(slug="rajnath-singh")
    row = row_of(table_of(client, Official), '/officials/rajnath-singh/"')
    n = Participation.objects.filter(official=official).count()
    assert row["Meetings"] == f'<a href="/meetings/?official=rajnath-singh">{n}</a>' and n > 5
    assert "/countries/in/" in row["Country"]


def test_undated_source_and_missing_publisher(client):
    source = Source.objects.get(published_on__isnull=True)
    Source.objects.filter(pk=source.pk).update(publisher="")
    row = row_of(table_of(client, Source), source.get_absolute_url())
    assert row["Published"] == '<span class="muted">undated</span>'
    assert row["Publisher"] == "—"
