"""The cells of the reading room's list tables, written in Python from ``Record.table``.

A list page shows up to 200 rows (every country, 249, on one page), each with a dozen values
and links: through template loops each value costs a variable lookup, a filter call and an
escape through several layers (69 ms for 200 meetings, against 8 ms written here). Every
value is escaped as the template language would (``conditional_escape``: text is escaped,
``SafeString`` is not).

``Record.table`` (``engagements.columns``) declares each list's cells: a heading, the name of
a renderer here (``Cell.show``) and the values it uses. A renderer takes the row's record and
the cell and returns the cell's inner markup; :func:`table_rows` wraps it in ``<td>`` (with
its ``data-label`` for narrow screens) or in the row heading's ``<th>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe

from ..columns.base import Cell
from ..dates import DatePrecision, PartialDate
from ..models import MeetingStatus
from ..models.agreements import latest_of

MUTED_DASH = '<span class="muted">—</span>'


def e(value) -> str:
    """``value`` as the template shows it: escaped unless already safe HTML."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


# --- dates and statuses ---------------------------------------------------------------------


def time_html(value, precision: str = "") -> str:
    """``<time datetime="2024-11">November 2024</time>``: a date as precisely as known.

    ``value``: a PartialDate or DateSpan, or a stored date with its ``precision``. An unknown
    date is plain text (“date unknown”), never a ``<time>`` without a date.
    """
    if value is None or isinstance(value, dt.date):
        value = PartialDate(value, precision or DatePrecision.DAY)
    iso = value.interval() if hasattr(value, "interval") else value.isoformat()
    if not iso:
        return escape(value.humanize())
    return mark_safe(f'<time datetime="{escape(iso)}">{escape(value.humanize())}</time>')


_MEETING_STATUSES = dict(MeetingStatus.choices)


def status_tag(meeting) -> str:
    """A tag after a meeting that was not held (scheduled, cancelled); nothing for a held one."""
    status = getattr(meeting, "status", MeetingStatus.HELD)
    if not status or status == MeetingStatus.HELD:
        return ""
    label = _MEETING_STATUSES.get(status, status)
    return mark_safe(f" <span class='tag status-{escape(status)}'>{escape(str(label))}</span>")


# --- links to records, each detail URL pattern reversed once ----------------------------------

_PLACEHOLDER = "placeholder-0"
#: (script prefix, model name) → the detail URL before and after the record's key.
_PREFIXES: dict[tuple[str, str], tuple[str, str]] = {}
#: (script prefix, model name) → the list page's URL.
_LISTS: dict[tuple[str, str], str] = {}


class Links:
    """Links to records' detail pages and to list pages, for one page of rows.

    Each URL pattern is reversed once per process (per script prefix: a site served under a
    path has another), and the script prefix read once per page: a context-local lookup per
    link took more time than the rest of the row.
    """

    def __init__(self):
        self.script_prefix = get_script_prefix()

    def parts(self, model_name: str) -> tuple[str, str]:
        key = (self.script_prefix, model_name)
        if key not in _PREFIXES:
            url = reverse(f"engagements:{model_name}_detail", args=[_PLACEHOLDER])
            head, _, tail = url.partition(_PLACEHOLDER)
            _PREFIXES[key] = (head, tail)
        return _PREFIXES[key]

    def a(self, model_name: str, key: str, text) -> str:
        """``<a href="…">text</a>`` (``text`` escaped) to the record ``key`` names."""
        head, tail = self.parts(model_name)
        return f'<a href="{e(head + key + tail)}">{e(text)}</a>'

    def country(self, country, text=None) -> str:
        return self.a("country", country.iso2.lower(), country.name if text is None else text)

    def grouping(self, grouping) -> str:
        return self.a("grouping", grouping.slug, grouping.short_name)

    def source_href(self, source) -> str:
        head, tail = self.parts("source")
        return head + quote(source.key, safe="") + tail

    def list_url(self, model_name: str) -> str:
        key = (self.script_prefix, model_name)
        if key not in _LISTS:
            _LISTS[key] = reverse(f"engagements:{model_name}_list")
        return _LISTS[key]


