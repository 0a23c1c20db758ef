"""The list pages: filters and facets from the query string, keyset pages, CSV/JSON export.

Each page runs a fixed number of queries whatever its length: one bounded count, the page
rows (one query, two when a page crosses from dated to undated rows), one query per
prefetched relation, and one per facet.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import ExtractYear
from django.views.generic import TemplateView

from .. import caching
from ..charts import ChartItem, column_chart
from ..dates import PartialDate
from ..models import (
    Agreement,
    AgreementCitation,
    AgreementKind,
    AgreementStatus,
    AgreementStatusChange,
    Country,
    Grouping,
    GroupingKind,
    Initiative,
    InitiativeCitation,
    InitiativeKind,
    Meeting,
    MeetingCitation,
    MeetingKind,
    Official,
    Participation,
    Source,
    Tenure,
)
from . import filters
from .base import ReadingRoomMixin
from .exports import EXPORT_FORMATS, ExportTable, export_response, invalid_filters_response
from .pagination import CursorError, Key, KeysetPaginator, date_key
from .querystring import toggled, with_params

PER_PAGE_CHOICES = (25, 50, 100, 200)
DEFAULT_PER_PAGE = 50
FACET_SIZE = 12
NOT_FILTERS = {"sort", "per_page", "format", "after", "before", "last", "page"}
# A page number or page size is a few ASCII digits ("²" is a digit to str.isdigit).
SMALL_NUMBER = re.compile(r"[0-9]{1,9}")


def small_number(raw: str | None) -> int | None:
    """``raw`` as an int when it is 1–9 ASCII digits, else None (never an exception)."""
    return int(raw) if raw and SMALL_NUMBER.fullmatch(raw) else None


# --- what a row shows of its related records ----------------------------------------------
#
# A list row shows a few columns of each related record (a meeting's countries, who attended,
# its sources). Prefetching them built a model instance per related row (800 for 50 meetings,
# 15 µs each) and a related manager and queryset per record; a ``values_list`` query per
# relation reads the same rows into tuples with the attributes the row templates read
# (``templatetags/list_rows.py``). Still one query per relation for the whole page.

CountryRow = namedtuple("CountryRow", "iso2 name")
GroupingRow = namedtuple("GroupingRow", "slug short_name")
OfficialRow = namedtuple("OfficialRow", "slug name")
AttendanceRow = namedtuple("AttendanceRow", "official")
SourceRow = namedtuple("SourceRow", "key title publisher published_on")
CitationRow = namedtuple("CitationRow", "source_id paragraph source")


class StatusRow(namedtuple("StatusRow", "pk status date precision")):
    """A step of an agreement's status history, as its list row shows it."""

    __slots__ = ()

    def get_status_display(self) -> str:
        return str(AgreementStatus(self.status).label) if self.status in STATUSES else self.status

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.precision)


STATUSES = set(AgreementStatus.values)


@dataclass(frozen=True)
class Listed:
    """One relation shown in the rows: ``query(ids)`` gives (record id, *columns) in order."""

    name: str
    query: Callable[[list], QuerySet]
    row: Callable


def list_related(records: list, listings: tuple[Listed, ...]) -> None:
    """``record.listed[name]``: the light rows of each relation, one query per relation."""
    if not records or not listings:
        return
    ids = [record.pk for record in records]
    for record in records:
        record.listed = {}
    for listing in listings:
        found: dict = {pk: [] for pk in ids}
        make = listing.row
        for record_id, *columns in listing.query(ids):
            found[record_id].append(make(*columns))
        for record in records:
            record.listed[listing.name] = found[record.pk]


def countries_of(through, record_field: str, name: str = "countries") -> Listed:
    """Countries linked through the m2m table ``through``, by name (Country's order)."""
    return Listed(
        name,
        lambda ids: (
            through.objects.filter(**{f"{record_field}_id__in": ids})
            .order_by("country__name")
            .values_list(f"{record_field}_id", "country__iso2", "country__name")
        ),
        CountryRow,
    )


