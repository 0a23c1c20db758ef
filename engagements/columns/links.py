"""Long ("tidy") tables of multi-valued columns: one row per value, derived from the record.

A meeting's ``countries`` cell (``IN; KR``) is, as a table, one row per meeting and country:
``meeting``, ``country``. Each exported column of several countries or records
(``CountryCodes``, ``Keys``) whose relation has no model of its own gives such a record,
over the relation's link table; a relation with a model of its own (memberships, with their
dates) has its own declaration instead.
"""

from __future__ import annotations

from . import base as kinds
from .base import Column, Record

#: Kinds holding several values in one cell, each a link row.
MULTI = (kinds.CountryCodes, kinds.Keys)


def _value_column(column: Column, target: str, noun: str) -> Column:
    kind = column.kind
    about = f"One of the {noun}'s {column.name}, a row each: {column.description}"
    if isinstance(kind, kinds.CountryCodes):
        return Column(target, "Country", about, kinds.CountryCode(target))
    label = str(kind.to._meta.verbose_name).capitalize()
    return Column(target, label, about, kinds.Key(target, to=kind.to, to_field=kind.to_field))


def link_record(record: Record, column: Column) -> Record | None:
    """The long table of ``column`` of ``record`` (None: not a plain link table, or a record
    without a one-column key to name it by)."""
    if not isinstance(column.kind, MULTI) or len(record.key) != 1:
        return None
    relation = record.model._meta.get_field(column.kind.attribute)
    through = relation.remote_field.through
    if not through._meta.auto_created:
        return None
    owner, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    key = record.column(record.key[0])
    noun = str(record.model._meta.verbose_name)
    return Record(
        through,
        key=(owner, target),
        description=f"The {column.label.lower()} of each {noun}, one row per {noun} and value "
        f"(the {column.name} column, long).",
        columns=(
            Column(
                owner,
                noun.capitalize(),
                f"The {noun} (its identifier).",
                kinds.Key(owner, to=record.model, to_field=key.kind.attribute),
            ),
            _value_column(column, target, noun),
        ),
    )


def link_records(record: Record) -> dict[str, Record]:
    """Column name → long table, for each multi-valued column of ``record`` that has one."""
    links = {}
    for column in record.exported:
        link = link_record(record, column)
        if link is not None:
            links[column.name] = link
    return links
