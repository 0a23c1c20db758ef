"""Resources built from the column declarations (``engagements.columns``).

A resource names its ``record``; each column of it becomes the import-export field of its
kind, and the model, the file's columns, the key (import-id columns), what an export joins
and prefetches, and the import-only columns are read from the record. A column is declared
once, there. A resource still declares a field itself where a column needs more than its
kind says (a tenure citation names its tenure through three read-only columns).
"""

from __future__ import annotations

from import_export import fields, resources
from import_export.declarative import ModelDeclarativeMetaclass

from ..columns import base as kinds
from ..columns.base import Column, Record
from .fields import AliasesField, CitationsField, DateSpanColumn, PartialDateColumn
from .widgets import (
    CountryListWidget,
    CountryWidget,
    DayWidget,
    DecimalWidget,
    IntWidget,
    KeyListWidget,
    KeyWidget,
    OfficialWidget,
    TextWidget,
    YesNoWidget,
)

#: Kinds naming one related record (joined when exporting) and several (prefetched).
ONE = (kinds.CountryCode, kinds.Key, kinds.OfficialName)
MANY = (kinds.CountryCodes, kinds.Keys, kinds.Aliases)


def field_for(column: Column, model, key: tuple[str, ...] = ()) -> fields.Field:
    """The import-export field that reads and writes ``column`` of ``model`` (``key``: the
    record's key columns)."""
    kind, name = column.kind, column.name
    attribute = None if column.import_only else kind.attribute
    readonly = column.readonly or column.import_only
    match kind:
        case kinds.Text() if column.name in key:
            widget = TextWidget()  # a key cell: surrounding spaces are not part of it
        case kinds.Text() | kinds.Code():
            # As import-export makes it for the model field (its widget, its default).
            field = resources.ModelResource.field_from_django_field(
                kind.attribute, model._meta.get_field(kind.attribute), readonly
            )
            field.column_name = name
            return field
        case kinds.DateSpan():
            return DateSpanColumn(kind.attribute, kind.end, kind.precision, kind.extent, name)
        case kinds.Date():
            return PartialDateColumn(kind.attribute, kind.precision, name)
        case kinds.Aliases():
            return AliasesField(kind.alias_model, column_name=name)
        case kinds.Citations():
            return CitationsField(column_name=name)
        case kinds.Computed():
            return fields.Field(column_name=name, readonly=True)  # the resource's dehydrate_
        case kinds.Day():
            widget = DayWidget()
        case kinds.Precision():
            widget = TextWidget()
        case kinds.Integer():
            widget = IntWidget()
        case kinds.Decimal():
            widget = DecimalWidget()
        case kinds.YesNo():
            widget = YesNoWidget()
        case kinds.CountryCodes():
            widget = CountryListWidget()
        case kinds.CountryCode():
            widget = CountryWidget()
        case kinds.Keys():
            widget = KeyListWidget(kind.to, field=kind.to_field)
        case kinds.Key():
            widget = KeyWidget(kind.to, field=kind.to_field)
        case kinds.OfficialName():
            widget = OfficialWidget()
        case _:
            raise TypeError(f"{column.name}: no CSV field for {type(kind).__name__}.")
    return fields.Field(attribute, name, widget=widget, readonly=readonly)


def joins(record: Record) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What exporting ``record`` joins (``select_related``) and prefetches."""
    one = [
        c.kind.attribute
        for c in record.exported
        if isinstance(c.kind, ONE) and not isinstance(c.kind, MANY)
    ]
    many = [c.kind.attribute for c in record.exported if isinstance(c.kind, MANY)]
    # ``official__country`` joins ``official`` too.
    one = [path for path in one if not any(o.startswith(f"{path}__") for o in one)]
    return tuple(dict.fromkeys(one)), tuple(dict.fromkeys(many))


class DeclaredResourceMetaclass(ModelDeclarativeMetaclass):
    """Fills a resource with ``record = <Record>`` from its declaration (see the module)."""

    def __new__(mcs, name, bases, attrs):
        record: Record | None = attrs.get("record")
        if record is not None:
            # Fields the class declares itself stand in for their columns, all in file order.
            declared = {c.name: attrs.pop(c.name) for c in record.columns if c.name in attrs}
            for column in record.columns:
                attrs[column.name] = declared.get(column.name) or field_for(
                    column, record.model, record.key
                )
            parent = attrs.get("Meta") or next(b.Meta for b in bases if hasattr(b, "Meta"))
            options = {
                "model": record.model,
                "fields": [c.name for c in record.columns],
                "import_id_fields": list(record.key),
            }
            attrs["Meta"] = type("Meta", (parent,), options)
            related, prefetch = joins(record)
            attrs.setdefault("related", related)
            attrs.setdefault("prefetch", prefetch)
            attrs.setdefault("import_only", tuple(c.name for c in record.columns if c.import_only))
            aliases = [c.kind for c in record.columns if isinstance(c.kind, kinds.Aliases)]
            if aliases:
                attrs.setdefault("alias_owner", aliases[0].owner)
        return super().__new__(mcs, name, bases, attrs)