def groupings_of(through, record_field: str, name: str = "groupings") -> Listed:
    """Groupings linked through the m2m table ``through``, by short name (Grouping's order)."""
    return Listed(
        name,
        lambda ids: (
            through.objects.filter(**{f"{record_field}_id__in": ids})
            .order_by("grouping__short_name")
            .values_list(f"{record_field}_id", "grouping__slug", "grouping__short_name")
        ),
        GroupingRow,
    )


def citations_of(citation_model) -> Listed:
    """Citations with the few source columns a row shows, in Citation's order."""
    record_field = citation_model.record_field
    sources: dict = {}

    def row(source_id, paragraph, *source):
        if source_id not in sources:
            sources[source_id] = SourceRow(*source)
        return CitationRow(source_id, paragraph, sources[source_id])

    return Listed(
        "citations",
        lambda ids: (
            citation_model.objects.filter(**{f"{record_field}_id__in": ids})
            .order_by("source__key", "paragraph")
            .values_list(
                f"{record_field}_id",
                "source_id",
                "paragraph",
                "source__key",
                "source__title",
                "source__publisher",
                "source__published_on",
            )
        ),
        row,
    )


@dataclass
class FacetValue:
    label: str
    count: int
    value: str
    href: str = ""
    selected: bool = False


@dataclass
class Facet:
    param: str
    title: str
    values: list[FacetValue] = field(default_factory=list)
    single: bool = False
    chart: str = ""
    hint: str = ""


class FacetBase:
    """What one request's facets are counted over, and when those counts are cached.

    Each facet is counted with its own filter left out (as Datasette does), so it shows what
    a click on each value gives: a country or kind facet offers more values than the chosen
    ones (any of them), a grouping facet the other groupings (one at a time). Counts over
    a table of more than caching.COUNT_LIMIT records (or over more rows than that) are cached for
    FACET_CACHE_SECONDS, keyed by the filters counted over: the counts of ``?country=KR``
    without its country filter are those of the unfiltered page. On a small table they are
    counted on every request, so an edit shows at once.
    """

    def __init__(self, view: RecordListView, filterset, count: int, more: bool):
        self.view = view
        self.filterset = filterset
        self.qs = filterset.qs
        self.more = more
        self._total = None if more else count
        self._without: dict[str, QuerySet] = {}

    # --- the filters in use -------------------------------------------------------------

    def selected(self, name: str) -> list:
        value = self.filterset.form.cleaned_data.get(name)
        if value in (None, "", [], False):
            return []
        return list(value) if isinstance(value, list | tuple) else [value]

    def selected_values(self, name: str) -> list[str]:
        """The chosen values as the facet's values are written (codes, slugs)."""
        values = []
        for value in self.selected(name):
            if isinstance(value, Country):
                values.append(value.iso2)
            elif isinstance(value, Grouping):
                values.append(value.slug)
            else:
                values.append(str(value))
        return values

    def without(self, name: str) -> QuerySet:
        """The rows every filter but ``name`` leaves."""
        if name not in self._without:
            qs = self.filterset.queryset
            for field, value in self.filterset.form.cleaned_data.items():
                if field != name:
                    qs = self.filterset.filters[field].filter(qs, value)
            self._without[name] = qs
        return self._without[name]

    # --- counting, cached when big ------------------------------------------------------

    def over_rows(self, label: str, compute):
        """``compute(rows shown)``; cached when they, or the whole table, are more than
        caching.COUNT_LIMIT (a few hundred agreements of forty thousand still take a GROUP BY with a
        status subquery per row)."""
        big = self.more or self._table_big()
        return self._remember(label, self._params(), big, lambda: compute(self.qs))

    def over_all_but(self, name: str, label: str, compute):
        """``compute(rows every filter but name leaves)``; the rows shown when name is unused."""
        if not self.selected(name):
            return self.over_rows(label, compute)
        big = self.more or self._table_big()
        return self._remember(
            label, self._params(drop=name), big, lambda: compute(self.without(name))
        )

    def total(self) -> int:
        """The exact number of rows shown (the page's own count stops at caching.COUNT_LIMIT)."""
        if self._total is None:
            self._total = self._remember(
                "total", self._params(), True, lambda: self.qs.order_by().count()
            )
        return self._total

    def _table_big(self) -> bool:
        return self.view.table_is_big()

    def _params(self, drop: str = "") -> list[tuple[str, str]]:
        return self.view.filter_params(self.filterset, drop)

    def _remember(self, label: str, params: list, big: bool, compute):
        return remember(self.view.model, label, params, big, compute)


