"""The API's typed fields, read from the public column declarations (``engagements.columns``).

A column's *kind* says how its value is read; here each kind becomes one or more JSON fields
of a declared type (the OpenAPI schema and the check of every response come from the same
declaration):

- text and codes are strings (a code is one of its field's choices), ``null`` when empty;
- whole numbers are integers, amounts are numbers, yes/no is a boolean;
- a date with its precision is two fields, ``<column>_date`` (ISO 8601, the first day of
  its month or year, as stored) and ``<column>_precision`` (``day``, ``month``, ``year``,
  ``unknown``); a column named ``date`` gives ``date`` and ``date_precision``;
- a meeting's dates are ``start_date``, ``end_date`` (null without a span), ``date_precision``
  and ``date_extent``, the model's own fields;
- a country is its ISO alpha-2 code, a related record its identifier (slug or source key),
  an official their identifier; several of them, or other names, are arrays.

How a field is read keeps a page's queries few and its rows light: a value through a relation
(a meeting's grouping, by slug) is annotated on the row's query (``values``), not read from a
related record built for it; several values (a meeting's countries) are read for the whole
page in one ``values_list`` query per column (``listing``, as the list pages read theirs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.db import models
from django.db.models import F, ManyToManyRel
from pydantic import Field as Declared

from ..columns import base as kinds
from ..columns.base import Column
from ..dates import DateExtent, DatePrecision
from ..models import AgreementStatusChange
from ..views import related
from ..views.related import Listed

EMPTY = re.compile(r"\bempty\b")
ISO2 = Annotated[str, Declared(pattern=r"^[A-Z]{2}$")]


@dataclass(frozen=True)
class Field:
    """One JSON field: its name, type (a pydantic annotation), meaning, and how it is read:
    ``read(row)``, after the row's query is annotated with ``values`` and ``listing`` has
    filled ``row.listed[name]``."""

    name: str
    annotation: Any
    description: str
    read: Callable[[models.Model], Any]
    values: dict[str, F] = dataclasses.field(default_factory=dict)
    listing: Listed | None = None


def value_at(path: str) -> tuple[Callable, dict[str, F]]:
    """A reader of the value at ``path``, and the annotation it needs: a column of the row
    is read as it is; a value through a relation (``official__country__iso2``) is annotated
    on the row's query, under a name of its own."""
    if "__" not in path:
        return (lambda obj: getattr(obj, path)), {}
    alias = "api_" + path.replace("__", "_x_")
    return (lambda obj: getattr(obj, alias)), {alias: F(path)}


def model_field(model, path: str) -> tuple[models.Field, bool]:
    """The model field at the end of ``path``, and whether the value may be missing (a
    nullable link on the way, or a blank or null field)."""
    optional = False
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        optional = optional or field.null or field.blank
        model = field.related_model
    return field, optional


def _choices(field: models.Field) -> Any:
    return Literal[tuple(value for value, _ in field.choices)]


def _maybe(annotation, optional: bool):
    return annotation | None if optional else annotation


def _text(name, annotation, about, path: str, blank_as_null: bool) -> Field:
    get, values = value_at(path)
    if not blank_as_null:
        return Field(name, annotation, about, get, values)

    def read(obj):
        value = get(obj)
        return None if value == "" else value

    return Field(name, annotation, about, read, values)


def _converted(name, annotation, about, path: str, convert: Callable) -> Field:
    get, values = value_at(path)

    def read(obj):
        value = get(obj)
        return None if value is None else convert(value)

    return Field(name, annotation, about, read, values)


def prefetched_as(relation: str) -> str:
    """The attribute a relation's prefetched rows are kept in, as a plain list (``to_attr``:
    a related manager and a queryset per record cost more than the rows)."""
    return f"api_{relation}"


def embedded(obj, relation: str) -> list:
    """The related rows of ``obj``: prefetched (``prefetched_as``) or read now."""
    rows = getattr(obj, prefetched_as(relation), None)
    return rows if rows is not None else list(getattr(obj, relation).all())


def _listing(model, kind, name: str) -> Listed:
    """The values of a many-valued column for a page of rows: (row id, value) pairs."""
    if isinstance(kind, kinds.Aliases):
        return related.rows_of(kind.alias_model, kind.owner, name, ("name",), _same)
    field = model._meta.get_field(kind.attribute)
    if isinstance(field, ManyToManyRel):  # the other side's field
        through, owner, target = (
            field.through,
            field.field.m2m_reverse_field_name(),
            field.field.m2m_field_name(),
        )
    else:
        through, owner, target = (
            field.remote_field.through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
        )
    to_field = "iso2" if isinstance(kind, kinds.CountryCodes) else kind.to_field
    return related.rows_of(through, owner, name, (f"{target}__{to_field}",), _same)


def _same(value):
    return value