_KIND_LABELS: dict[type, dict] = {}


def kind_label(record) -> str:
    """``record.get_kind_display()`` from choices read once (Django builds a dict per call)."""
    model = type(record)
    if model not in _KIND_LABELS:
        _KIND_LABELS[model] = dict(model._meta.get_field("kind").flatchoices)
    return str(_KIND_LABELS[model].get(record.kind, record.kind))


def related(record, name: str):
    """The related records ``name`` of a row: ``record.<name>.all()``, or what stands for it.

    The list views put light tuples in ``record.listed`` (one query per relation for the
    page); prefetched records are read straight from the prefetch cache (``.all()`` builds a
    manager and a queryset for each row to find them).
    """
    listed = record.__dict__.get("listed")
    if listed is not None and name in listed:
        return listed[name]
    prefetched = getattr(record, "_prefetched_objects_cache", {})
    if name in prefetched:
        return prefetched[name]
    return getattr(record, name).all()


def cite_links_html(citations, links: Links | None = None) -> str:
    """Compact links to a record's sources: one per source, its paragraphs after it."""
    by_source: dict[int, list] = {}
    for citation in citations:
        by_source.setdefault(citation.source_id, []).append(citation)
    if not by_source:
        return "<span class='muted'>—</span>"
    links = links or Links()
    out = []
    for cited in by_source.values():
        source = cited[0].source
        label = source.publisher or source.title
        if len(label) > 26:
            label = label[:25] + "…"
        if source.published_on:
            label = f"{label}, {source.published_on:%b %Y}"
        paragraphs = ", ".join(str(c.paragraph) for c in cited)
        out.append(
            f"<a class='cite' href='{e(links.source_href(source))}' title='{e(source.title)}'>"
            f"{e(label)} <span class='locator'>¶ {e(paragraphs)}</span></a>"
        )
    return " ".join(out)


def _abbreviated(name: str, short_name: str) -> str:
    return f' (<abbr title="{e(name)}">{e(short_name)}</abbr>)' if short_name else ""


def _count_link(links: Links, model_name: str, param: str, value: str, n) -> str:
    return f'<a href="{e(links.list_url(model_name))}?{param}={e(value)}">{e(n)}</a>'


# --- the renderers, by Cell.show --------------------------------------------------------------


def _countries(record, cell: Cell, links: Links) -> str:
    return ", ".join(links.country(c) for c in related(record, cell.uses[0]))


def _meeting(m, cell: Cell, links: Links) -> str:
    grouping = f" · {e(m.grouping.short_name)}" if m.grouping else ""
    return (
        f"{links.a('meeting', m.slug, m.title)}{e(status_tag(m))}"
        f'<span class="sub">{e(kind_label(m))}{grouping}</span>'
    )


def _place(m, cell: Cell, links: Links) -> str:
    where = ""
    if m.city:
        where = e(m.city) + (", " if m.country else "")
    if m.country:
        where += e(m.country.name)
    return where


def _partners(m, cell: Cell, links: Links) -> str:
    """The countries other than India (India takes part in every record)."""
    return ", ".join(links.country(c) for c in related(m, cell.uses[0]) if c.iso2 != "IN")


def participant_html(p, links: Links) -> str:
    """A participant: the official's link, or the description (with its country's name)."""
    if p.official is not None:
        return links.a("official", p.official.slug, p.official.name)
    country = f' <span class="sub inline">{e(p.country)}</span>' if p.country else ""
    return f"{e(p.description)}{country}"


def _attendance(m, cell: Cell, links: Links) -> str:
    attended = "; ".join(participant_html(p, links) for p in related(m, cell.uses[0]))
    return attended or MUTED_DASH


def _agreement(a, cell: Cell, links: Links) -> str:
    return (
        f"{links.a('agreement', a.slug, a.title)}{_abbreviated(a.title, a.short_name)}"
        f'<span class="sub">{e(kind_label(a))}</span>'
    )


