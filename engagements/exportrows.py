"""CSV of the biggest table without model instances or widgets.

A streamed export of every meeting through ``MeetingResource.export_csv_row`` builds a model
instance, a prefetch cache and fourteen field/widget calls per row: a few thousand rows a
second. Two faster paths write the same columns by the same rules (``DateSpan`` text dates,
ISO codes, ``;``-separated lists, formula escaping):

- ``meeting_rows``: one ``values_list`` over a server-side cursor plus two queries per chunk,
  formatted in Python (any database);
- ``meeting_csv_copy``: on PostgreSQL, the filtered and ordered queryset itself, with every
  column computed in SQL, run as ``COPY (...) TO STDOUT WITH (FORMAT csv)``: the database
  writes the CSV and Python only passes the bytes on.

Tests check that the three write the same rows (``tests/scale/test_querycounts.py``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import F, Func, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast

from .dates import DateSpan
from .models import Country, Grouping, Initiative, Meeting
from .resources import MeetingResource
from .resources.files import FORMULA_STARTS, LIST_SEPARATOR

_STARTS = frozenset(FORMULA_STARTS)
assert all(len(s) == 1 for s in FORMULA_STARTS)  # so that a first-character test suffices


def _escape(text: str) -> str:
    """``escape_formula`` for a non-empty ``str`` (the hot path of a million-row export)."""
    return "'" + text if text[:1] in _STARTS else text


CHUNK = 5_000

MEETING_VALUES = (
    "pk",
    "slug",
    "title",
    "kind",
    "status",
    "start_date",
    "end_date",
    "date_precision",
    "city",
    "country_id",
    "host_id",
    "grouping_id",
    "mechanism_id",
    "edition",
    "parent_id",
    "summary",
)


def meeting_rows(queryset: QuerySet) -> Iterator[list[str]]:
    """The rows ``MeetingResource.export_csv_row`` writes, for every meeting of ``queryset``.

    ``queryset`` keeps its filters and order. The meetings are read without joins (so the
    database streams them straight off the ordering index); countries, groupings and
    mechanisms are small tables held in dictionaries, and each chunk of CHUNK meetings costs
    two more queries (its countries, its parents' slugs).
    """
    if MeetingResource().get_export_headers() != list(HEADERS):
        raise RuntimeError("MeetingResource's columns changed: update exportrows.py.")
    db = queryset.db
    # In a transaction, PostgreSQL's server-side cursor streams. In autocommit mode Django
    # declares it WITH HOLD, and PostgreSQL then materialises every row before the first.
    with transaction.atomic(using=db):
        yield from _meeting_rows(queryset, db)


def _meeting_countries(db: str, ids: list[int]) -> Iterator[tuple[int, int]]:
    connection = connections[db]
    if connection.vendor == "postgresql":  # one array parameter, not thousands
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT meeting_id, country_id FROM engagements_meeting_countries "
                "WHERE meeting_id = ANY(%s)",
                [ids],
            )
            yield from cursor.fetchall()
        return
    through = Meeting.countries.through.objects.using(db)
    yield from through.filter(meeting_id__in=ids).values_list("meeting_id", "country_id")


def _meeting_rows(queryset: QuerySet, db: str) -> Iterator[list[str]]:
    iso2 = dict(Country.objects.using(db).values_list("pk", "iso2"))
    groupings = dict(Grouping.objects.using(db).values_list("pk", "slug"))
    mechanisms = dict(
        Initiative.objects.using(db).filter(kind="mechanism").values_list("pk", "slug")
    )
    rows = queryset.values_list(*MEETING_VALUES).iterator(chunk_size=CHUNK)
    separator = f"{LIST_SEPARATOR} "
    date_texts: dict[tuple, str] = {}  # a few thousand distinct dates over a million rows
    while chunk := list(islice(rows, CHUNK)):
        countries: dict[int, list[str]] = defaultdict(list)
        ids = [r[0] for r in chunk]
        for meeting_id, country_id in _meeting_countries(db, ids):
            countries[meeting_id].append(iso2[country_id])
        parent_ids = {r[14] for r in chunk if r[14] is not None}
        parents = dict(
            Meeting.objects.using(db).filter(pk__in=parent_ids).values_list("pk", "slug")
            if parent_ids
            else ()
        )
        for (
            pk,
            slug,
            title,
            kind,
            status,
            start,
            end,
            precision,
            city,
            country,
            host,
            grouping,
            mechanism,
            edition,
            parent,
            summary,
        ) in chunk:
            if mechanism is not None and mechanism not in mechanisms:  # not of kind mechanism
                mechanisms[mechanism] = Initiative.objects.using(db).get(pk=mechanism).slug
            dates = date_texts.get((start, end, precision))
            if dates is None:
                dates = date_texts[start, end, precision] = DateSpan(
                    start, end, precision
                ).isoformat()
            yield [
                _escape(slug),
                _escape(title),
                kind,
                status,
                dates,
                _escape(city),
                iso2[country] if country else "",
                iso2[host] if host else "",
                separator.join(sorted(countries.get(pk, ()))),
                _escape(groupings[grouping]) if grouping else "",
                _escape(mechanisms[mechanism]) if mechanism else "",
                "" if edition is None else str(edition),
                _escape(parents[parent]) if parent else "",
                _escape(summary),
            ]


HEADERS = (
    "slug",
    "title",
    "kind",
    "status",
    "dates",
    "city",
    "country",
    "host",
    "countries",
    "grouping",
    "mechanism",
    "edition",
    "parent",
    "summary",
)

#: Resource name → fast row function, for the exports that have one.
FAST_ROWS = {"MeetingResource": meeting_rows}


# --- PostgreSQL: the database writes the CSV -------------------------------------------------


def _sql_char(char: str) -> str:
    return f"chr({ord(char)})" if not char.isprintable() else "'" + char.replace("'", "''") + "'"


class _Escaped(Func):
    """``escape_formula`` in SQL; an empty text becomes NULL (which COPY writes as nothing).

    COPY writes an empty string as ``""`` and NULL as an empty field; Python's csv module
    writes both as an empty field, so empties are NULLs here.
    """

    output_field = TextField()
    starts = ", ".join(_sql_char(c) for c in FORMULA_STARTS)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"NULLIF(CASE WHEN left({sql}, 1) IN ({self.starts}) THEN '''' || {sql} "
            f"ELSE {sql} END, '')",
            [*params, *params, *params],
        )


class _DateSpanText(Func):
    """``DateSpan(start, end, precision).isoformat()`` in SQL (NULL when unknown)."""

    output_field = TextField()
    formats = (("day", "YYYY-MM-DD"), ("month", "YYYY-MM"), ("year", "YYYY"))

    def as_sql(self, compiler, connection, **extra):
        (start, _), (end, _), (precision, _) = (
            compiler.compile(e) for e in self.source_expressions
        )

        def text(column: str) -> str:
            whens = " ".join(f"WHEN '{p}' THEN to_char({column}, '{f}')" for p, f in self.formats)
            return f"CASE {precision} {whens} END"

        sql = f"({text(start)} || CASE WHEN {end} IS NULL THEN '' ELSE '/' || {text(end)} END)"
        return sql, []


class _Lookup(Func):
    """``mapping[column]`` for a small table's id, from a JSON literal: no join per row."""

    output_field = TextField()

    def __init__(self, column: str, mapping: dict[int, str]):
        super().__init__(F(column))
        self.mapping = json.dumps({str(k): v for k, v in mapping.items()})

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(%s::jsonb ->> ({sql})::text)", [self.mapping, *params]


def _meeting_columns(db: str) -> dict:
    """HEADERS → SQL expression of each column, as ``MeetingResource`` writes it.

    No joins: the small tables (countries, groupings) are looked up in JSON literals and the
    rest (a parent's or mechanism's slug, the countries) by index in correlated subqueries,
    so the meetings stream in the queryset's order straight off its index.
    """
    from django.contrib.postgres.expressions import ArraySubquery

    iso2 = dict(Country.objects.using(db).values_list("pk", "iso2"))
    groupings = dict(Grouping.objects.using(db).values_list("pk", "slug"))
    code = _Lookup("country_id", iso2)
    links = Meeting.countries.through.objects.filter(meeting=OuterRef("pk"))
    countries = ArraySubquery(links.annotate(code=code).order_by("code").values("code"))

    def slug_of(model, column: str) -> Subquery:
        # Escaped inside: the outer CASE names its expression three times.
        slugs = model.objects.filter(pk=OuterRef(column)).order_by()
        return Subquery(slugs.values(escaped=_Escaped(F("slug"))))

    columns = {
        "slug": _Escaped(F("slug")),
        "title": _Escaped(F("title")),
        "kind": F("kind"),
        "status": F("status"),
        "dates": _DateSpanText(F("start_date"), F("end_date"), F("date_precision")),
        "city": _Escaped(F("city")),
        "country": _Lookup("country_id", iso2),
        "host": _Lookup("host_id", iso2),
        "countries": Func(
            countries,
            Value(f"{LIST_SEPARATOR} "),
            function="array_to_string",
            output_field=TextField(),
        ),
        "grouping": _Escaped(_Lookup("grouping_id", groupings)),
        "mechanism": slug_of(Initiative, "mechanism_id"),
        "edition": Cast("edition", TextField()),
        "parent": slug_of(Meeting, "parent_id"),
        "summary": _Escaped(F("summary")),
    }
    assert tuple(columns) == HEADERS
    return columns


#: Bytes handed on per block of the response (COPY hands over one row at a time).
COPY_BLOCK_BYTES = 256 * 1024


def meeting_csv_copy(queryset: QuerySet) -> Iterator[bytes]:
    """CSV lines (no header) of every meeting of ``queryset``, written by PostgreSQL's COPY.

    ``queryset`` keeps its filters and order; its SQL becomes the COPY's query, with the
    parameters merged in on the client (COPY takes none).
    """
    if MeetingResource().get_export_headers() != list(HEADERS):
        raise RuntimeError("MeetingResource's columns changed: update exportrows.py.")
    db = queryset.db
    columns = _meeting_columns(db)
    names = [f"csv_{name}" for name in columns]
    rows = queryset.annotate(**dict(zip(names, columns.values(), strict=True))).values_list(*names)
    connection = connections[db]
    try:
        query = connection.ops.compose_sql(*rows.query.sql_with_params())
    except EmptyResultSet:  # a queryset that cannot match (``.none()``): no lines
        return
    statement = f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"
    # JIT compiling a query this wide costs seconds and saves nothing on a plain scan.
    with transaction.atomic(using=db), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield from _copy_blocks(cursor, statement)


def _copy_blocks(cursor, statement: str) -> Iterator[bytes]:
    with cursor.copy(statement) as copy:
        block: list[bytes] = []
        size = 0
        for data in copy:
            block.append(bytes(data))
            size += len(data)
            if size >= COPY_BLOCK_BYTES:
                yield b"".join(block)
                block, size = [], 0
        if block:
            yield b"".join(block)


#: Resource name → CSV lines written by the database, where it can (PostgreSQL).
COPY_CSV = {"MeetingResource": meeting_csv_copy}


def copy_csv_for(resource_name: str, queryset: QuerySet):
    """The COPY writer of ``resource_name``'s CSV for ``queryset``, or None."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    return COPY_CSV.get(resource_name)