def remember(model, label: str, params: list, big: bool, compute):
    """``compute()``; over a big table, kept a few minutes under ``label`` + filters."""
    return caching.kept(f"facets:{model._meta.model_name}:{label}", compute, params=params, big=big)


def ordered(values: list[FacetValue], chosen: list[str], limit: int = FACET_SIZE) -> list:
    """The chosen values first (so they can be unticked), then the rest by count."""
    picked = {c.lower() for c in chosen}
    first = [v for v in values if v.value.lower() in picked]
    rest = sorted((v for v in values if v.value.lower() not in picked), key=lambda v: -v.count)
    return [*first, *rest][: max(limit, len(first))]


def column_facet(
    base: FacetBase,
    param: str,
    title: str,
    field_name: str,
    label_field: str = "",
    *,
    labels: dict | None = None,
    single: bool = False,
    limit: int = FACET_SIZE,
) -> Facet:
    """A facet over a column with one value per row (kind, status, an official's country).

    ``single``: one value at a time (a click replaces the choice); else any of several (a
    click adds the value: its count is the rows shown now plus its own).
    """

    def per_value(qs: QuerySet) -> list[dict]:
        fields = [field_name, label_field] if label_field else [field_name]
        rows = qs.order_by().values(*fields).annotate(n=Count("pk")).order_by("-n", *fields)
        return [r for r in rows if r[field_name] not in (None, "")]

    chosen = base.selected_values(param)
    rows = base.over_all_but(param, f"column:{field_name}", per_value)
    total = base.total() if chosen and not single else 0
    lowered = {c.lower() for c in chosen}
    values = []
    for r in rows:
        value = str(r[field_name])
        label = r[label_field] if label_field else (labels or {}).get(r[field_name], value)
        n = r["n"] if single or value.lower() in lowered else total + r["n"]
        values.append(FacetValue(str(label), n, value))
    return Facet(param, title, ordered(values, chosen, limit), single=single)


