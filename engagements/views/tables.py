"""The tables a list page exports (``table=<key>``), derived from the column declarations.

Besides the filtered rows themselves (``table=`` left out), a list exports tables of rows
related to them, each a declared record (``engagements.columns``) with its resource's
columns:

- the ones a list names (``Related``): who attended the filtered meetings, their citations,
  the agreements' status history…;
- its marks (inferred and reference values), where the record has marks;
- its other names, one a row, where the record has an ``aliases`` column;
- a long ("tidy") table of each multi-valued column (a meeting's ``countries``: one row per
  meeting and country, ``columns.links``).

Each related table is the rows of its record whose link to the listed record (``via``, the
column naming it) is among the filtered rows, ordered by the listed record's ``order`` and
then the table's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ..columns import RECORDS, record_for
from ..columns import base as kinds
from ..columns.base import Record
from ..columns.links import link_records
from ..columns.typed import model_field
from ..resources import RESOURCES
from ..resources.base import DefrelResource
from ..resources.links import link_resource


@dataclass(frozen=True)
class Related:
    """A related table a list names: its key, label, record, and own order (default: its
    key columns after the link)."""

    key: str
    label: str
    record: Record
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportTable:
    """What ``table=<key>`` exports: rows of ``record``; with ``via``, those linked to the
    filtered rows through the column ``via``, else the filtered rows themselves."""

    key: str
    label: str
    record: Record
    via: str = ""
    order: tuple[str, ...] = ()

    @property
    def resource(self) -> type[DefrelResource]:
        """The resource writing the table's columns."""
        if RECORDS.get(self.record.name) is self.record:
            return RESOURCES[self.record.name]
        return link_resource(self.record)

    def rows(self, listed: QuerySet, listed_order: tuple[str, ...]) -> QuerySet:
        """The table's rows for the filtered (and ordered) rows ``listed``."""
        if not self.via:
            return listed
        attribute = self.record.column(self.via).kind.attribute
        linked = self.record.model._default_manager.filter(
            **{f"{attribute}__in": listed.order_by().values("pk")}
        )
        return linked.order_by(
            *(f"{attribute}__{field}" for field in listed_order), f"{attribute}_id", *self.order
        )


def link_column(record: Record, model) -> str:
    """The column of ``record`` naming a ``model`` record (``meeting`` of a participant)."""
    for column in record.columns:
        if column.derived_from or isinstance(column.kind, kinds.Computed):
            continue
        field, _ = model_field(record.model, column.kind.attribute)
        if field is not None and field.many_to_one and field.related_model is model:
            return column.name
    raise LookupError(f"{record.name} has no column naming a {model._meta.model_name}.")


def key_order(record: Record, via: str) -> tuple[str, ...]:
    """An order within one listed record: the table's other key columns, then its id."""
    order = []
    for name in record.key:
        if name == via:
            continue
        kind = record.column(name).kind
        match kind:
            case kinds.Key():
                order.append(f"{kind.attribute}__{kind.to_field}")
            case kinds.CountryCode():
                order.append(f"{kind.attribute}__iso2")
            case kinds.OfficialName():
                order.append(f"{kind.attribute}__slug")
            case _:
                order.append(kind.attribute)
    return (*order, "pk")


def related_table(model, key: str, label: str, record: Record, order=()) -> ExportTable:
    via = link_column(record, model)
    return ExportTable(key, label, record, via, tuple(order) or key_order(record, via))


def export_tables(model, label: str, related: tuple[Related, ...] = ()) -> dict[str, ExportTable]:
    """Every table a list of ``model`` exports, by ``table=`` key (``""``: its own rows)."""
    record = record_for(model)
    tables = {"": ExportTable("", label, record)}
    for table in related:
        tables[table.key] = related_table(model, table.key, table.label, table.record, table.order)
    marks = getattr(model, "marks", None)
    if marks is not None:
        mark = record_for(marks.rel.related_model)
        tables["marks"] = related_table(model, "marks", "Inferred and reference values", mark)
    for column in record.exported:
        if isinstance(column.kind, kinds.Aliases) and "aliases" not in tables:
            aliases = record_for(column.kind.alias_model)
            tables["aliases"] = related_table(
                model, "aliases", "Other names, one a row", aliases, ("name", "pk")
            )
    declared = {table.record.model for table in tables.values()}
    for name, link in link_records(record).items():
        if name not in tables and link.model not in declared:
            label = f"{record.column(name).label}, one a row"
            tables[name] = related_table(model, name, label, link)
    return tables
