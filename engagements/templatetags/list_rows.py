"""The table rows of the list pages, written in Python.

A list page shows up to 200 rows (every country, 249, on one page), each with a dozen values
and links: in the template language each value costs a variable lookup, a filter call and an
escape through several layers (40–90 ms a page). These filters write the same markup with
plain string formatting, escaping every value as the template would (``conditional_escape``:
text is escaped, ``SafeString`` is not), so the HTML users get is unchanged.

Each ``*_rows`` filter returns the ``<tr>`` elements of a ``<tbody>``; the whitespace around
them is that of the ``{% for %}`` loop they replace. The markup of each cell is beside it:
change a column here and in its ``<thead>`` in the page's template.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe

from .reading_room import as_time, meeting_status

register = template.Library()

_MUTED_DASH = '<span class="muted">—</span>'
_ROW = "\n  <tr>\n    {}\n  </tr>\n  "


def e(value) -> str:
    """``value`` as the template shows it: escaped unless already safe HTML."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


# --- links to records (the detail pages), a reverse() per page rather than per link ---------


class _Links:
    """``url(record)`` is ``record.get_absolute_url()``: each URL pattern reversed once."""

    _PLACEHOLDER = "placeholder-0"

    def __init__(self):
        self._prefixes: dict[str, tuple[str, str]] = {}
        self._kinds: dict[type, dict] = {}

    def prefix(self, model_name: str) -> tuple[str, str]:
        if model_name not in self._prefixes:
            url = reverse(f"engagements:{model_name}_detail", args=[self._PLACEHOLDER])
            head, _, tail = url.partition(self._PLACEHOLDER)
            self._prefixes[model_name] = (head, tail)
        return self._prefixes[model_name]

    def a(self, model_name: str, key: str, text) -> str:
        """``<a href="…">text</a>`` (``text`` escaped) to the record ``key`` names."""
        head, tail = self.prefix(model_name)
        return f'<a href="{e(head + key + tail)}">{e(text)}</a>'

    def country(self, country, text=None) -> str:
        return self.a("country", country.iso2.lower(), country.name if text is None else text)

    def grouping(self, grouping) -> str:
        return self.a("grouping", grouping.slug, grouping.short_name)

    def kind(self, record) -> str:
        """``record.get_kind_display()``, its choices read once a page (Django builds a
        dict of them for every call)."""
        model = type(record)
        if model not in self._kinds:
            self._kinds[model] = dict(model._meta.get_field("kind").flatchoices)
        return str(self._kinds[model].get(record.kind, record.kind))

    def source_href(self, source) -> str:
        head, tail = self.prefix("source")
        return head + quote(source.key, safe="") + tail


def related(record, name: str):
    """The related records ``name`` of a row: ``record.<name>.all()``, or what stands for it.

    The list views put light tuples with the attributes read here in ``record.listed``
    (``views/lists.py``: ``listings``); prefetched records are read straight from the
    prefetch cache (``.all()`` builds a manager and a queryset for each row to find them).
    """
    listed = record.__dict__.get("listed")
    if listed is not None and name in listed:
        return listed[name]
    prefetched = getattr(record, "_prefetched_objects_cache", {})
    if name in prefetched:
        return prefetched[name]
    return getattr(record, name).all()


def _list_url(name: str) -> str:
    return reverse(f"engagements:{name}_list")


def cite_links_html(citations, links: _Links | None = None) -> str:
    """What ``cite_links`` shows (see there), written without ``format_html`` per link."""
    by_source: dict[int, list] = {}
    for citation in citations:
        by_source.setdefault(citation.source_id, []).append(citation)
    if not by_source:
        return "<span class='muted'>—</span>"
    links = links or _Links()
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


def _rows(records, row) -> SafeString:
    links = _Links()
    return mark_safe("".join(_ROW.format(row(record, links)) for record in records))


# --- the pages ------------------------------------------------------------------------------