class RecordListView(ReadingRoomMixin, TemplateView):
    """A filtered, sorted, faceted, paginated list of one model, exportable as CSV/JSON."""

    filterset_class: type[filters.ReadingRoomFilterSet]
    sorts: dict[str, list[Key]]
    default_sort: str
    resource_name: str = ""
    title = ""
    intro = ""
    row_select_related: tuple[str, ...] = ()
    paginated = True  # False: every row on one page (no page size to choose)

    # --- per model ----------------------------------------------------------------------

    def base_queryset(self) -> QuerySet:
        return self.model._default_manager.all()

    def facets(self, base: FacetBase) -> list[Facet]:
        return []

    def prefetches(self) -> tuple:
        """Relations shown in the rows, fetched for the page's rows only."""
        return ()

    def listings(self) -> tuple[Listed, ...]:
        """Relations shown in the rows as light tuples (``record.listed``), one query each."""
        return ()

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
        sort = (filterset.form.cleaned_data.get("sort") if valid else "") or self.default_sort

        export_format = query.get("format", "")
        if export_format:
            response = self.export(filterset, qs if valid else None, sort, export_format)
            if response is not None:
                return response

        per_page = self.per_page(query)
        count, more = (0, False) if not valid else self.bounded_count(qs, filterset)
        page = self.paginate(qs.select_related(*self.row_select_related), sort, per_page, query)
        if page["rows"] and self.prefetches():
            prefetch_related_objects(page["rows"], *self.prefetches())
        list_related(page["rows"], self.listings())
        self.decorate(page["rows"])
        facets = (
            self.linked_facets(self.facets(FacetBase(self, filterset, count, more)))
            if valid
            else []
        )
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
            intro=self.intro,
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def export_tables(self) -> dict[str, ExportTable]:
        """``table=<key>`` → what it exports; ``""`` is the filtered rows themselves."""
        return {"": ExportTable(self.title, self.resource_name)}

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
        """The download asked for, or None (with a note) when the request makes no sense."""
        tables = self.export_tables()
        key = self.request.GET.get("table", "")
        if fmt not in EXPORT_FORMATS:
            self.notes.append(f"“{fmt[:20]}” is not an export format: use csv or json.")
            return None
        if key not in tables:
            names = ", ".join(k for k in tables if k) or "none"
            self.notes.append(f"“{key[:30]}” is not a table of this page (offered: {names}).")
            return None
        if qs is None:
            return invalid_filters_response(filterset)
        name = self.model._meta.verbose_name_plural.replace(" ", "-")
        if key:
            name = f"{name}-{key}"
        ordered = qs.order_by(*self.ordering(sort))
        return export_response(ordered, tables[key], fmt, self.request, name)

    def ordering(self, sort: str) -> list:
        keys = [*self.sorts[sort]]
        direction = keys[0].descending
        terms = [
            F(k.field).desc(nulls_last=True) if k.descending else F(k.field).asc(nulls_last=True)
            for k in keys
        ]
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
        """The number of rows, counting no further than caching.COUNT_LIMIT.

        Counting up to 10,000 matching rows of a million still reads them: over a big table
        the count is kept with the facet counts, for the same few minutes.
        """
        n = remember(
            self.model,
            "count",
            self.filter_params(filterset),
            self.table_is_big(),
            lambda: caching.bounded_count(qs),
        )
        return min(n, caching.COUNT_LIMIT), n > caching.COUNT_LIMIT

    def table_is_big(self) -> bool:
        """More than caching.COUNT_LIMIT records in the whole table (asked once per request)."""
        if getattr(self, "_table_is_big", None) is None:
            self._table_is_big = caching.table_is_big(self.model)
        return self._table_is_big

    def filter_params(self, filterset, drop: str = "") -> list[tuple[str, str]]:
        """The filters of the request as a sorted list (a cache key), without ``drop``."""
        fields = filterset.filters
        return sorted(
            (k, v)
            for k, values in self.request.GET.lists()
            if k in fields and k not in NOT_FILTERS and k != drop
            for v in values
            if v
        )

    def paginate(self, qs: QuerySet, sort: str, per_page: int, query) -> dict | None:
        paginator = KeysetPaginator(qs, self.sorts[sort], per_page)
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
        """``page=N``: a plain offset, allowed over the first caching.COUNT_LIMIT rows only."""
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

    # --- facets -----------------------------------------------------------------------

    def linked_facets(self, facets: list[Facet]) -> list[Facet]:
        query = self.request.GET
        for facet in facets:
            for value in facet.values:
                value.href, value.selected = toggled(
                    query, facet.param, value.value, single=facet.single
                )
            if not facet.single and any(v.selected for v in facet.values):
                facet.hint = "Any of those ticked: each other count is what ticking it adds up to."
        return facets

    @staticmethod
    def choice_facet(
        base: FacetBase, param: str, title: str, field_name: str, choices, limit: int = FACET_SIZE
    ) -> Facet:
        """A facet over a column holding one value per row (kind, status): any of them."""
        return column_facet(base, param, title, field_name, labels=dict(choices), limit=limit)

    @staticmethod
    def country_facet(base: FacetBase, through, record_field: str, title: str) -> Facet:
        """Countries linked through ``through`` (a record has several): any of them.

        With countries chosen, another country's count is the rows a click on it gives (the
        chosen countries or it): the rows shown now, plus the rows the other filters leave
        that have this country, less those among the rows shown now (already counted).
        """

        def per_country(records: QuerySet) -> list[dict]:
            links = through.objects.filter(
                **{f"{record_field}__in": records.order_by().values("pk")}
            ).exclude(country__iso2="IN")
            rows = (
                links.values("country__iso2", "country__name")
                .annotate(n=Count("pk"))
                .order_by("-n", "country__name")
            )
            return list(rows)

        chosen = base.selected_values("country")
        rows = base.over_all_but("country", "countries", per_country)
        if chosen:
            shown = {r["country__iso2"]: r["n"] for r in base.over_rows("countries", per_country)}
            total = base.total()
        values = []
        for r in rows:
            n, code = r["n"], r["country__iso2"]
            if chosen and code not in chosen:
                n = total + n - shown.get(code, 0)
            values.append(FacetValue(r["country__name"], n, code))
        return Facet("country", title, ordered(values, chosen))

    @staticmethod
    def grouping_facet(base: FacetBase, through, record_field: str, title: str) -> Facet:
        """One grouping at a time (a click replaces it): counted without the grouping filter."""
        if through is None:  # a foreign key of the record
            return column_facet(
                base, "grouping", title, "grouping__slug", "grouping__short_name", single=True
            )

        def per_grouping(records: QuerySet) -> list[dict]:
            rows = (
                through.objects.filter(**{f"{record_field}__in": records.order_by().values("pk")})
                .values("grouping__slug", "grouping__short_name")
                .annotate(n=Count("pk"))
                .order_by("-n", "grouping__short_name")
            )
            return list(rows)

        rows = base.over_all_but("grouping", "groupings", per_grouping)
        values = [FacetValue(r["grouping__short_name"], r["n"], r["grouping__slug"]) for r in rows]
        return Facet("grouping", title, ordered(values, base.selected_values("grouping")), True)

    @staticmethod
    def year_facet(base: FacetBase, field_name: str, title: str, noun: str) -> Facet:
        def per_year(qs: QuerySet) -> list[dict]:
            rows = (
                qs.order_by()
                .filter(**{f"{field_name}__isnull": False})
                .annotate(year=ExtractYear(field_name))
                .values("year")
                .annotate(n=Count("pk"))
                .order_by("year")
            )
            return list(rows)

        rows = base.over_rows(f"years:{field_name}", per_year)
        values = [FacetValue(str(r["year"]), r["n"], str(r["year"])) for r in rows]
        facet = Facet("year", title, values)
        if values:
            facet.chart = column_chart(
                [ChartItem(v.label, v.count) for v in values],
                title=title,
                description=f"Number of {noun} in each year, for the rows filtered here "
                f"(whatever their status, unless a status is chosen).",
                noun=noun,
            )
        return facet

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
            if name == "country":
                for country in value:
                    href, _ = toggled(query, "country", country.iso2)
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


