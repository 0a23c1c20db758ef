"""RecordListView: a filtered, sorted, faceted list page, in keyset pages or as CSV/JSON.

Each page runs a fixed number of queries whatever its length: one bounded count, the page
rows (one query, two when a page crosses from dated to undated rows), one query per
prefetched relation or listed relation, and one per facet.
"""

from __future__ import annotations

import re

from django.core.exceptions import EmptyResultSet
from django.db.models import F, QuerySet, prefetch_related_objects
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from .. import caching
from ..columns import record_for
from ..models import Country, Official
from .base import ReadingRoomMixin
from .exports import (
    EXPORT_FORMATS,
    export_response,
    file_name,
    invalid_filters_response,
    plain_response,
)
from .facets import Counting, Facet, kept_for, linked
from .filters import ReadingRoomFilterSet
from .pagination import CursorError, Key, KeysetPaginator
from .querystring import NOT_FILTERS, filter_params, with_params
from .related import Listed, list_related, listings_for
from .tables import ExportTable, Related, export_tables

PER_PAGE_CHOICES = (25, 50, 100, 200)
DEFAULT_PER_PAGE = 50
# A page number or page size is a few ASCII digits ("²" is a digit to str.isdigit).
SMALL_NUMBER = re.compile(r"[0-9]{1,9}")


def small_number(raw: str | None) -> int | None:
    """``raw`` as an int when it is 1–9 ASCII digits, else None (never an exception)."""
    return int(raw) if raw and SMALL_NUMBER.fullmatch(raw) else None


