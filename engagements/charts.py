"""Charts drawn on the server as inline SVG: readable without JavaScript, printable.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` for screen readers,
followed by the same figures as a table (in a ``<details>``), so nothing is only a picture.
A chart whose bars are links is not an image (an image's inside is not read out, and its links
could be focused without a name): it is a ``role="group"`` named by its title, each link named
“South Korea: 6 meetings”, the drawn labels and figures hidden from screen readers.
Colours come from the stylesheet (classes), so the print stylesheet can turn them grey.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)


@dataclass(frozen=True)
class ChartItem:
    label: str
    value: int
    href: str = ""


def _nice_max(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _table(items: list[ChartItem], label_heading: str, noun: str, caption: str) -> str:
    rows = []
    for item in items:  # plain formatting: a chart of 40 years took 80 format_html calls
        label = conditional_escape(item.label)
        if item.href:
            label = f"<a href='{conditional_escape(item.href)}'>{label}</a>"
        rows.append(f"<tr><th scope='row'>{label}</th><td class='num'>{item.value:,}</td></tr>")
    return format_html(
        "<details class='chart-data'><summary>Show the figures as a table</summary>"
        "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th>"
        "<th scope='col' class='num'>{}</th></tr></thead><tbody>{}</tbody></table></details>",
        caption,
        label_heading,
        noun.capitalize(),
        mark_safe("".join(rows)),
    )


def counted(value: int, noun: str) -> str:
    """“1 meeting”, “6 meetings”: ``noun`` is the plural the charts are given."""
    if value == 1:
        noun = noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("s")
    return f"{value:,} {noun}"


def _link(item: ChartItem, noun: str, shape: str) -> str:
    """``shape`` as a link named by its figure, when the item links somewhere."""
    if not item.href:
        return shape
    name = f"{item.label}: {counted(item.value, noun)}"
    return f"<a href='{escape(item.href)}' aria-label='{escape(name)}'>{shape}</a>"


def _frame(
    width: int,
    height: int,
    title: str,
    description: str,
    body: str,
    links: bool = False,
    variant: str = "wide",
) -> str:
    uid = next(_ids)
    return format_html(
        "<svg class='chart {variant}' viewBox='0 0 {w} {h}' width='{w}' height='{h}' role='{role}' "
        "aria-labelledby='chart-t{uid} chart-d{uid}' preserveAspectRatio='xMinYMin meet' "
        "xmlns='http://www.w3.org/2000/svg'>"
        "<title id='chart-t{uid}'>{title}</title><desc id='chart-d{uid}'>{desc}</desc>{body}</svg>",
        variant=variant,
        w=width,
        h=height,
        role="group" if links else "img",
        uid=uid,
        title=title,
        desc=description,
        body=mark_safe(body),
    )


def bar_chart(
    items: list[ChartItem], *, title: str, description: str, noun: str, label_heading: str = ""
) -> SafeString:
    """Horizontal bars, one per item (partners, kinds): long labels stay readable.

    Drawn twice: beside the bars for a wide screen, above them for a phone (the stylesheet
    shows one), so labels keep a legible size instead of shrinking with a 640-wide drawing.
    """
    if not items:
        return SafeString("")
    top = _nice_max(max(i.value for i in items))
    links = any(i.href for i in items)
    wide = _frame(640, len(items) * 26, title, description, _bars(items, noun, top, links), links)
    narrow = _frame(
        NARROW,
        len(items) * 40,
        title,
        description,
        _stacked_bars(items, noun, top, links),
        links,
        "narrow",
    )
    table = _table(items, label_heading or "Item", noun, title)
    return mark_safe(f"<figure class='figure'>{wide}{narrow}{table}</figure>")


#: The width of the phone drawings: about a phone's width in CSS pixels, so they are drawn
#: near their natural size there.
NARROW = 360


def _bars(items: list[ChartItem], noun: str, top: int, links: bool) -> str:
    label_w, bar_w, row_h = 230, 350, 26
    hidden = " aria-hidden='true'" if links else ""
    parts = []
    for n, item in enumerate(items):
        y = n * row_h
        length = max(round(bar_w * item.value / top), 1 if item.value else 0)
        label = item.label if len(item.label) <= 32 else item.label[:31] + "…"
        bar = (
            f"<rect class='bar' x='{label_w}' y='{y + 4}' width='{length}' "
            f"height='{row_h - 8}' rx='2'/>"
        )
        parts.append(
            f"<text class='label' x='{label_w - 8}' y='{y + row_h / 2 + 4}' "
            f"text-anchor='end'{hidden}>{escape(label)}</text>{_link(item, noun, bar)}"
            f"<text class='value' x='{label_w + length + 6}' y='{y + row_h / 2 + 4}'{hidden}>"
            f"{item.value:,}</text>"
        )
    return "".join(parts)


def _stacked_bars(items: list[ChartItem], noun: str, top: int, links: bool) -> str:
    """Each label on its own line above its bar: the whole width for the words."""
    bar_w, row_h = NARROW - 50, 40
    hidden = " aria-hidden='true'" if links else ""
    parts = []
    for n, item in enumerate(items):
        y = n * row_h
        length = max(round(bar_w * item.value / top), 1 if item.value else 0)
        label = item.label if len(item.label) <= 44 else item.label[:43] + "…"
        bar = f"<rect class='bar' x='0' y='{y + 20}' width='{length}' height='14' rx='2'/>"
        parts.append(
            f"<text class='label' x='0' y='{y + 15}'{hidden}>{escape(label)}</text>"
            f"{_link(item, noun, bar)}"
            f"<text class='value' x='{length + 6}' y='{y + 32}'{hidden}>{item.value:,}</text>"
        )
    return "".join(parts)


def column_chart(items: list[ChartItem], *, title: str, description: str, noun: str) -> SafeString:
    """Vertical columns over consecutive years (gaps filled with zero), labelled below.

    Drawn twice, like ``bar_chart``: 640 wide with about a dozen year labels, and a phone's
    width with at most five, so the labels neither shrink nor run into each other.
    """
    if not items:
        return SafeString("")
    if all(i.label.isdigit() for i in items):
        values = {int(i.label): i for i in items}
        first, last = min(values), max(values)
        items = [values.get(y, ChartItem(str(y), 0)) for y in range(first, last + 1)]
    links = any(i.href for i in items)
    wide = _frame(
        640, 180, title, description, _columns(items, noun, links, 640, 180, 36, 12), links
    )
    narrow = _frame(
        NARROW,
        170,
        title,
        description,
        _columns(items, noun, links, NARROW, 170, 34, 5),
        links,
        "narrow",
    )
    shown = [i for i in items if i.value]
    table = _table(shown, "Year", noun, title)
    return mark_safe(f"<figure class='figure'>{wide}{narrow}{table}</figure>")


def _columns(
    items: list[ChartItem], noun: str, links: bool, width: int, height: int, left: int, labels: int
) -> str:
    """The columns, the axis and at most about ``labels`` labels below it (evenly spaced)."""
    axis_h = 22
    top = _nice_max(max(i.value for i in items))
    slot = (width - left) / len(items)
    col_w = max(min(slot * 0.7, 40), 2)
    plot_h = height - axis_h - 14
    every = max(1, math.ceil(len(items) / labels))
    hidden = " aria-hidden='true'" if links else ""
    parts = [
        f"<line class='axis' x1='{left}' x2='{width}' y1='{height - axis_h}' "
        f"y2='{height - axis_h}'/>",
        f"<text class='tick' x='{left - 6}' y='{14}' text-anchor='end'{hidden}>{top:,}</text>",
        f"<text class='tick' x='{left - 6}' y='{height - axis_h}' text-anchor='end'{hidden}>"
        "0</text>",
    ]
    for n, item in enumerate(items):
        x = left + n * slot + (slot - col_w) / 2
        h = plot_h * item.value / top
        y = height - axis_h - h
        col = (
            f"<rect class='bar' x='{x:.1f}' y='{y:.1f}' width='{col_w:.1f}' height='{h:.1f}'>"
            f"<title>{escape(item.label)}: {escape(counted(item.value, noun))}</title></rect>"
        )
        parts.append(_link(item, noun, col))
        if n % every == 0:
            parts.append(
                f"<text class='tick' x='{x + col_w / 2:.1f}' y='{height - 6}' "
                f"text-anchor='middle'{hidden}>{escape(item.label)}</text>"
            )
    return "".join(parts)
