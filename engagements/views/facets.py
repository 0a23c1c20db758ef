"""The facets of a list page: for each value of a column, the rows a click on it gives.

A list view declares its facets as instances (``facets = [CountryFacet(...), ...]``, as
Datasette's facet classes); each request counts them over a :class:`Counting`, which holds
what they need of the request (the filters, their rows, whether the table is big) and nothing
of the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear

from .. import caching
from ..charts import ChartItem, column_chart
from ..models import Country, Grouping, Topic
from .querystring import filter_params, toggled

FACET_SIZE = 12


@dataclass
class FacetValue:
    label: str
    count: int
    value: str
    href: str = ""
    selected: bool = False


@dataclass
class FacetResult:
    """A facet as the page shows it (``_list.html``)."""

    param: str
    title: str
    values: list[FacetValue] = field(default_factory=list)
    single: bool = False
    chart: str = ""
    hint: str = ""


def kept_for(model, label: str, compute, *, params, big: bool, found: dict | None = None):
    """``compute()``; over a big table, kept a few minutes under the list, label and filters."""
    return caching.kept(facet_label(model, label), compute, params=params, big=big, found=found)


def facet_label(model, label: str) -> str:
    return f"facets:{model._meta.model_name}:{label}"


class Counting:
    """What one request's facets are counted over, and when those counts are kept.

    Each facet is counted with its own filter left out (as Datasette does), so it shows what
    a click on each value gives: a country or kind facet offers more values than the chosen
    ones (any of them), a grouping facet the other groupings (one at a time). Counts over
    more than COUNT_LIMIT rows, or over a big table (``big``), are kept for a few minutes,
    keyed by the filters counted over: the counts of ``?country=KR`` without its country
    filter are those of the unfiltered page. On a small table they are counted on every
    request, so an edit shows at once.
    """

    def __init__(self, model, filterset, query, *, count: int, more: bool, big: bool, tally=None):
        """``query``: the request's parameters; ``count``, ``more``: the page's bounded count;
        ``big``: whether the model's whole table is big; ``tally``: a reader of counts kept
        by the database that answers some facets exactly (``tallied.py``), or None."""
        self.model = model
        self.tally = tally
        self.filterset = filterset
        self.query = query
        self.qs = filterset.qs
        # A few hundred agreements of forty thousand still take a GROUP BY with a status
        # subquery per row: kept when the table is big, however few the rows shown.
        self.big = more or big
        self._total = None if more else count
        self._without: dict[str, QuerySet] = {}
        self._found: dict | None = None

    def read_ahead(self, facets: list[Facet]) -> None:
        """Read every kept figure ``facets`` will ask for in one round trip to the cache
        (each facet names its own, ``Facet.wanted``), instead of one lookup per figure."""
        if not self.big:
            return
        labelled = [(facet_label(self.model, "total"), self._params())]
        for facet in facets:
            for name, label in facet.wanted():
                params = self._params(drop=name) if name and self.selected(name) else None
                labelled.append((facet_label(self.model, label), params or self._params()))
        self._found = caching.read_many(labelled)

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
            elif isinstance(value, Grouping | Topic):
                values.append(value.slug)
            else:
                values.append(str(value))
        return values

    def offer(self, name: str, choices: list[tuple[str, str]]) -> None:
        """Fill the select of filter ``name`` with ``choices`` (value, label), read by a
        facet: the field then reads nothing itself (its own query listed the same)."""
        field = self.filterset.form.fields.get(name)
        if field is None:
            return
        # As its ModelChoiceIterator lists them: the empty choice (and django-filter's null
        # choice, when it has one), then the records.
        first = [("", field.empty_label)] if field.empty_label is not None else []
        if getattr(field, "null_label", None) is not None:
            first.append((field.null_value, field.null_label))
        # Django's own setter: django-filter's wraps the list in a queryset iterator.
        forms.ChoiceField.choices.fset(field, [*first, *choices])

    def without(self, name: str) -> QuerySet:
        """The rows every filter but ``name`` leaves."""
        if name not in self._without:
            qs = self.filterset.queryset
            for field_name, value in self.filterset.form.cleaned_data.items():
                if field_name != name:
                    qs = self.filterset.filters[field_name].filter(qs, value)
            self._without[name] = qs
        return self._without[name]

    # --- counting, kept when big ----------------------------------------------------------

    def over_rows(self, label: str, compute):
        """``compute(rows shown)``."""
        counted = self._counter(label, "", lambda: compute(self.qs))
        return self._kept(label, self._params(), self.big, counted)

    def over_all_but(self, name: str, label: str, compute):
        """``compute(rows every filter but name leaves)``; the rows shown when name is unused."""
        if not self.selected(name):
            return self.over_rows(label, compute)
        params = self._params(drop=name)
        counted = self._counter(label, name, lambda: compute(self.without(name)))
        return self._kept(label, params, self.big, counted)

    def total(self) -> int:
        """The exact number of rows shown (the page's own count stops at COUNT_LIMIT)."""
        if self._total is None:
            counted = self._counter("total", "", lambda: self.qs.order_by().count())
            self._total = self._kept("total", self._params(), True, counted)
        return self._total

    def _counter(self, label: str, drop: str, scan):
        """The tally's count of ``label`` when it has one, else ``scan`` (same figures)."""
        if self.tally is not None and self.tally.answers(label):
            return lambda: self.tally.count(label, drop)
        return scan

    def _params(self, drop: str = "") -> list[tuple[str, str]]:
        return filter_params(self.query, self.filterset.filters, drop)

    def _kept(self, label: str, params: list, big: bool, compute):
        return kept_for(self.model, label, compute, params=params, big=big, found=self._found)


def ordered(values: list[FacetValue], chosen: list[str], limit: int = FACET_SIZE) -> list:
    """The chosen values first (so they can be unticked), then the rest by count."""
    picked = {c.lower() for c in chosen}
    first = [v for v in values if v.value.lower() in picked]
    rest = sorted((v for v in values if v.value.lower() not in picked), key=lambda v: -v.count)
    return [*first, *rest][: max(limit, len(first))]


def linked(facets: list[FacetResult], query) -> list[FacetResult]:
    """Each value's link (ticking or unticking it) in the request's ``query``."""
    for facet in facets:
        for value in facet.values:
            value.href, value.selected = toggled(
                query, facet.param, value.value, single=facet.single
            )
        if not facet.single and any(v.selected for v in facet.values):
            facet.hint = "Any of those ticked: each other count is what ticking it adds up to."
    return facets


class Facet:
    """One facet of a list: ``counted(counting)`` gives its values and their counts."""

    param: str
    title: str

    def counted(self, counting: Counting) -> FacetResult:
        raise NotImplementedError

    def wanted(self) -> list[tuple[str, str]]:
        """The kept figures ``counted`` reads: (the filter left out, or "", label) each."""
        raise NotImplementedError


class ColumnFacet(Facet):
    """A facet over a column with one value per row (kind, status, an official's country).

    ``single``: one value at a time (a click replaces the choice); else any of several (a
    click adds the value: its count is the rows shown now plus its own).
    """

    def __init__(
        self,
        param: str,
        title: str,
        field_name: str,
        label_field: str = "",
        *,
        labels: dict | None = None,
        single: bool = False,
        limit: int = FACET_SIZE,
    ):
        self.param, self.title = param, title
        self.field_name, self.label_field = field_name, label_field
        self.labels = labels or {}
        self.single = single
        self.limit = limit

    def per_value(self, qs: QuerySet) -> list[dict]:
        fields = [self.field_name, self.label_field] if self.label_field else [self.field_name]
        rows = qs.order_by().values(*fields).annotate(n=Count("pk")).order_by("-n", *fields)
        return [r for r in rows if r[self.field_name] not in (None, "")]

    def wanted(self) -> list[tuple[str, str]]:
        return [(self.param, f"column:{self.field_name}")]

    def counted(self, counting: Counting) -> FacetResult:
        chosen = counting.selected_values(self.param)
        label = f"column:{self.field_name}"
        rows = counting.over_all_but(self.param, label, self.per_value)
        total = counting.total() if chosen and not self.single else 0
        lowered = {c.lower() for c in chosen}
        values = []
        for r in rows:
            value = str(r[self.field_name])
            if self.label_field:
                shown = r[self.label_field]
            else:
                shown = self.labels.get(r[self.field_name], value)
            n = r["n"] if self.single or value.lower() in lowered else total + r["n"]
            values.append(FacetValue(str(shown), n, value))
        return FacetResult(
            self.param, self.title, ordered(values, chosen, self.limit), single=self.single
        )


class ChoiceFacet(ColumnFacet):
    """A facet over a column holding one of ``choices`` per row (kind, status): any of them."""

    def __init__(self, param: str, title: str, field_name: str, choices, limit: int = FACET_SIZE):
        super().__init__(param, title, field_name, labels=dict(choices), limit=limit)


class CountryFacet(Facet):
    """Countries linked through the m2m table ``through`` (a record has several): any of them.

    With countries chosen, another country's count is the rows a click on it gives (the
    chosen countries or it): the rows shown now, plus the rows the other filters leave
    that have this country, less those among the rows shown now (already counted).
    """

    param = "country"

    def __init__(self, through, record_field: str, title: str):
        self.through, self.record_field, self.title = through, record_field, title

    def per_country(self, records: QuerySet) -> list[dict]:
        links = self.through.objects.filter(
            **{f"{self.record_field}__in": records.order_by().values("pk")}
        ).exclude(country__iso2="IN")
        rows = (
            links.values("country__iso2", "country__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "country__name")
        )
        return list(rows)

    def wanted(self) -> list[tuple[str, str]]:
        return [("country", "countries"), ("", "countries")]

    def counted(self, counting: Counting) -> FacetResult:
        chosen = counting.selected_values("country")
        rows = counting.over_all_but("country", "countries", self.per_country)
        if chosen:
            shown = counting.over_rows("countries", self.per_country)
            shown_counts = {r["country__iso2"]: r["n"] for r in shown}
            total = counting.total()
        values = []
        for r in rows:
            n, code = r["n"], r["country__iso2"]
            if chosen and code not in chosen:
                n = total + n - shown_counts.get(code, 0)
            values.append(FacetValue(r["country__name"], n, code))
        return FacetResult("country", self.title, ordered(values, chosen))


class VocabularyFacet(Facet):
    """A facet over a small vocabulary (groupings, topics): one value at a time (a click
    replaces it), counted without its own filter.

    Its query lists the whole vocabulary, each entry with its count (a correlated count of
    the rows' links to it), and the filter's select is filled from it: the page reads the
    vocabulary once, for the facet and the select, instead of once each. Over a big table the
    facet is kept a few minutes (``Counting``), and with it the select's entries: a new topic
    shows there within minutes, and can be filtered on at once (the filter checks its
    identifier in the database).
    """

    label = ""
    vocabulary: type[Model]
    label_field = "name"

    def links(self, records: QuerySet) -> QuerySet:
        """Rows linking ``records`` to the vocabulary entry ``OuterRef("pk")``."""
        raise NotImplementedError

    def per_entry(self, records: QuerySet) -> list[dict]:
        counted = self.links(records).order_by().values(group=Value(1))
        counted = counted.annotate(n=Count("pk")).values("n")
        rows = (
            self.vocabulary._default_manager.order_by(self.label_field)
            .annotate(n=Coalesce(Subquery(counted), 0))
            .values("slug", self.label_field, "n")
        )
        return list(rows)

    def wanted(self) -> list[tuple[str, str]]:
        return [(self.param, self.label)]

    def counted(self, counting: Counting) -> FacetResult:
        rows = counting.over_all_but(self.param, self.label, self.per_entry)
        counting.offer(self.param, [(r["slug"], r[self.label_field]) for r in rows])
        values = [FacetValue(r[self.label_field], r["n"], r["slug"]) for r in rows if r["n"]]
        chosen = counting.selected_values(self.param)
        return FacetResult(self.param, self.title, ordered(values, chosen), True)


class GroupingFacet(VocabularyFacet):
    """Groupings linked through the m2m table ``through``, or (``through`` None) the
    records' own grouping foreign key ``record_field``."""

    param = "grouping"
    label = "groupings"
    vocabulary = Grouping
    label_field = "short_name"

    def __init__(self, through, record_field: str, title: str):
        self.through, self.record_field, self.title = through, record_field, title

    def links(self, records: QuerySet) -> QuerySet:
        if self.through is None:
            return records.filter(**{self.record_field: OuterRef("pk")})
        return self.through.objects.filter(
            grouping=OuterRef("pk"),
            **{f"{self.record_field}__in": records.order_by().values("pk")},
        )


class TopicFacet(VocabularyFacet):
    """Topics linked through the m2m table ``through``."""

    param = "topic"
    label = "topics"
    vocabulary = Topic

    def __init__(self, through, record_field: str, title: str = "Topic"):
        self.through, self.record_field, self.title = through, record_field, title

    def links(self, records: QuerySet) -> QuerySet:
        return self.through.objects.filter(
            topic=OuterRef("pk"), **{f"{self.record_field}__in": records.order_by().values("pk")}
        )


class YearFacet(Facet):
    """The rows shown per year of ``field_name``, with a column chart of them."""

    param = "year"

    def __init__(self, field_name: str, title: str, noun: str):
        self.field_name, self.title, self.noun = field_name, title, noun

    def per_year(self, qs: QuerySet) -> list[dict]:
        rows = (
            qs.order_by()
            .filter(**{f"{self.field_name}__isnull": False})
            .annotate(year=ExtractYear(self.field_name))
            .values("year")
            .annotate(n=Count("pk"))
            .order_by("year")
        )
        return list(rows)

    def wanted(self) -> list[tuple[str, str]]:
        return [("", f"years:{self.field_name}")]

    def counted(self, counting: Counting) -> FacetResult:
        rows = counting.over_rows(f"years:{self.field_name}", self.per_year)
        values = [FacetValue(str(r["year"]), r["n"], str(r["year"])) for r in rows]
        facet = FacetResult("year", self.title, values)
        if values:
            facet.chart = column_chart(
                [ChartItem(v.label, v.count) for v in values],
                title=self.title,
                description=f"Number of {self.noun} in each year, for the rows filtered here "
                f"(whatever their status, unless a status is chosen).",
                noun=self.noun,
            )
        return facet
