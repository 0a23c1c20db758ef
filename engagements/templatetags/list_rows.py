"""The list tables' rows (cells from ``Record.table``, see ``engagements.views.cells``) and
the admin's long list filters, written in Python rather than by template loops."""

from __future__ import annotations

from django import template
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe

from ..views.cells import e, table_rows

register = template.Library()


@register.filter(name="table_rows")
def table_rows_filter(rows, table) -> SafeString:
    """``{{ rows|table_rows:table }}``: the ``<tr>`` of each row in the table's cells."""
    return table_rows(rows, table)


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
