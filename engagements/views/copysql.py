"""CSV written by PostgreSQL's ``COPY (query) TO STDOUT``, with each column's SQL derived
from its kind (``engagements.columns``).

A streamed export through the CSV resource builds a model instance, a prefetch cache and a
field/widget call per cell: a few thousand rows a second. Here the filtered, ordered queryset
itself becomes the COPY's query with every cell computed in SQL by the rules the resource's
widgets follow (dates with their precision, ISO codes, ``;``-separated sorted lists, formula
escaping), so the database writes the CSV and Python only passes the bytes on.

A record gets this path when every column it exports has SQL here (a value computed from
other rows has it only where ``COMPUTED`` gives it: an agreement's current status, kept
on the agreement's row); the others, and every export on SQLite, go through
the resource. Tests check both write the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import (
    Case,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Collate, Lower

from ..columns import base as kinds
from ..columns.base import Column, Record
from ..copy import copy_out
from ..dates import OPEN_END, DateExtent
from ..models import Agreement, Country, Official
from ..resources.files import FORMULA_STARTS, LIST_SEPARATOR
from ..resources.widgets import OfficialWidget


def _sql_char(char: str) -> str:
    return f"chr({ord(char)})" if not char.isprintable() else "'" + char.replace("'", "''") + "'"


def _regex_char(char: str) -> str:
    """``char`` inside the brackets of a regular expression (PostgreSQL's syntax)."""
    return {"\t": r"\t", "\r": r"\r", "\\": r"\\", "]": r"\]", "^": r"\^"}.get(char, char)


class Escaped(Func):
    """``escape_formula`` in SQL; an empty text becomes NULL (which COPY writes as nothing).

    COPY writes an empty string as ``""`` and NULL as an empty field; Python's csv module
    writes both as an empty field, so empties are NULLs here.

    A column is named three times in a CASE (cheap). Anything else (a list's subquery) is
    computed once, through ``regexp_replace``: PostgreSQL runs each copy of a subquery in a
    CASE on its own, and the CASE ran a meeting's topics subquery twice a row.
    """

    output_field = TextField()
    starts = ", ".join(_sql_char(c) for c in FORMULA_STARTS)
    #: A formula start at the beginning of the text (a "-" last in the brackets, literal).
    pattern = (
        "^(["
        + "".join(_regex_char(c) for c in FORMULA_STARTS if c != "-")
        + ("-" if "-" in FORMULA_STARTS else "")
        + "])"
    )

    def as_sql(self, compiler, connection, **extra):
        expression = self.source_expressions[0]
        sql, params = compiler.compile(expression)
        if isinstance(expression, Col):
            return (
                f"NULLIF(CASE WHEN left({sql}, 1) IN ({self.starts}) THEN '''' || {sql} "
                f"ELSE {sql} END, '')",
                [*params, *params, *params],
            )
        return f"NULLIF(regexp_replace({sql}, %s, %s), '')", [*params, self.pattern, r"'\1"]


_FORMATS = (("day", "YYYY-MM-DD"), ("month", "YYYY-MM"), ("year", "YYYY"))


def _date_text(column: str, precision: str) -> str:
    whens = " ".join(f"WHEN '{p}' THEN to_char({column}, '{f}')" for p, f in _FORMATS)
    return f"CASE {precision} {whens} END"


class DateText(Func):
    """``PartialDate(date, precision).isoformat()`` in SQL (NULL when unknown)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        # Plain columns (no parameters), each named several times in the CASE.
        (date, _), (precision, _) = (compiler.compile(e) for e in self.source_expressions)
        return _date_text(date, precision), []


class DateSpanText(Func):
    """``DateSpan(start, end, precision, extent).isoformat()`` in SQL, EDTF (NULL when
    unknown): ``2024-11``, ``a/b``, ``a/..``, ``[a..b]``."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        (start, _), (end, _), (precision, _), (extent, _) = (
            compiler.compile(e) for e in self.source_expressions
        )
        first, last = _date_text(start, precision), _date_text(end, precision)
        within = f"'[' || {first} || '..' || {last} || ']'"
        sql = (
            f"(CASE WHEN {extent} = '{DateExtent.OPEN.value}' THEN {first} || '/{OPEN_END}' "
            f"WHEN {end} IS NULL THEN {first} "
            f"WHEN {extent} = '{DateExtent.WITHIN.value}' THEN {within} "
            f"ELSE {first} || '/' || {last} END)"
        )
        return sql, []


