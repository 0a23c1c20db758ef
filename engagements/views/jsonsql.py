"""The JSON export's rows written by PostgreSQL: one JSON object per row, built in SQL.

The Python path (``exports.row_reader``) builds a model instance, a prefetch cache and a
reader call per cell, then ``json.dumps`` per row: about 1,000 meetings a second. Here the
filtered, ordered queryset becomes a ``COPY (SELECT <row text>) TO STDOUT`` whose one column
is each row's JSON text, spelled exactly as ``json.dumps(row, ensure_ascii=False)`` spells it
(``{"key": value, ...}``, arrays as ``["a", "b"]``), so Python only passes the bytes on.
Each cell follows ``columns.typed``: text and codes via ``to_json`` (null when empty),
numbers as written, yes/no as ``true``/``false``, dates as ``copysql`` formats them, several
values as a sorted array; permalinks are the page's URL around the record's slug.

A table gets this path on PostgreSQL when every column and permalink has SQL here; others
(a value computed from other rows, a permalink that is not a slug in a URL) keep the Python
path. Tests check both write the same document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connections, models, transaction
from django.db.models import F, Func, OuterRef, TextField, Value
from django.db.models.functions import Collate, Lower

from ..columns import base as kinds
from ..columns.base import Column
from ..copy import copy_out
from .copysql import Columns, DateSpanText, DateText, Lookup, plain_rows

#: Kinds whose JSON value needs Python (see ``columns.typed.reader``).
PYTHON_ONLY = (kinds.Computed, kinds.Citations)
#: Stands in for a record's slug while its URL is reversed (letters: never quoted).
SENTINEL = "SlugSentinelXq"


class ToJson(Func):
    """``to_json(value)::text``, ``null`` for NULL (and, with ``empty_null``, for "")."""

    output_field = TextField()

    def __init__(self, expression, empty_null: bool = True):
        super().__init__(expression)
        self.empty_null = empty_null

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        value = f"NULLIF({sql}, '')" if self.empty_null else sql
        return f"COALESCE(to_json({value})::text, 'null')", params


class Raw(Func):
    """A value whose text is already its JSON (a number), ``null`` for NULL."""

    output_field = TextField()
    template = "COALESCE((%(expressions)s)::text, 'null')"


class JsonArray(Func):
    """``["a", "b"]`` of a subquery's text values in its order (``[]`` when none)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # ARRAY(subquery) keeps the subquery's order; each element as to_json spells it.
        return (
            f"('[' || array_to_string(ARRAY(SELECT to_json(v)::text FROM unnest({sql}) "
            "WITH ORDINALITY AS u(v, n) ORDER BY n), ', ') || ']')",
            params,
        )


class JsonObject(Func):
    """``{"key": value, ...}`` of the given (key, JSON text expression) pairs."""

    output_field = TextField()

    def __init__(self, pairs: list[tuple[str, object]]):
        super().__init__(*(expression for _, expression in pairs))
        self.keys = [key for key, _ in pairs]

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for index, (key, expression) in enumerate(
            zip(self.keys, self.source_expressions, strict=True)
        ):
            sql, expression_params = compiler.compile(expression)
            opening = "{" if index == 0 else ", "
            parts.append("%s")
            params.append(f"{opening}{json.dumps(key, ensure_ascii=False)}: ")
            parts.append(f"({sql})")
            params.extend(expression_params)
        parts.append("'}'")
        return "(" + " || ".join(parts) + ")", params


def _array(values) -> JsonArray:
    return JsonArray(ArraySubquery(values))