# --- the pages -------------------------------------------------------------------------------


class MeetingListView(RecordListView):
    model = Meeting
    filterset_class = filters.MeetingFilter
    resource_name = "MeetingResource"
    template_name = "engagements/meeting_list.html"
    title = "Meetings"
    intro = "Meetings, visits, summits and dialogue sessions in which India engages partners."
    sorts = {
        "-date": [date_key("start_date", descending=True)],
        "date": [date_key("start_date")],
        "title": [Key("title")],
        "-title": [Key("title", descending=True)],
    }
    default_sort = "-date"
    row_select_related = ("country", "grouping")

    def listings(self):
        return (
            countries_of(Meeting.countries.through, "meeting"),
            Listed(
                "participations",
                lambda ids: (
                    Participation.objects.filter(meeting_id__in=ids)
                    .order_by("id")
                    .values_list("meeting_id", "official__slug", "official__name")
                ),
                lambda slug, name: AttendanceRow(OfficialRow(slug, name)),
            ),
            citations_of(MeetingCitation),
        )

    def export_tables(self):
        return {
            **super().export_tables(),
            "participants": ExportTable(
                "Who attended",
                "ParticipationResource",
                lambda qs: Participation.objects.filter(
                    meeting__in=qs.order_by().values("pk")
                ).order_by("meeting__start_date", "meeting_id", "id"),
            ),
            "citations": ExportTable(
                "Sources cited",
                "MeetingCitationResource",
                lambda qs: MeetingCitation.objects.filter(
                    meeting__in=qs.order_by().values("pk")
                ).order_by("meeting__start_date", "meeting_id", "source__key", "paragraph"),
            ),
        }

    def facets(self, base):
        return [
            self.country_facet(base, Meeting.countries.through, "meeting", "Partner country"),
            self.choice_facet(base, "kind", "Kind", "kind", MeetingKind.choices),
            self.grouping_facet(base, None, "", "Grouping"),
            self.year_facet(base, "start_date", "Meetings per year", "meetings"),
        ]