class Lookup(Func):
    """``mapping[column]`` for a small table's id, from a JSON literal: no join per row."""

    output_field = TextField()

    def __init__(self, column: str, mapping: dict[int, str]):
        super().__init__(F(column))
        self.mapping = json.dumps({str(k): v for k, v in mapping.items()})

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(%s::jsonb ->> ({sql})::text)", [self.mapping, *params]


def _joined(values: ArraySubquery) -> Func:
    return Func(
        values, Value(f"{LIST_SEPARATOR} "), function="array_to_string", output_field=TextField()
    )


class Columns:
    """The SQL of each column kind for one export (small tables read once, as JSON)."""

    def __init__(self, db: str):
        self.db = db
        self._iso2: dict[int, str] | None = None
        self._officials: dict[int, str] | None = None

    @property
    def iso2(self) -> dict[int, str]:
        if self._iso2 is None:
            self._iso2 = dict(Country.objects.using(self.db).values_list("pk", "iso2"))
        return self._iso2

    @property
    def officials(self) -> dict[int, str]:
        """Each official as the CSV writes them: the name, or the slug where the name with
        the country names someone else too (``OfficialWidget``'s rule, computed once)."""
        if self._officials is None:
            ambiguous = OfficialWidget().ambiguous_names()
            rows = Official.objects.using(self.db).values_list("pk", "name", "slug")
            self._officials = {
                pk: slug if pk in ambiguous else name for pk, name, slug in rows.iterator()
            }
        return self._officials

    def expression(self, model, column: Column):
        """The SQL expression writing ``column`` of ``model`` as its CSV cell."""
        kind = column.kind
        name = kind.attribute
        computed = COMPUTED.get((model, name)) if isinstance(kind, kinds.Computed) else None
        if computed is not None:
            return computed(kind)
        match kind:
            case kinds.Text() | kinds.Code():
                return Escaped(F(name))
            case kinds.Integer():
                return Cast(name, TextField())
            case kinds.Decimal():
                # 6700000000.00 as 6700000000 and 12.50 as 12.5, as DecimalWidget writes them
                # (the column's fixed scale always writes a point, so trimming stops there).
                return Func(
                    Cast(name, TextField()),
                    template="rtrim(rtrim(%(expressions)s, '0'), '.')",
                    output_field=TextField(),
                )
            case kinds.YesNo():
                return Func(F(name), template="CASE WHEN %(expressions)s THEN 'yes' ELSE 'no' END")
            case kinds.Date():
                return DateText(F(name), F(kind.precision))
            case kinds.Day():
                return Func(
                    F(name), Value("YYYY-MM-DD"), function="to_char", output_field=TextField()
                )
            case kinds.Precision():
                return Escaped(F(name))
            case kinds.DateSpan():
                return DateSpanText(F(name), F(kind.end), F(kind.precision), F(kind.extent))
            case kinds.CountryCode() if "__" in name:
                return F(f"{name}__iso2")
            case kinds.CountryCode():
                return Lookup(f"{name}_id", self.iso2)
            case kinds.CountryCodes():
                links = self._links(model, name)
                code = Lookup("country_id", self.iso2)
                return _joined(
                    ArraySubquery(links.annotate(code=code).order_by("code").values("code"))
                )
            case kinds.Keys():
                links = self._links(model, name)
                target = model._meta.get_field(name).m2m_reverse_field_name()
                key = F(f"{target}__{kind.to_field}")
                ordered = links.annotate(key=key).order_by(Collate("key", "C")).values("key")
                return Escaped(_joined(ArraySubquery(ordered)))
            case kinds.Aliases():
                # As ``AliasesField.export``: the names sorted without case, joined by "; ".
                aliases = kind.alias_model._default_manager.filter(
                    **{kind.owner: OuterRef("pk")}
                ).order_by(Collate(Lower("name"), "C"))
                return Escaped(_joined(ArraySubquery(aliases.values("name"))))
            case kinds.OfficialName():
                return Escaped(Lookup(name, self.officials))
            case kinds.Key() if "__" in name:
                return Escaped(F(f"{name}__{kind.to_field}"))
            case kinds.Key():
                # A correlated subquery by primary key, not a join: the rows stream in the
                # queryset's order straight off its index. Most rows name no record there
                # (no grouping, no parent), and PostgreSQL runs a subquery whatever its key:
                # the column is tested first, so the subquery runs for the rows naming one.
                keys = kind.to._default_manager.filter(pk=OuterRef(f"{name}_id")).order_by()
                return Case(
                    When(**{f"{name}__isnull": True}, then=Value(None)),
                    default=Subquery(keys.values(escaped=Escaped(F(kind.to_field)))),
                    output_field=TextField(),
                )
        raise TypeError(f"{column.name}: {type(kind).__name__} has no SQL (see COMPUTED).")

    @staticmethod
    def _links(model, name: str) -> QuerySet:
        relation = model._meta.get_field(name)
        through = relation.remote_field.through
        return through.objects.filter(**{relation.m2m_field_name(): OuterRef("pk")})


