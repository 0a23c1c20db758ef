"""A record as the API gives it: its columns' typed fields, links, and embedded rows.

A :class:`Shape` is built from a column declaration (``engagements.columns``): its fields
are the declaration's (``fields.fields_for``), less the columns it leaves out (a meeting's
participants do not repeat the meeting); ``nested`` embeds related rows as arrays of their
own shapes (a meeting's participants, an agreement's status history). From the same
declaration it derives how to read a page of rows: what the rows' query annotates
(``select``), then one query per embedded relation and per many-valued column (``load``),
so a page of any length costs the same queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from pydantic import ConfigDict, create_model
from pydantic import Field as Declared

from ..columns.base import Record
from ..views.related import list_related
from .fields import Field, embedded, fields_for, prefetched_as


@dataclass(frozen=True)
class Nested:
    """Related rows embedded as an array: ``relation`` of the record, in ``order``."""

    name: str
    relation: str
    shape: Shape
    description: str
    order: tuple[str, ...] = ("id",)


class Shape:
    """The JSON object of one record of ``record`` (see the module)."""

    def __init__(
        self,
        record: Record,
        *,
        omit: tuple[str, ...] = (),
        nested: tuple[Nested, ...] = (),
        title: str = "",
        permalink: bool = True,
        url: str = "",
        joins: tuple[str, ...] = (),
    ):
        """``url``: the API endpoint of one record, ``{key}`` standing for its key column
        (``meetings/{key}``); ``permalink``: link to its reading-room page, which reads the
        related records ``joins`` (an outcome's page is its meeting's)."""
        self.record = record
        self.model = record.model
        unknown = set(omit) - {c.name for c in record.columns}
        if unknown:
            raise ValueError(f"{self.model.__name__}: no columns {unknown} to omit.")
        # Derived columns (a date's ISO day and precision, for CSV files) are left out: the
        # API types the date column itself into those fields (``fields_for``).
        self.columns = tuple(
            c for c in record.exported if c.name not in omit and not c.derived_from
        )
        self.fields: list[Field] = [f for c in self.columns for f in fields_for(c, self.model)]
        self.nested = nested
        self.url = url
        self.permalink = permalink and hasattr(self.model, "get_absolute_url")
        self.joins = joins
        self.title = title or self.model.__name__
        taken = [f.name for f in self.fields] + [n.name for n in nested]
        taken += ["api_url"] * bool(url) + ["permalink"] * self.permalink
        if len(set(taken)) != len(taken):
            raise ValueError(f"{self.model.__name__}: a field name appears twice in {taken}.")
        self.values = {k: v for f in self.fields for k, v in f.values.items()}
        self.listings = tuple(f.listing for f in self.fields if f.listing is not None)
        self.schema = self._schema()

    def _schema(self):
        declared: dict[str, Any] = {}
        if self.url:
            declared["api_url"] = (str, Declared(description="This record in the API."))
        if self.permalink:
            declared["permalink"] = (str, Declared(description="Its page in the reading room."))
        for field in self.fields:
            declared[field.name] = (field.annotation, Declared(description=field.description))
        for nested in self.nested:
            declared[nested.name] = (
                list[nested.shape.schema],
                Declared(description=nested.description),
            )
        return create_model(
            self.title,
            __config__=ConfigDict(extra="forbid"),
            __doc__=self.record.description or None,
            **declared,
        )

    # --- reading ------------------------------------------------------------------------

    def select(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` with the values the fields read through relations annotated."""
        if self.joins:
            queryset = queryset.select_related(*self.joins)
        return queryset.annotate(**self.values) if self.values else queryset

    def load(self, rows: list) -> None:
        """Read what ``rows`` show beyond their own columns: the embedded rows (kept as plain
        lists, ``fields.prefetched_as``) and the many-valued columns, one query each."""
        if not rows:
            return
        lookups = [
            Prefetch(
                n.relation,
                queryset=n.shape.select(n.shape.model._default_manager.order_by(*n.order)),
                to_attr=prefetched_as(n.relation),
            )
            for n in self.nested
        ]
        if lookups:
            prefetch_related_objects(rows, *lookups)
        list_related(rows, self.listings)
        for nested in self.nested:
            nested.shape.load([r for row in rows for r in embedded(row, nested.relation)])

    def dump(self, obj, links) -> dict:
        """The record's JSON object (plain Python values; ``links`` makes absolute URLs)."""
        values: dict[str, Any] = {}
        if self.url:
            key = getattr(obj, self.record.key[0])
            values["api_url"] = links.api(self.url.format(key=key))
        if self.permalink:
            values["permalink"] = links.absolute(obj.get_absolute_url())
        for field in self.fields:
            values[field.name] = field.read(obj)
        for nested in self.nested:
            rows = embedded(obj, nested.relation)
            values[nested.name] = [nested.shape.dump(row, links) for row in rows]
        return values