def _parties(a, cell: Cell, links: Links) -> str:
    parties = [links.country(c) for c in related(a, "parties")]
    parties += [links.grouping(g) for g in related(a, "party_groupings")]
    return ", ".join(parties)


def _status(a, cell: Cell, links: Links) -> str:
    s = latest_of(related(a, cell.uses[0]))
    if not s:
        return '<span class="muted">not recorded</span>'
    when = e(s.when) if s.date else "date unknown"
    return (
        f'<span class="status status-{e(s.status)}">{e(s.get_status_display())}</span> '
        f'<span class="sub">{when}</span>'
    )


def _initiative(i, cell: Cell, links: Links) -> str:
    return (
        f"{links.a('initiative', i.slug, i.name)}{_abbreviated(i.name, i.short_name)}"
        f'<span class="sub">{e(kind_label(i))}</span>'
    )


def _since(i, cell: Cell, links: Links) -> str:
    return e(time_html(i.start)) if i.start_date else MUTED_DASH


def _involved(i, cell: Cell, links: Links) -> str:
    head, tail = links.parts("grouping")
    involved = [
        f'<a href="{e(head + g.slug + tail)}"><strong>{e(g.short_name)}</strong></a>'
        for g in related(i, "groupings")
    ]
    involved += [links.country(c) for c in related(i, "countries")]
    return ", ".join(involved)


def _official(o, cell: Cell, links: Links) -> str:
    honorific = f'<span class="sub">{e(o.honorific)}</span>' if o.honorific else ""
    return f"{links.a('official', o.slug, o.name)}{honorific}"


def _tenures(o, cell: Cell, links: Links) -> str:
    posts = "<br>".join(
        f"{links.a('post', t.post.slug, t.post.title)} "
        f'<span class="sub inline">{e(t.period)}</span>'
        for t in related(o, cell.uses[0])
    )
    return posts or MUTED_DASH


def _post(p, cell: Cell, links: Links) -> str:
    organisation = f'<span class="sub">{e(p.organisation)}</span>' if p.organisation else ""
    return f"{links.a('post', p.slug, p.title)}{organisation}"


def _holders(p, cell: Cell, links: Links) -> str:
    held = "<br>".join(
        f"{links.a('official', t.official.slug, t.official.name)} "
        f'<span class="sub inline">{e(t.period)}</span>'
        for t in related(p, cell.uses[0])
    )
    return held or MUTED_DASH


def _attended_count(o, cell: Cell, links: Links) -> str:
    return _count_link(links, "meeting", "official", o.slug, getattr(o, "meeting_count", 0) or 0)


def _country(c, cell: Cell, links: Links) -> str:
    official = ""
    if c.official_name and c.official_name != c.name:
        official = f'<span class="sub">{e(c.official_name)}</span>'
    return f"{links.country(c)}{official}"


def _groupings(record, cell: Cell, links: Links) -> str:
    return ", ".join(links.grouping(g) for g in related(record, cell.uses[0]))


def _record_count(c, cell: Cell, links: Links) -> str:
    noun = cell.uses[0]  # "meetings": the list of meetings of the country
    n = getattr(c, "counts", {}).get(noun)
    return _count_link(links, noun.removesuffix("s"), "country", c.iso2, n) if n else "0"


def _grouping(g, cell: Cell, links: Links) -> str:
    return f'{links.grouping(g)}<span class="sub">{e(g.name)}</span>'


def _meeting_count(g, cell: Cell, links: Links) -> str:
    return _count_link(links, "meeting", "grouping", g.slug, getattr(g, "meeting_count", 0) or 0)


def _published(s, cell: Cell, links: Links) -> str:
    return e(time_html(s.published)) if s.published_on else '<span class="muted">undated</span>'


def _source(s, cell: Cell, links: Links) -> str:
    dateline = f'<span class="sub">{e(s.dateline)}</span>' if s.dateline else ""
    return f'<a href="{e(links.source_href(s))}">{e(s.title)}</a>{dateline}'


def _meeting_date(o, cell: Cell, links: Links) -> str:
    """The date of the meeting an outcome came out of (the list reads it joined)."""
    return e(time_html(o.meeting.dates))