@register.filter
def meeting_rows(meetings) -> SafeString:
    def row(m, links: _Links) -> str:
        grouping = f" · {e(m.grouping.short_name)}" if m.grouping else ""
        where = ""
        if m.city:
            where = e(m.city) + (", " if m.country else "")
        if m.country:
            where += e(m.country.name)
        partners = ", ".join(links.country(c) for c in related(m, "countries") if c.iso2 != "IN")
        attended = "; ".join(
            links.a("official", p.official.slug, p.official.name)
            for p in related(m, "participations")
        )
        return (
            f'<td class="date" data-label="Date">{e(as_time(m.dates))}</td>\n    '
            f'<th scope="row">{links.a("meeting", m.slug, m.title)}{e(meeting_status(m))}'
            f'<span class="sub">{e(links.kind(m))}{grouping}</span></th>\n    '
            f'<td data-label="Where">{where}</td>\n    '
            f'<td data-label="Partners">{partners}</td>\n    '
            f'<td data-label="Who attended">{attended or _MUTED_DASH}</td>\n    '
            f'<td class="cites" data-label="Sources">'
            f"{cite_links_html(related(m, 'citations'), links)}</td>"
        )

    return _rows(meetings, row)


def _abbreviated(name: str, short_name: str) -> str:
    return f' (<abbr title="{e(name)}">{e(short_name)}</abbr>)' if short_name else ""


def latest_status(changes):
    """``Agreement.latest_status`` of the listed changes: the latest dated, else the last."""

    def order(change):
        return (change.date is not None, change.date or 0, change.pk or 0)

    return max(changes, key=order, default=None)


@register.filter
def agreement_rows(agreements) -> SafeString:
    def row(a, links: _Links) -> str:
        parties = [links.country(c) for c in related(a, "parties")]
        parties += [links.grouping(g) for g in related(a, "party_groupings")]
        s = latest_status(related(a, "status_history"))
        if s:
            when = e(s.when) if s.date else "date unknown"
            status = (
                f'<span class="status status-{e(s.status)}">{e(s.get_status_display())}</span> '
                f'<span class="sub">{when}</span>'
            )
        else:
            status = '<span class="muted">not recorded</span>'
        return (
            f'<th scope="row">{links.a("agreement", a.slug, a.title)}'
            f"{_abbreviated(a.title, a.short_name)}"
            f'<span class="sub">{e(links.kind(a))}</span></th>\n    '
            f'<td data-label="Parties">{", ".join(parties)}</td>\n    '
            f'<td data-label="Current status">{status}</td>\n    '
            f'<td class="cites" data-label="Sources">'
            f"{cite_links_html(related(a, 'citations'), links)}</td>"
        )

    return _rows(agreements, row)


@register.filter
def initiative_rows(initiatives) -> SafeString:
    def row(i, links: _Links) -> str:
        since = e(as_time(i.start)) if i.start_date else _MUTED_DASH
        head, tail = links.prefix("grouping")
        involved = [
            f'<a href="{e(head + g.slug + tail)}"><strong>{e(g.short_name)}</strong></a>'
            for g in related(i, "groupings")
        ]
        involved += [links.country(c) for c in related(i, "countries")]
        return (
            f'<th scope="row">{links.a("initiative", i.slug, i.name)}'
            f"{_abbreviated(i.name, i.short_name)}"
            f'<span class="sub">{e(links.kind(i))}</span></th>\n    '
            f'<td class="date" data-label="Since">{since}</td>\n    '
            f'<td data-label="Countries and groupings">{", ".join(involved)}</td>\n    '
            f'<td class="cites" data-label="Sources">'
            f"{cite_links_html(related(i, 'citations'), links)}</td>"
        )

    return _rows(initiatives, row)


