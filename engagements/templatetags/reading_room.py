"""Template helpers of the researcher pages."""

from __future__ import annotations

import re

from django import template
from django.db.models import TextChoices
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from ..columns import record_for
from ..dates import PartialDate
from ..models import AgreementStatus, Country, Official
from ..views.cells import cite_links_html, status_tag, time_html
from ..views.querystring import with_params

register = template.Library()


@register.filter
def partial_date(value, precision: str = "day") -> str:
    """A stored date shown only as precisely as it is known: “November 2024”."""
    return PartialDate(value, precision).humanize()


@register.filter
def meeting_status(meeting) -> str:
    """A tag after a meeting that was not held (scheduled, cancelled); nothing for a held one."""
    return status_tag(meeting)


@register.filter
def as_time(value, precision: str = "") -> str:
    """``<time datetime="2024-11">November 2024</time>``: the date as precisely as known."""
    return time_html(value, precision)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^[-*•]\s+")


@register.filter
def paragraphs(text: str | None) -> str:
    """Text written hard-wrapped (the register's summaries and notes) as HTML paragraphs.

    Blank lines separate paragraphs; the single line breaks inside one are only wrapping, so
    they become spaces (``linebreaks`` would put a ``<br>`` mid-sentence). A block whose
    every line starts with “- ” is a list.
    """
    blocks = [b for b in _BLANK_LINE.split((text or "").replace("\r\n", "\n").strip()) if b.strip()]
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if all(_BULLET.match(line) for line in lines):
            items = format_html_join("", "<li>{}</li>", ((_BULLET.sub("", li),) for li in lines))
            html.append(format_html("<ul>{}</ul>", items))
        else:
            html.append(format_html("<p>{}</p>", " ".join(lines)))
    return mark_safe("\n".join(html))


_ORDINAL_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


@register.filter
def ordinal(value) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 111th (an edition of a meeting)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    suffix = "th" if 10 <= number % 100 <= 20 else _ORDINAL_SUFFIXES.get(number % 10, "th")
    return f"{number}{suffix}"


@register.filter
def status_label(code: str | None) -> str:
    return _label(AgreementStatus, code)


def _label(choices: type[TextChoices], code: str | None) -> str:
    if not code:
        return ""
    try:
        return str(choices(code).label)
    except ValueError:
        return code


# The last markup of each datalist with the rows it was written from: the rows are read on
# every page (so a country added or renamed shows at once), the markup rewritten only when
# they differ (249 countries are ~250 format_html calls a page otherwise).
_DATALISTS: dict[str, tuple[list, str]] = {}


def _datalist(list_id: str, rows: list) -> str:
    known = _DATALISTS.get(list_id)
    if known is not None and known[0] == rows:
        return known[1]
    options = "".join(
        f"<option value='{escape(value)}'>{escape(label)}</option>" for value, label in rows
    )
    markup = mark_safe(f"<datalist id='{list_id}'>{options}</datalist>")
    _DATALISTS[list_id] = (rows, markup)
    return markup


@register.simple_tag
def country_datalist() -> str:
    """The ``<datalist id="country-codes">`` behind every country filter box."""
    return _datalist("country-codes", list(Country.objects.values_list("iso2", "name")))


# Suggest officials' names only while there are few: at scale (tens of thousands) the list
# would weigh more than the page, and the box still takes a name or identifier typed out.
OFFICIAL_DATALIST_MAX = 500


@register.simple_tag
def official_datalist() -> str:
    """``<datalist id="official-names">``: identifiers labelled with names, when few."""
    # Unordered: only whether there are few matters here (sorted below when they are).
    rows = list(
        Official.objects.order_by().values_list("slug", "name")[: OFFICIAL_DATALIST_MAX + 1]
    )
    if len(rows) > OFFICIAL_DATALIST_MAX:
        return ""
    rows.sort(key=lambda r: r[1])
    return _datalist("official-names", rows)


@register.filter
def is_checkbox_group(field) -> bool:
    return field.widget_type in ("checkboxselectmultiple",)


@register.filter
def is_checkbox(field) -> bool:
    return field.widget_type == "checkbox"


@register.simple_tag(takes_context=True)
def nav_class(context, *names: str) -> str:
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.url_name if match else ""
    return "current" if any(current.startswith(n) for n in names) else ""


@register.filter
def cite_links(citations) -> str:
    """Compact links to the sources of a row: one per source, its paragraphs after it."""
    return mark_safe(cite_links_html(citations))


@register.filter
def without_india(countries) -> list:
    """The countries other than India (India takes part in every record)."""
    return [country for country in countries if country.iso2 != "IN"]


@register.simple_tag(takes_context=True)
def sort_th(context, label: str, first: str, second: str, css: str = "") -> str:
    """A whole ``<th>`` that sorts by its column, with ``aria-sort`` when it is the order."""
    current = context.get("sort")
    aria = ""
    if current in (first, second):
        aria = "descending" if current.startswith("-") else "ascending"
    return format_html(
        '<th scope="col"{}{}>{}</th>',
        format_html(' class="{}"', css) if css else "",
        format_html(' aria-sort="{}"', aria) if aria else "",
        sort_header(context, label, first, second),
    )


@register.simple_tag(takes_context=True)
def sort_header(context, label: str, first: str, second: str) -> str:
    """A column heading that sorts by it: ``first`` on a click, ``second`` on the next."""
    current = context.get("sort")
    target = second if current == first else first
    arrow = ""
    if current in (first, second):
        arrow = " ↓" if current.startswith("-") else " ↑"
    href = with_params(context["request"].GET, sort=target)
    return format_html(
        "<a class='sort' href='{}' title='Sort by {}'>{}<span aria-hidden='true'>{}</span></a>",
        href,
        label.lower(),
        label,
        arrow,
    )


@register.simple_tag
def marks_of(record) -> list[dict]:
    """The record's marked values, labelled as its columns are: what no paragraph gives."""
    marks = getattr(record, "marks", None)
    if marks is None:
        return []
    labels = {c.name: c.label for c in record_for(type(record)).exported}
    return [
        {
            "label": labels.get(m.column, m.column),
            "column": m.column,
            "basis": m.basis,
            "basis_label": m.get_basis_display(),
            "note": m.note,
        }
        for m in marks.all()
    ]