def _status_cell(kind):
    """An agreement's kept current status (``refresh_status``): its code, or its date as
    ``PartialDate(date, precision).isoformat()`` writes it (AgreementResource)."""
    if kind.attribute == "current_status_date":
        return DateText(F("current_status_date"), F("current_status_precision"))
    return Escaped(F("current_status"))


#: (model, attribute) → the SQL of a column computed from other rows: an agreement's
#: current status and its date, kept on the agreement (its day and precision are plain
#: columns there).
COMPUTED = {(Agreement, name): _status_cell for name in ("current_status", "current_status_date")}


def copyable(record: Record) -> bool:
    """Whether every column ``record`` exports has SQL here (a computed one only where
    ``COMPUTED`` gives it)."""
    return not any(
        isinstance(c.kind, kinds.Computed) and (record.model, c.kind.attribute) not in COMPUTED
        for c in record.exported
    )


def copy_columns(record: Record, db: str) -> dict[str, object]:
    """CSV header → SQL expression of each exported column (``copyable(record)``)."""
    sql = Columns(db)
    return {column.name: sql.expression(record.model, column) for column in record.exported}


def copy_lines(
    record: Record, queryset: QuerySet, names: list[str] | None = None
) -> Iterator[bytes] | None:
    """CSV lines (no header) of every row of ``queryset`` written by PostgreSQL's COPY, or
    None where the database is not PostgreSQL or a column has no SQL.

    ``queryset`` keeps its filters and order; its SQL becomes the COPY's query, with the
    parameters merged in on the client (COPY takes none). ``names``: only these columns, in
    this order (the admin's export lets staff pick them); default every exported column.
    """
    db = queryset.db
    if connections[db].vendor != "postgresql":
        return None
    if not copyable(record):
        return None
    columns = copy_columns(record, db)
    if names is not None:
        columns = {name: columns[name] for name in names}
    return _copied(plain_rows(queryset), columns, db)


def plain_rows(queryset: QuerySet) -> QuerySet:
    """``queryset`` as one row per record that a COPY can select columns from.

    A DISTINCT query (an admin filter across a relation) selects its ordering columns too,
    which would add cells to every line: it becomes a primary-key subquery, in its order.
    """
    if not queryset.query.distinct:
        return queryset
    order = queryset.query.order_by or queryset.model._meta.ordering
    pks = queryset.order_by().values("pk")
    return queryset.model._default_manager.using(queryset.db).filter(pk__in=pks).order_by(*order)


def _copied(queryset: QuerySet, columns: dict, db: str) -> Iterator[bytes]:
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
        yield from copy_out(cursor, statement)
