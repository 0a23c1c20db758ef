"""The tables a release holds: every declared record and the long table of each
multi-valued column, each with its resource (the CSV columns) and its rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .. import panels
from ..columns import RECORDS
from ..columns import base as kinds
from ..columns.base import Column, Record
from ..columns.links import link_records
from ..columns.typed import Typed, typed
from ..resources import RESOURCES
from ..resources.links import link_resource

#: The country-year panel's file (not a declared record: ``engagements.panels``).
PANEL = "panel_country_year"


@dataclass(frozen=True)
class ReleaseTable:
    record: Record

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def resource(self):
        if RECORDS.get(self.name) is self.record:
            return RESOURCES[self.name]
        return link_resource(self.record)

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.record.exported

    def typed(self, column: Column) -> Typed:
        return typed(column, self.record.model)

    @property
    def key_column(self) -> Column | None:
        """The one column naming each row (slug, source key, ISO code), if there is one."""
        return self.record.column(self.record.key[0]) if len(self.record.key) == 1 else None

    def rows(self) -> QuerySet:
        """Every row, in the order records were created (the same on every database)."""
        return self.record.model._default_manager.order_by("pk")


def release_tables() -> list[ReleaseTable]:
    """Every public table, records first in dependency order, then the long tables."""
    tables = [ReleaseTable(record) for record in RECORDS.values()]
    seen = {record.model for record in RECORDS.values()}
    for record in RECORDS.values():
        for link in link_records(record).values():
            if link.model not in seen:
                seen.add(link.model)
                tables.append(ReleaseTable(link))
    return tables


# --- what every format needs to know of a table ----------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column as the release's formats see it (from its declaration)."""

    name: str
    title: str
    description: str
    #: A type of ``columns.typed`` (``string``, ``code``, ``integer``, ``number``, ``boolean``,
    #: ``date``, ``array``: several values in one ``;``-separated cell).
    type: str
    choices: tuple[str, ...] = ()
    nullable: bool = True
    #: (table, column) this column names a row of.
    references: tuple[str, str] | None = None


@dataclass(frozen=True)
class Spec:
    """A table of a release: its file stem, words, fields and keys."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()


def _references(column: Column, names: set[str]) -> tuple[str, str] | None:
    kind = column.kind
    if isinstance(kind, kinds.Keys):
        return None
    if isinstance(kind, kinds.CountryCode):
        return ("country", "iso2")
    if isinstance(kind, kinds.Key) and kind.to is not None:
        target = kind.to._meta.model_name
        return (target, kind.to_field) if target in names else None
    return None


def spec(table: ReleaseTable, names: set[str]) -> Spec:
    """``table``'s spec; ``names``: the release's tables (a reference outside is left out)."""
    fields = []
    for column in table.columns:
        value = table.typed(column)
        fields.append(
            Field(
                column.name,
                column.label,
                column.description,
                value.type,
                tuple(code for code, _ in value.choices),
                value.nullable,
                _references(column, names),
            )
        )
    by_name = {f.name: f for f in fields}
    key = table.record.key
    # A key with a part that may be empty (an undated step) is no primary key, nor one naming
    # an official by name (two officials of different countries may share it).
    names_official = any(isinstance(table.record.column(k).kind, kinds.OfficialName) for k in key)
    primary = key if all(not by_name[k].nullable for k in key) and not names_official else ()
    meta = table.record.model._meta
    title = str(meta.verbose_name_plural).capitalize()
    return Spec(table.name, title, table.record.description or title, tuple(fields), primary)


def panel_spec() -> Spec:
    """The country-year panel's spec (``engagements.panels``)."""
    fields = tuple(
        Field(c.name, c.name.replace("_", " ").capitalize(), c.description, c.type, (), not c.key)
        for c in panels.COLUMNS
    )
    key = tuple(c.name for c in panels.COLUMNS if c.key and c.name in ("partner_iso2", "year"))
    return Spec(
        PANEL,
        "Country-year panel",
        "India × partner × year counts of meetings, agreement steps and outcomes, with zeros "
        "(docs/panels.md gives the counting rules).",
        fields,
        key,
    )


def specs() -> list[Spec]:
    tables = release_tables()
    names = {t.name for t in tables}
    return [spec(t, names) for t in tables] + [panel_spec()]
