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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from pydantic import Field as Declared

from ..columns import base as kinds
from ..columns.base import Column
from ..dates import DateExtent, DatePrecision
from ..models import AgreementStatusChange

EMPTY = re.compile(r"\bempty\b")
ISO2 = Annotated[str, Declared(pattern=r"^[A-Z]{2}$")]


@dataclass(frozen=True)
class Field:
    """One JSON field: its name, type (a pydantic annotation), meaning, and how it is read."""

    name: str
    annotation: Any
    description: str
    read: Callable[[models.Model], Any]


def follow(obj, path: str):
    """The value at ``path`` (``official__country``) from ``obj``; None past a missing link."""
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


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


def _blank_as_null(path: str) -> Callable:
    def read(obj):
        value = follow(obj, path)
        return None if value == "" else value

    return read


def _sorted_values(path: str, attribute: str, key=None) -> Callable:
    def read(obj):
        return sorted((getattr(r, attribute) for r in follow(obj, path).all()), key=key)

    return read


def _date_fields(column: Column, date: str, precision: str, optional: bool) -> list[Field]:
    base = "date" if column.name == "date" else f"{column.name}_date"
    stem = "date" if column.name == "date" else column.name
    return [
        Field(
            base,
            _maybe(dt.date, optional),
            f"{column.description} ISO 8601; a month or a year is given as its first day "
            f"(see {stem}_precision); null when unknown.",
            lambda obj: follow(obj, date),
        ),
        Field(
            f"{stem}_precision",
            Literal[tuple(DatePrecision.values)],
            f"How much of {base} the sources give: day, month, year or unknown.",
            lambda obj: follow(obj, precision),
        ),
    ]


def _latest_status(obj):
    """The latest step of an agreement's status history (prefetched ``status_history``)."""
    return obj.latest_status


STATUS_CHOICES = _choices(AgreementStatusChange._meta.get_field("status"))

#: Computed columns: their typed fields, read from the prefetched rows they are computed from.
COMPUTED: dict[str, Callable[[Column], list[Field]]] = {
    "current_status": lambda column: [
        Field(
            column.name,
            STATUS_CHOICES | None,
            "The latest step of its status history; null without one.",
            lambda obj: getattr(_latest_status(obj), "status", None),
        )
    ],
    "current_status_date": lambda column: [
        Field(
            column.name,
            dt.date | None,
            "The date of that step, ISO 8601 (a month or a year as its first day, see "
            "status_precision); null when unknown.",
            lambda obj: getattr(_latest_status(obj), "date", None),
        ),
        Field(
            "status_precision",
            Literal[tuple(DatePrecision.values)] | None,
            "How much of status_date the sources give; null without a status.",
            lambda obj: getattr(_latest_status(obj), "precision", None),
        ),
    ],
}
#: What the computed columns are computed from (prefetched with the rows).
COMPUTED_FROM = {"current_status": "status_history", "current_status_date": "status_history"}


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
            names = _sorted_values("aliases", "name", str.lower)
            return [Field(name, list[str], column.description, names)]
        case kinds.CountryCodes():
            codes = _sorted_values(attribute, "iso2")
            return [Field(name, list[ISO2], column.description, codes)]
        case kinds.Keys():
            keys = _sorted_values(attribute, kind.to_field)
            return [Field(name, list[str], column.description, keys)]

    field, optional = model_field(model, attribute)
    match kind:
        case kinds.Code():
            return [
                Field(name, _maybe(_choices(field), optional), about, _blank_as_null(attribute))
            ]
        case kinds.Text():
            read = _blank_as_null(attribute) if optional else (lambda obj: follow(obj, attribute))
            return [Field(name, _maybe(str, optional), about, read)]
        case kinds.Integer():
            return [Field(name, _maybe(int, optional), about, lambda obj: follow(obj, attribute))]
        case kinds.Decimal():

            def number(obj):
                value = follow(obj, attribute)
                return None if value is None else float(value)

            return [Field(name, _maybe(float, optional), about, number)]
        case kinds.YesNo():
            return [Field(name, bool, about, lambda obj: bool(follow(obj, attribute)))]
        case kinds.CountryCode():
            return [
                Field(name, _maybe(ISO2, optional), about, _related(attribute, "iso2")),
            ]
        case kinds.OfficialName():
            about = "The official (their identifier)." + (
                " Null for a participant the sources only describe." if optional else ""
            )
            return [Field(name, _maybe(str, optional), about, _related(attribute, "slug"))]
        case kinds.Key():
            return [Field(name, _maybe(str, optional), about, _related(attribute, kind.to_field))]
    raise TypeError(f"{name}: no API field for {type(kind).__name__}.")


def _related(path: str, attribute: str) -> Callable:
    def read(obj):
        related = follow(obj, path)
        return None if related is None else getattr(related, attribute)

    return read


def relation_model(model, path: str):
    """The model a related-record path (``official__country``) leads to, or None."""
    try:
        field, _ = model_field(model, path)
    except FieldDoesNotExist:
        return None
    return field.related_model
