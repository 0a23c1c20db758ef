"""What each kind of column is as data: its type, whether it may be missing, its allowed
values, and how a record's value is read as that type.

The typing rules, once, for the JSON exports, the codebook and the API:

- text and codes are strings, ``None`` (JSON ``null``) when empty, never ``""``;
- whole numbers are integers, amounts numbers, yes/no booleans;
- a date column (EDTF) stays a string; its derived columns carry the ISO day (a string
  ``YYYY-MM-DD``, type ``date``) and the precision (a code);
- a country is its ISO alpha-2 code, a related record its identifier (slug or source key);
- several countries, records or names are an array, sorted as the CSV cell lists them
  (empty, never null).

``typed(column, model)`` says what a column is; ``reader(column)`` reads it from a record
fetched as its resource's ``export_queryset`` fetches it (joins and prefetches). Two kinds
need Python the declaration does not hold (an official's name, which is a slug where it is
ambiguous; a value computed from other rows): their reader is None and a caller takes the
resource's text, empty as None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from ..dates import DatePrecision, DateSpan, PartialDate
from . import base as kinds
from .base import Column

#: The types a value can have (``array``: of ``Typed.items``).
TYPES = ("string", "code", "integer", "number", "boolean", "date", "array")


@dataclass(frozen=True)
class Typed:
    """A column's value as data."""

    type: str
    #: What an array holds (``code`` for ISO country codes, ``string`` for identifiers).
    items: str = ""
    nullable: bool = True
    #: The allowed codes with their labels (a model field's choices), for ``code``.
    choices: tuple[tuple[str, str], ...] = ()
    #: What a value looks like, for the codebook (``ISO 3166-1 alpha-2``, ``EDTF``).
    form: str = ""


def follow(obj, path: str):
    """The value at ``path`` (``official__country``) from ``obj``; None past a missing link."""
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def model_field(model, path: str) -> tuple[models.Field | None, bool]:
    """The model field at the end of ``path`` and whether its value may be missing (a
    nullable link on the way, or a null or blank field); None for an annotation."""
    optional = False
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None, True
        optional = optional or field.null or field.blank
        model = field.related_model
    return field, optional


def _choices(model, attribute: str) -> tuple[tuple[str, str], ...]:
    field, _ = model_field(model, attribute)
    return tuple((str(v), str(label)) for v, label in (field.choices or ())) if field else ()


def typed(column: Column, model) -> Typed:
    """What ``column`` of ``model`` is as data."""
    kind = column.kind
    match kind:
        case kinds.Day():
            return Typed("date", form="ISO 8601 day")
        case kinds.Precision():
            return Typed("code", choices=tuple(DatePrecision.choices))
        case kinds.Date():
            return Typed("string", form="EDTF date")
        case kinds.DateSpan():
            return Typed("string", form="EDTF date or span")
        case kinds.CountryCodes():
            return Typed("array", items="code", nullable=False, form="ISO 3166-1 alpha-2")
        case kinds.Keys():
            return Typed("array", items="string", nullable=False, form="identifiers")
        case kinds.Aliases():
            return Typed("array", items="string", nullable=False, form="names")
        case kinds.YesNo():
            return Typed("boolean", nullable=False)
        case kinds.Computed():
            choices = tuple(kind.values.choices) if kind.values else ()
            return Typed("code" if choices else "string", choices=choices)
        case kinds.OfficialName():
            return Typed("string", nullable=model_field(model, kind.attribute)[1])
    _, optional = model_field(model, kind.attribute)
    match kind:
        case kinds.CountryCode():
            return Typed("code", nullable=optional, form="ISO 3166-1 alpha-2")
        case kinds.Key():
            return Typed("string", nullable=optional, form="identifier")
        case kinds.Integer():
            return Typed("integer", nullable=optional)
        case kinds.Decimal():
            return Typed("number", nullable=optional)
        case kinds.Code():
            return Typed("code", nullable=optional, choices=_choices(model, kind.attribute))
        case kinds.Text() | kinds.Citations():
            return Typed("string", nullable=optional)
    raise TypeError(f"{column.name}: no type for {type(kind).__name__}.")


def _text(path: str) -> Callable:
    def read(obj):
        value = follow(obj, path)
        return None if value in (None, "") else value

    return read


def _number(value):
    """A decimal as an exact JSON number: an int when whole (6700000000), else a float."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _sorted(path: str, attribute: str, key=None) -> Callable:
    def read(obj):
        related = follow(obj, path)
        return (
            []
            if related is None
            else sorted((getattr(r, attribute) for r in related.all()), key=key)
        )

    return read


def _related(path: str, attribute: str) -> Callable:
    def read(obj):
        related = follow(obj, path)
        return None if related is None else getattr(related, attribute)

    return read


def reader(column: Column) -> Callable[[models.Model], Any] | None:
    """The function reading ``column``'s typed value from a record; None where the value
    needs the resource (``OfficialName``, ``Computed``: see the module)."""
    kind = column.kind
    path = kind.attribute
    match kind:
        case kinds.OfficialName() | kinds.Computed() | kinds.Citations():
            return None
        case kinds.Day():
            return lambda obj: day.isoformat() if (day := follow(obj, path)) else None
        case kinds.Date():
            return lambda obj: (
                PartialDate(follow(obj, path), follow(obj, kind.precision)).isoformat() or None
            )
        case kinds.DateSpan():
            return lambda obj: (
                DateSpan(
                    follow(obj, path),
                    follow(obj, kind.end),
                    follow(obj, kind.precision),
                    follow(obj, kind.extent),
                ).isoformat()
                or None
            )
        case kinds.CountryCodes():
            return _sorted(path, "iso2")
        case kinds.Keys():
            return _sorted(path, kind.to_field)
        case kinds.Aliases():
            return _sorted("aliases", "name", key=str.lower)
        case kinds.CountryCode():
            return _related(path, "iso2")
        case kinds.Key():
            return _related(path, kind.to_field)
        case kinds.Integer():
            return lambda obj: follow(obj, path)
        case kinds.Decimal():
            return lambda obj: _number(follow(obj, path))
        case kinds.YesNo():
            return lambda obj: bool(follow(obj, path))
        case kinds.Text() | kinds.Code() | kinds.Precision():
            return _text(path)
    raise TypeError(f"{column.name}: no reader for {type(kind).__name__}.")