@register.filter
def official_rows(officials) -> SafeString:
    meetings = e(_list_url("meeting"))

    def row(o, links: _Links) -> str:
        honorific = f'<span class="sub">{e(o.honorific)}</span>' if o.honorific else ""
        posts = "<br>".join(
            f"{links.a('post', t.post.slug, t.post.title)} "
            f'<span class="sub inline">{e(t.period)}</span>'
            for t in related(o, "tenures")
        )
        return (
            f'<th scope="row">{links.a("official", o.slug, o.name)}{honorific}</th>\n    '
            f'<td data-label="Country">{links.country(o.country)}</td>\n    '
            f'<td data-label="Posts held">{posts or _MUTED_DASH}</td>\n    '
            f'<td class="num" data-label="Meetings"><a href="{meetings}?official={e(o.slug)}">'
            f"{e(getattr(o, 'meeting_count', 0) or 0)}</a></td>"
        )

    return _rows(officials, row)


@register.filter
def country_rows(countries) -> SafeString:
    lists = {name: e(_list_url(name)) for name in ("meeting", "agreement", "initiative")}

    def count(c, name: str) -> str:
        n = getattr(c, "counts", {}).get(f"{name}s")
        if not n:
            return "0"
        return f'<a href="{lists[name]}?country={e(c.iso2)}">{e(n)}</a>'

    def row(c, links: _Links) -> str:
        official = ""
        if c.official_name and c.official_name != c.name:
            official = f'<span class="sub">{e(c.official_name)}</span>'
        groupings = ", ".join(links.grouping(g) for g in related(c, "groupings"))
        return (
            f'<th scope="row">{links.country(c)}{official}</th>\n    '
            f'<td data-label="ISO"><code>{e(c.iso2)}</code></td>\n    '
            f'<td data-label="Groupings">{groupings}</td>\n    '
            f'<td class="num" data-label="Meetings">{count(c, "meeting")}</td>\n    '
            f'<td class="num" data-label="Agreements">{count(c, "agreement")}</td>\n    '
            f'<td class="num" data-label="Initiatives">{count(c, "initiative")}</td>'
        )

    return _rows(countries, row)


@register.filter
def grouping_rows(groupings) -> SafeString:
    meetings = e(_list_url("meeting"))

    def row(g, links: _Links) -> str:
        members = ", ".join(links.country(c) for c in related(g, "members"))
        return (
            f'<th scope="row">{links.grouping(g)}<span class="sub">{e(g.name)}</span></th>\n    '
            f'<td data-label="Kind">{e(links.kind(g))}</td>\n    '
            f'<td data-label="Members">{members}</td>\n    '
            f'<td class="num" data-label="Meetings"><a href="{meetings}?grouping={e(g.slug)}">'
            f"{e(getattr(g, 'meeting_count', 0) or 0)}</a></td>"
        )

    return _rows(groupings, row)


@register.filter
def source_rows(sources) -> SafeString:
    def row(s, links: _Links) -> str:
        published = (
            e(as_time(s.published)) if s.published_on else '<span class="muted">undated</span>'
        )
        dateline = f'<span class="sub">{e(s.dateline)}</span>' if s.dateline else ""
        return (
            f'<td class="date" data-label="Published">{published}</td>\n    '
            f'<th scope="row"><a href="{e(links.source_href(s))}">{e(s.title)}</a>'
            f"{dateline}</th>\n    "
            f'<td data-label="Publisher">{e(s.publisher or "—")}</td>\n    '
            f'<td data-label="Key"><code>{e(s.key)}</code></td>'
        )

    return _rows(sources, row)


# --- the admin's long list filters ------------------------------------------------------------


@register.filter
def admin_filter_choices(choices) -> SafeString:
    """The ``<li>`` of each choice of ``admin/filter.html``'s loop (``InUseListFilter``).

    The countries in use are ~250 choices: 4 ms through the template loop, for each change
    list. Same markup: ``iriencode`` of the query string, the label escaped.
    """
    items = []
    for choice in choices:
        selected = ' class="selected"' if choice["selected"] else ""
        href = e(iri_to_uri(choice["query_string"]))
        label = e(choice["display"])
        items.append(f'\n    <li{selected}>\n    <a href="{href}">{label}</a></li>\n  ')
    return mark_safe("".join(items))