class AgreementListView(RecordListView):
    model = Agreement
    filterset_class = filters.AgreementFilter
    resource_name = "AgreementResource"
    template_name = "engagements/agreement_list.html"
    title = "Agreements"
    intro = "MoUs, agreements, roadmaps and arrangements, with their status over time."
    sorts = {
        "title": [Key("title")],
        "-title": [Key("title", descending=True)],
        "-date": [date_key("current_status_date", descending=True)],
        "date": [date_key("current_status_date")],
    }
    default_sort = "title"

    def listings(self):
        return (
            countries_of(Agreement.parties.through, "agreement", "parties"),
            groupings_of(Agreement.party_groupings.through, "agreement", "party_groupings"),
            Listed(
                "status_history",
                lambda ids: (
                    AgreementStatusChange.objects.filter(agreement_id__in=ids)
                    .order_by("id")
                    .values_list("agreement_id", "id", "status", "date", "precision")
                ),
                StatusRow,
            ),
            citations_of(AgreementCitation),
        )

    def base_queryset(self):
        return Agreement.objects.with_status()

    def export_tables(self):
        return {
            **super().export_tables(),
            "status": ExportTable(
                "Status history",
                "AgreementStatusChangeResource",
                lambda qs: AgreementStatusChange.objects.filter(
                    agreement__in=qs.order_by().values("pk")
                ).order_by("agreement__title", "agreement_id", "date", "id"),
            ),
            "citations": ExportTable(
                "Sources cited",
                "AgreementCitationResource",
                lambda qs: AgreementCitation.objects.filter(
                    agreement__in=qs.order_by().values("pk")
                ).order_by("agreement__title", "agreement_id", "source__key", "paragraph"),
            ),
        }

    def facets(self, base):
        return [
            self.country_facet(base, Agreement.parties.through, "agreement", "Party"),
            self.choice_facet(
                base, "status", "Current status", "current_status", AgreementStatus.choices
            ),
            self.choice_facet(base, "kind", "Kind", "kind", AgreementKind.choices),
            self.grouping_facet(
                base, Agreement.party_groupings.through, "agreement", "Party grouping"
            ),
        ]


class InitiativeListView(RecordListView):
    model = Initiative
    filterset_class = filters.InitiativeFilter
    resource_name = "InitiativeResource"
    template_name = "engagements/initiative_list.html"
    title = "Initiatives"
    intro = "Policies, programmes, standing mechanisms, exhibitions and joint efforts."
    sorts = {
        "name": [Key("name")],
        "-name": [Key("name", descending=True)],
        "-date": [date_key("start_date", descending=True)],
        "date": [date_key("start_date")],
    }
    default_sort = "name"

    def listings(self):
        return (
            countries_of(Initiative.countries.through, "initiative"),
            groupings_of(Initiative.groupings.through, "initiative"),
            citations_of(InitiativeCitation),
        )

    def export_tables(self):
        return {
            **super().export_tables(),
            "citations": ExportTable(
                "Sources cited",
                "InitiativeCitationResource",
                lambda qs: InitiativeCitation.objects.filter(
                    initiative__in=qs.order_by().values("pk")
                ).order_by("initiative__name", "initiative_id", "source__key", "paragraph"),
            ),
        }

    def facets(self, base):
        return [
            self.country_facet(base, Initiative.countries.through, "initiative", "Country"),
            self.choice_facet(base, "kind", "Kind", "kind", InitiativeKind.choices),
            self.grouping_facet(base, Initiative.groupings.through, "initiative", "Grouping"),
        ]


class OfficialListView(RecordListView):
    model = Official
    filterset_class = filters.OfficialFilter
    resource_name = "OfficialResource"
    template_name = "engagements/official_list.html"
    title = "Officials"
    intro = "The people who meet and sign, with the posts they held."
    sorts = {
        "name": [Key("name")],
        "-name": [Key("name", descending=True)],
        "country": [Key("country__name"), Key("name")],
    }
    default_sort = "name"
    row_select_related = ("country",)

    def prefetches(self):
        return (Prefetch("tenures", Tenure.objects.select_related("post")),)

    def decorate(self, rows):
        # Counted for the page's rows only, in one query: as a column of the list's query,
        # PostgreSQL counted every official of a country before sorting and cutting the page.
        # The busiest officials attend thousands of meetings: on big tables the page's counts
        # are kept with the facet counts.
        ids = sorted(o.pk for o in rows)
        counts = remember(
            Official,
            "meeting_counts",
            ids,
            self.table_is_big(),
            lambda: dict(
                Participation.objects.filter(official__in=ids)
                .order_by()
                .values("official")
                .annotate(n=Count("pk"))
                .values_list("official", "n")
            ),
        )
        for official in rows:
            official.meeting_count = counts.get(official.pk, 0)

    def facets(self, base):
        return [column_facet(base, "country", "Country", "country__iso2", "country__name")]