class RecordListView(ReadingRoomMixin, TemplateView):
    """A filtered, sorted, faceted, paginated list of one model, exportable as CSV/JSON."""

    filterset_class: type[ReadingRoomFilterSet]  # its ``sorts`` are the page's orders
    facets: tuple[Facet, ...] = ()
    resource_name: str = ""
    title = ""
    intro = ""
    row_select_related: tuple[str, ...] = ()
    paginated = True  # False: every row on one page (no page size to choose)
    #: Related tables the list exports (``table=<key>``) besides those derived from its
    #: record (marks, aliases, one long table per multi-valued column): see ``tables``.
    related: tuple[Related, ...] = ()
    #: Fields of the listed record that order a related table's rows (then its own order).
    related_order: tuple[str, ...] = ()
    template_name = "engagements/_list.html"
    #: Sort keys that are no column (``base_queryset`` annotates them): their expressions.
    sort_expressions: dict = {}
    #: Over a big table, what reads the count and some facets from counts the database
    #: keeps (``for_filters(filterset)``: a reader, or None for filters it cannot answer).
    tally_reader = None
    tally = None  # this request's reader, when it answers its filters

    # --- per model ----------------------------------------------------------------------

    def base_queryset(self) -> QuerySet:
        return self.model._default_manager.all()

    def prefetches(self) -> tuple:
        """Relations shown in the rows, fetched for the page's rows only."""
        return ()

    def listings(self) -> tuple[Listed, ...]:
        """Relations shown in the rows as light tuples (``record.listed``), one query each:
        those the table's cells use."""
        return listings_for(self.model, record_for(self.model).table)

    def decorate(self, rows: list) -> None:
        """Add figures to the page's rows (after they are fetched)."""

    # --- the request ----------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        self.notes: list[str] = []
        query = request.GET
        # Always bound (an empty query is valid): every view is the form's cleaned data.
        filterset = self.filterset_class(query, queryset=self.base_queryset(), request=request)
        valid = filterset.is_valid()
        qs = filterset.qs if valid else filterset.queryset.none()
        for key in query:
            if key not in filterset.filters and key not in NOT_FILTERS and key != "table":
                self.notes.append(f"“{key[:30]}” is not a filter of this page: it was left out.")
        sort = (filterset.form.cleaned_data.get("sort") if valid else "") or filterset.default_sort

        export_format = query.get("format", "")
        if export_format:
            response = self.export(filterset, qs if valid else None, sort, export_format)
            if response is not None:
                return response

        per_page = self.per_page(query)
        self.tally = None
        if valid and self.tally_reader is not None and self.table_is_big():
            self.tally = self.tally_reader.for_filters(filterset)
        count, more = (0, False) if not valid else self.bounded_count(qs, filterset)
        page = self.paginate(qs.select_related(*self.row_select_related), sort, per_page, query)
        if page["rows"] and self.prefetches():
            prefetch_related_objects(page["rows"], *self.prefetches())
        list_related(page["rows"], self.listings())
        self.decorate(page["rows"])
        facets = []
        if valid:
            counting = Counting(
                self.model,
                filterset,
                query,
                count=count,
                more=more,
                big=self.table_is_big(),
                tally=self.tally,
            )
            counting.read_ahead(self.facets)
            counted = [facet.counted(counting) for facet in self.facets]
            facets = linked(counted, self.by_codes(query, filterset))
        context = self.get_context_data(
            filterset=filterset,
            form=filterset.form,
            valid=valid,
            page=page,
            rows=page["rows"] if page else [],
            count=count,
            count_is_lower_bound=more,
            count_limit=caching.COUNT_LIMIT,
            facets=facets,
            sort=sort,
            sort_choices=filterset.form.fields["sort"].choices,
            per_page=per_page,
            per_page_choices=PER_PAGE_CHOICES if self.paginated else (),
            notes=self.notes,
            active_filters=self.active_filters(filterset) if valid else [],
            export_links=self.export_links(query),
            title=self.title,
            count_noun=self.count_noun(count, more),
            intro=self.intro,
            table=record_for(self.model).table,
            codebook_anchor=str(self.model._meta.verbose_name_plural).replace(" ", "-"),
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def count_noun(self, count: int, more: bool = False) -> str:
        """“meeting” for one, “meetings” otherwise (“1 meetings” read wrong)."""
        meta = self.model._meta
        return ngettext(meta.verbose_name, meta.verbose_name_plural, 2 if more else count)

    @classmethod
    def export_tables(cls) -> dict[str, ExportTable]:
        """``table=<key>`` → what it exports; ``""`` is the filtered rows themselves."""
        if "_export_tables" not in cls.__dict__:
            cls._export_tables = export_tables(cls.model, cls.title, cls.related)
        return cls._export_tables

    def export_links(self, query) -> list[tuple[str, list[tuple[str, str]]]]:
        return [
            (
                table.label,
                [
                    (fmt.upper(), with_params(query, format=fmt, table=key or None))
                    for fmt in EXPORT_FORMATS
                ],
            )
            for key, table in self.export_tables().items()
        ]

    def export(self, filterset, qs, sort: str, fmt: str):
        """The download asked for; a 400 naming the values that exist when the format or
        the table is not one of them, or the filters are not valid."""
        tables = self.export_tables()
        key = self.request.GET.get("table", "")
        noun = self.title.lower()
        if fmt not in EXPORT_FORMATS:
            offered = " or ".join(f"format={f}" for f in EXPORT_FORMATS)
            return plain_response(
                f"“{fmt[:20]}” is not an export format: use {offered}. Nothing was exported.\n",
                400,
            )
        if key not in tables:
            offered = ", ".join(k for k in tables if k)
            use = (
                f"use table= with one of {offered}, or leave table out for the {noun} themselves"
                if offered
                else f"it exports its {noun} only: leave table out"
            )
            return plain_response(
                f"“{key[:30]}” is not a table of the {noun} list: {use}. Nothing was exported.\n",
                400,
            )
        if qs is None:
            return invalid_filters_response(filterset)
        table = tables[key]
        rows = table.rows(qs.order_by(*self.ordering(sort)), self.related_order)
        name = self.model._meta.verbose_name_plural.replace(" ", "-")
        if key:
            name = f"{name}-{key}"
        params = filter_params(self.request.GET, filterset.filters)
        return export_response(table, rows, fmt, self.request, file_name(name, params, fmt))

    @classmethod
    def sort_keys(cls, sort: str = "") -> list[Key]:
        """The keyset keys of ``sort`` (of the default sort when empty)."""
        sorts = cls.filterset_class.sorts
        return sorts[sort or cls.filterset_class.default_sort].keys

    def ordering(self, sort: str) -> list:
        keys = self.sort_keys(sort)
        direction = keys[0].descending
        terms = []
        for k in keys:
            # A computed key (a meeting's extent end) by its expression: any queryset sorts.
            term = self.sort_expressions.get(k.field) or F(k.field)
            terms.append(term.desc(nulls_last=True) if k.descending else term.asc(nulls_last=True))
        return [*terms, "-pk" if direction else "pk"]

    def per_page(self, query) -> int:
        raw = query.get("per_page")
        if raw is None:
            return DEFAULT_PER_PAGE
        if small_number(raw) in PER_PAGE_CHOICES:
            return small_number(raw)
        choices = ", ".join(str(c) for c in PER_PAGE_CHOICES)
        self.notes.append(f"“{raw[:20]}” rows per page is not offered ({choices}): showing 50.")
        return DEFAULT_PER_PAGE

    def bounded_count(self, qs: QuerySet, filterset) -> tuple[int, bool]:
        """The number of rows, counting no further than COUNT_LIMIT.

        Counting up to 10,000 matching rows of a million still reads them: over a big table
        the count is kept with the facet counts, for the same few minutes.
        """
        big = self.table_is_big()
        tally = self.tally
        if self._counts_the_table(qs):  # unfiltered: the count just taken of the table
            n = self._table_count
        else:
            n = kept_for(
                self.model,
                "count",
                (lambda: tally.count("total")) if tally else lambda: caching.bounded_count(qs),
                params=filter_params(self.request.GET, filterset.filters),
                big=big,
            )
        return min(n, caching.COUNT_LIMIT), n > caching.COUNT_LIMIT

    def table_is_big(self) -> bool:
        """More than COUNT_LIMIT records in the whole table (counted once per request, no
        further than the bound)."""
        if getattr(self, "_table_count", None) is None:
            self._table_count = caching.bounded_count(self.model._default_manager.all())
        return self._table_count > caching.COUNT_LIMIT

    def _counts_the_table(self, qs: QuerySet) -> bool:
        """Whether ``qs``'s bounded count is the whole table's (the same query)."""
        try:
            return str(self._counted(qs)) == str(self._counted(self.model._default_manager.all()))
        except EmptyResultSet:  # a queryset that cannot match counts nothing of the table
            return False

    @staticmethod
    def _counted(qs: QuerySet):
        return qs.order_by().values("pk").query

    def paginate(self, qs: QuerySet, sort: str, per_page: int, query) -> dict | None:
        paginator = KeysetPaginator(qs, self.sort_keys(sort), per_page)
        page_number = query.get("page")
        try:
            if page_number not in (None, "", "1"):
                return self.numbered_page(qs, sort, per_page, page_number, paginator)
            page = paginator.page(
                after=query.get("after") or None,
                before=query.get("before") or None,
                last=query.get("last") == "1",
            )
        except CursorError as exc:
            self.notes.append(f"{exc} Showing the first page.")
            page = paginator.page()
        return {
            "rows": page.rows,
            "next": with_params(query, after=page.next_cursor) if page.next_cursor else "",
            "previous": (
                with_params(query, before=page.previous_cursor) if page.previous_cursor else ""
            ),
            "first": "" if page.is_first else with_params(query),
            "last": "" if page.is_last else with_params(query, last=1),
        }

    def numbered_page(self, qs, sort, per_page, raw: str, paginator) -> dict:
        """``page=N``: a plain offset, allowed over the first COUNT_LIMIT rows only."""
        query = self.request.GET
        number = small_number(raw)
        if number is None and raw.isascii() and raw.isdigit():
            number = caching.COUNT_LIMIT + 1  # a long run of digits: far beyond the first rows
        if number is None or number < 1:
            self.notes.append(f"“{raw[:20]}” is not a page number: showing the first page.")
            page = paginator.page()
            rows, more, start = page.rows, not page.is_last, 0
        else:
            start = (number - 1) * per_page
            if start >= caching.COUNT_LIMIT:
                shown = f"{number:,}" if len(raw) <= 9 else f"{raw[:9]}…"
                self.notes.append(
                    f"Page {shown} is beyond the first {caching.COUNT_LIMIT:,} rows: use the "
                    "Next and Last links, or narrow the filters."
                )
                return {
                    "rows": [],
                    "next": "",
                    "previous": "",
                    "first": with_params(query),
                    "last": with_params(query, last=1),
                }
            found = list(qs.order_by(*self.ordering(sort))[start : start + per_page + 1])
            rows, more = found[:per_page], len(found) > per_page
            if not rows:
                self.notes.append(f"Page {number:,} is past the last row.")
        cursor = paginator._cursor  # the links onwards are ordinary cursors
        return {
            "rows": rows,
            "next": with_params(query, after=cursor(rows[-1])) if rows and more else "",
            "previous": with_params(query, before=cursor(rows[0])) if rows and start else "",
            "first": with_params(query) if start else "",
            "last": with_params(query, last=1) if more or not rows else "",
        }

    @staticmethod
    def by_codes(query, filterset):
        """``query`` with the countries it names otherwise (“ROK”, “Singapore”) as their
        alpha-2 codes: the facets tick and untick codes."""
        named = {
            name: [c.iso2 for c in value]
            for name, value in filterset.form.cleaned_data.items()
            if isinstance(value, list) and value and isinstance(value[0], Country)
        }
        if not named:
            return query
        query = query.copy()
        for name, codes in named.items():
            query.setlist(name, codes)
        return query

    # --- the filters shown as removable chips ---------------------------------------------

    def active_filters(self, filterset) -> list[tuple[str, str, str]]:
        """(label, value, link without it) for each filter in use."""
        data = filterset.form.cleaned_data
        query = self.request.GET
        chips = []
        for name, value in data.items():
            if name == "sort" or value in (None, "", [], False):
                continue
            label = filterset.form.fields[name].label or name
            if isinstance(value, list) and value and isinstance(value[0], Country):
                for country in value:  # country, actor, target: one chip per country
                    # The others by code: the query may name them otherwise (“ROK”).
                    others = [c.iso2 for c in value if c.pk != country.pk]
                    href = with_params(query, **{name: others or None})
                    chips.append((label, country.name, href))
                continue
            if isinstance(value, Official):
                shown = value.name
            elif isinstance(value, list):
                choices = dict(filterset.form.fields[name].choices)
                shown = ", ".join(str(choices.get(v, v)) for v in value)
            elif isinstance(value, bool):
                shown = "yes"
            else:
                shown = str(value)
            chips.append((label, shown or str(value), with_params(query, **{name: None})))
        return chips