def _listed(name, annotation, about, model, kind, key=None) -> Field:
    def read(obj):
        return sorted(obj.listed[name], key=key)

    return Field(name, annotation, about, read, listing=_listing(model, kind, name))


def _date_fields(column: Column, date: str, precision: str, optional: bool) -> list[Field]:
    base = "date" if column.name == "date" else f"{column.name}_date"
    stem = "date" if column.name == "date" else column.name
    read_date, date_values = value_at(date)
    read_precision, precision_values = value_at(precision)
    return [
        Field(
            base,
            _maybe(dt.date, optional),
            f"{column.description} ISO 8601; a month or a year is given as its first day "
            f"(see {stem}_precision); null when unknown.",
            read_date,
            date_values,
        ),
        Field(
            f"{stem}_precision",
            Literal[tuple(DatePrecision.values)],
            f"How much of {base} the sources give: day, month, year or unknown.",
            read_precision,
            precision_values,
        ),
    ]


STATUS_CHOICES = _choices(AgreementStatusChange._meta.get_field("status"))

#: Computed columns: their typed fields, read from the agreement's kept current status.
COMPUTED: dict[str, Callable[[Column], list[Field]]] = {
    "current_status": lambda column: [
        Field(
            column.name,
            STATUS_CHOICES | None,
            "The latest step of its status history; null without one.",
            lambda obj: obj.current_status,
        )
    ],
    "current_status_date": lambda column: [
        Field(
            column.name,
            dt.date | None,
            "The date of that step, ISO 8601 (a month or a year as its first day, see "
            "status_precision); null when unknown.",
            lambda obj: obj.current_status_date,
        ),
        Field(
            "status_precision",
            Literal[tuple(DatePrecision.values)] | None,
            "How much of status_date the sources give; null without a status.",
            lambda obj: obj.current_status_precision,
        ),
    ],
}


def fields_for(column: Column, model) -> list[Field]:
    """The JSON fields of ``column`` of ``model``."""
    kind, name = column.kind, column.name
    # The declarations speak of cells: a missing single value is null here (a list is empty).
    about = EMPTY.sub("null", column.description)
    attribute = kind.attribute
    match kind:
        case kinds.Computed():
            return COMPUTED[attribute](column)
        case kinds.DateSpan():
            return [
                Field(
                    attribute,
                    dt.date | None,
                    "The (first) day, ISO 8601; a month or a year is given as its first day "
                    "(see date_precision); null when unknown.",
                    lambda obj: getattr(obj, attribute),
                ),
                Field(
                    kind.end,
                    dt.date | None,
                    "The last day of a span (of the month or year, at those precisions); "
                    "null for a single date or an open end (see date_extent).",
                    lambda obj: getattr(obj, kind.end),
                ),
                Field(
                    kind.precision,
                    Literal[tuple(DatePrecision.values)],
                    "How much of the dates the sources give: day, month, year or unknown.",
                    lambda obj: getattr(obj, kind.precision),
                ),
                Field(
                    kind.extent,
                    Literal[tuple(DateExtent.values)],
                    "single (one date), span (from start to end), open (began on the start; "
                    "the end is not reported) or within (one day, not known which, between "
                    "start and end).",
                    lambda obj: getattr(obj, kind.extent),
                ),
            ]
        case kinds.Date():
            _, optional = model_field(model, attribute)
            return _date_fields(column, attribute, kind.precision, optional)
        case kinds.Aliases():
            return [_listed(name, list[str], column.description, model, kind, str.lower)]
        case kinds.CountryCodes():
            return [_listed(name, list[ISO2], column.description, model, kind)]
        case kinds.Keys():
            return [_listed(name, list[str], column.description, model, kind)]

    field, optional = model_field(model, attribute)
    match kind:
        case kinds.Code():
            return [_text(name, _maybe(_choices(field), optional), about, attribute, True)]
        case kinds.Text():
            return [_text(name, _maybe(str, optional), about, attribute, optional)]
        case kinds.Integer():
            return [_text(name, _maybe(int, optional), about, attribute, False)]
        case kinds.Decimal():
            return [_converted(name, _maybe(float, optional), about, attribute, float)]
        case kinds.YesNo():
            return [_converted(name, bool, about, attribute, bool)]
        case kinds.CountryCode():
            return [_text(name, _maybe(ISO2, optional), about, f"{attribute}__iso2", False)]
        case kinds.OfficialName():
            about = "The official (their identifier)." + (
                " Null for a participant the sources only describe." if optional else ""
            )
            return [_text(name, _maybe(str, optional), about, f"{attribute}__slug", False)]
        case kinds.Key():
            path = f"{attribute}__{kind.to_field}"
            return [_text(name, _maybe(str, optional), about, path, False)]
    raise TypeError(f"{name}: no API field for {type(kind).__name__}.")