class GroupingListView(RecordListView):
    model = Grouping
    filterset_class = filters.GroupingFilter
    resource_name = "GroupingResource"
    template_name = "engagements/grouping_list.html"
    title = "Groupings"
    intro = "Regional organisations, minilateral partnerships and forums."
    sorts = {"name": [Key("short_name")], "-name": [Key("short_name", descending=True)]}
    default_sort = "name"

    def listings(self):
        return (countries_of(Grouping.members.through, "grouping", "members"),)

    def decorate(self, rows):
        from .stats import grouping_meeting_counts

        counts = grouping_meeting_counts()
        for grouping in rows:
            grouping.meeting_count = counts.get(grouping.pk, 0)

    def facets(self, base):
        return [self.choice_facet(base, "kind", "Kind", "kind", GroupingKind.choices)]


class SourceListView(RecordListView):
    model = Source
    filterset_class = filters.SourceFilter
    resource_name = "SourceResource"
    template_name = "engagements/source_list.html"
    title = "Sources"
    intro = "The source documents every fact is cited to, by paragraph."
    sorts = {
        "-date": [date_key("published_on", descending=True)],
        "date": [date_key("published_on")],
        "key": [Key("key")],
        "title": [Key("title")],
    }
    # By key: its unique index serves every page (published_on has no index yet).
    default_sort = "key"

    def facets(self, base):
        return [column_facet(base, "publisher", "Publisher", "publisher", single=True)]


class CountryListView(RecordListView):
    """Countries: at most a few hundred rows, so one page sorted by engagement counts."""

    model = Country
    filterset_class = filters.CountryFilter
    resource_name = "CountryResource"
    template_name = "engagements/country_list.html"
    title = "Countries"
    intro = (
        "Every country, with the number of records of its engagement with India (meetings "
        "counted whatever their status: held, scheduled or cancelled)."
    )
    sorts = {
        "-meetings": [Key("name")],
        "name": [Key("name")],
        "-name": [Key("name", descending=True)],
    }
    default_sort = "-meetings"

    paginated = False

    def listings(self):
        return (groupings_of(Grouping.members.through, "country"),)

    def per_page(self, query) -> int:
        return DEFAULT_PER_PAGE  # one page: the rows-per-page choice does not apply

    def ordering(self, sort: str) -> list:
        """The page's order, for the page and its export alike."""
        if sort != "-meetings":
            return super().ordering(sort)
        from .stats import record_counts

        # The figures the page shows (cached on big tables), not a fresh count per country.
        counted = [
            When(pk=pk, then=Value(n["meetings"]))
            for pk, n in record_counts().items()
            if n.get("meetings")
        ]
        if not counted:
            return ["name", "pk"]
        meetings = Case(*counted, default=Value(0), output_field=IntegerField())
        return [meetings.desc(), "name", "pk"]

    def paginate(self, qs, sort, per_page, query):
        from .stats import record_counts

        counts = record_counts()
        if sort == "-meetings":
            # ordering()'s order (meetings, then name and pk), sorted here: the CASE of one
            # WHEN per country took the ORM 8 ms to build; a stable sort keeps name, pk.
            rows = list(qs.order_by("name", "pk"))
            rows.sort(key=lambda c: -(counts.get(c.pk, {}).get("meetings") or 0))
        else:
            rows = list(qs.order_by(*self.ordering(sort)))
        for country in rows:
            country.counts = counts.get(country.pk, {})
        return {"rows": rows, "next": "", "previous": "", "first": "", "last": ""}