def _outcome(o, cell: Cell, links: Links) -> str:
    head, tail = links.parts("meeting")
    href = f"{head}{o.meeting.slug}{tail}#outcome-{o.slug}"
    return (
        f'<span class="tag kind-{e(o.kind)}">{e(kind_label(o))}</span> '
        f'<a href="{e(href)}">{e(o.summary)}</a>'
    )


def _outcome_meeting(o, cell: Cell, links: Links) -> str:
    return links.a("meeting", o.meeting.slug, o.meeting.title)


def _topics(record, cell: Cell, links: Links) -> str:
    """Each topic, linking to this list filtered by it."""
    url = links.list_url(record._meta.model_name)
    topics = [
        f'<a href="{e(url)}?topic={e(t.slug)}">{e(t.name)}</a>'
        for t in related(record, cell.uses[0])
    ]
    return ", ".join(topics) or MUTED_DASH


def _dates(record, cell: Cell, links: Links) -> str:
    return e(time_html(getattr(record, cell.uses[0])))


Renderer = Callable[[object, Cell, Links], str]

#: Cell.show → (CSS class of the cell, renderer).
RENDERERS: dict[str, tuple[str, Renderer]] = {
    # values of the record itself
    "text": ("", lambda r, cell, links: e(getattr(r, cell.uses[0]))),
    "code": ("", lambda r, cell, links: f"<code>{e(getattr(r, cell.uses[0]))}</code>"),
    "kind": ("", lambda r, cell, links: e(kind_label(r))),
    "publisher": ("", lambda r, cell, links: e(getattr(r, cell.uses[0]) or "—")),
    "dates": ("date", _dates),
    "published": ("date", _published),
    "since": ("date", _since),
    "place": ("", _place),
    "country_link": ("", lambda r, cell, links: links.country(getattr(r, cell.uses[0]))),
    "meeting_date": ("date", _meeting_date),
    "outcome_meeting": ("", _outcome_meeting),
    # related rows
    "countries": ("", _countries),
    "partners": ("", _partners),
    "groupings": ("", _groupings),
    "parties": ("", _parties),
    "involved": ("", _involved),
    "attendance": ("", _attendance),
    "tenures": ("", _tenures),
    "holders": ("", _holders),
    "topics": ("", _topics),
    "status": ("", _status),
    "citations": ("cites", lambda r, cell, links: cite_links_html(related(r, cell.uses[0]), links)),
    # figures
    "record_count": ("", _record_count),
    "attended_count": ("", _attended_count),
    "meeting_count": ("", _meeting_count),
    # row headings
    "country": ("", _country),
    "meeting": ("", _meeting),
    "agreement": ("", _agreement),
    "initiative": ("", _initiative),
    "official": ("", _official),
    "post": ("", _post),
    "grouping": ("", _grouping),
    "source": ("", _source),
    "outcome": ("", _outcome),
}

_ROW = "\n  <tr>\n    {}\n  </tr>\n  "


def _wrappers(table: tuple[Cell, ...]) -> list[tuple[str, str, Renderer, Cell]]:
    """(opening tag, closing tag, renderer, cell) of each cell of ``table``."""
    wrappers = []
    for cell in table:
        css, render = RENDERERS[cell.show]
        if cell.heading:
            wrappers.append(('<th scope="row">', "</th>", render, cell))
            continue
        css = "num" if cell.numeric else css
        attrs = f' class="{css}"' if css else ""
        wrappers.append((f'<td{attrs} data-label="{e(cell.label)}">', "</td>", render, cell))
    return wrappers


def table_rows(records, table: tuple[Cell, ...]) -> SafeString:
    """The ``<tr>`` elements of ``records`` in the cells of ``table``."""
    wrappers = _wrappers(table)
    links = Links()
    rows = (
        _ROW.format(
            "\n    ".join(
                f"{opening}{render(record, cell, links)}{closing}"
                for opening, closing, render, cell in wrappers
            )
        )
        for record in records
    )
    return mark_safe("".join(rows))