class JsonColumns(Columns):
    """The JSON text of each column kind (``copysql.Columns`` for the shared pieces)."""

    def json(self, model, column: Column):
        kind = column.kind
        name = kind.attribute
        match kind:
            case kinds.Text() | kinds.Code() | kinds.Precision():
                return ToJson(F(name))
            case kinds.Integer():
                return Raw(F(name))
            case kinds.Decimal():
                # As ``typed._number``: 6700000000.00 as 6700000000, 12.50 as 12.5.
                return Raw(
                    Func(
                        F(name),
                        template="rtrim(rtrim((%(expressions)s)::text, '0'), '.')",
                        output_field=TextField(),
                    )
                )
            case kinds.YesNo():
                return Func(
                    F(name),
                    template="CASE WHEN %(expressions)s THEN 'true' ELSE 'false' END",
                    output_field=TextField(),
                )
            case kinds.Date():
                return ToJson(DateText(F(name), F(kind.precision)))
            case kinds.Day():
                return ToJson(
                    Func(F(name), Value("YYYY-MM-DD"), function="to_char", output_field=TextField())
                )
            case kinds.DateSpan():
                return ToJson(DateSpanText(F(name), F(kind.end), F(kind.precision), F(kind.extent)))
            case kinds.CountryCode() if "__" in name:
                return ToJson(F(f"{name}__iso2"))
            case kinds.CountryCode():
                return ToJson(Lookup(f"{name}_id", self.iso2))
            case kinds.CountryCodes():
                links = self._links(model, name)
                code = Lookup("country_id", self.iso2)
                return _array(links.annotate(code=code).order_by("code").values("code"))
            case kinds.Keys():
                links = self._links(model, name)
                target = model._meta.get_field(name).m2m_reverse_field_name()
                key = F(f"{target}__{kind.to_field}")
                return _array(links.annotate(key=key).order_by(Collate("key", "C")).values("key"))
            case kinds.Aliases():
                aliases = kind.alias_model._default_manager.filter(
                    **{kind.owner: OuterRef("pk")}
                ).order_by(Collate(Lower("name"), "C"))
                return _array(aliases.values("name"))
            case kinds.OfficialName():
                # The resource's text (a slug where the name is ambiguous), null when empty.
                return ToJson(Lookup(name, self.officials))
            case kinds.Key():
                return ToJson(F(f"{name}__{kind.to_field}"))
        raise TypeError(f"{column.name}: {type(kind).__name__} has no JSON SQL.")


def jsonable(record) -> bool:
    return not any(isinstance(c.kind, PYTHON_ONLY) for c in record.exported)


def permalink_sql(model, relation: str, request):
    """The permalink of ``model``'s record (or of the one ``relation`` names) in SQL: the
    page's absolute URL around its slug; None when its URL is not a slug in a URL path."""
    linked = model._meta.get_field(relation).related_model if relation else model
    field = _slug_field(linked)
    if field is None:
        return None
    try:
        url = linked(**{field.attname: SENTINEL}).get_absolute_url()
    except Exception:  # a URL built from other records (an outcome's, its meeting's)
        return None
    absolute = request.build_absolute_uri(url)
    if absolute.count(SENTINEL) != 1:
        return None
    before, after = absolute.split(SENTINEL)
    path = f"{relation}__{field.name}" if relation else field.name
    return Func(
        Value(before),
        F(path),
        Value(after),
        template="COALESCE(to_json(%(expressions)s)::text, 'null')",
        arg_joiner=" || ",
        output_field=TextField(),
    )


def _slug_field(model) -> models.Field | None:
    """A slug (letters, digits, ``-``, ``_``: never escaped in a URL) naming ``model``'s page."""
    for field in model._meta.concrete_fields:
        if isinstance(field, models.SlugField) and field.unique:
            return field
    return None


def json_lines(table, queryset, request, links) -> Iterator[bytes] | None:
    """Each row's JSON text, one a line (``b"{...}\\n"``), or None where the database is not
    PostgreSQL or a column or permalink has no SQL here."""
    db = queryset.db
    if connections[db].vendor != "postgresql" or not jsonable(table.record):
        return None
    model = table.record.model
    sql = JsonColumns(db)
    pairs = [(column.name, sql.json(model, column)) for column in table.record.exported]
    for name, relation in links:
        link = permalink_sql(model, relation, request)
        if link is None:
            return None
        pairs.append((name, link))
    return _copied(plain_rows(queryset), JsonObject(pairs), db)


def _copied(queryset, row, db: str) -> Iterator[bytes]:
    rows = queryset.annotate(json_row=row).values_list("json_row")
    connection = connections[db]
    try:
        query = connection.ops.compose_sql(*rows.query.sql_with_params())
    except EmptyResultSet:
        return
    # COPY's text format doubles a backslash; JSON text holds no raw tab or line break.
    statement = f"COPY ({query}) TO STDOUT"
    with transaction.atomic(using=db), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        for block in copy_out(cursor, statement):
            yield block.replace(b"\\\\", b"\\")
