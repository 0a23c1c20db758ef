"""A record as the API gives it: its columns' typed fields, links, and embedded rows.

A :class:`Shape` is built from a column declaration (``engagements.columns``): its fields
are the declaration's (``fields.fields_for``), less the columns it leaves out (a meeting's
participants do not repeat the meeting); ``nested`` embeds related rows as arrays of their
own shapes (a meeting's participants, an agreement's status history). From the same
declaration it derives what to read: the joins (one related record) and the prefetches
(several, and the embedded rows), so a page of any length costs the same queries.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from pydantic import ConfigDict, create_model
from pydantic import Field as Declared

from ..columns.base import Computed, Record
from ..models import Source
from ..resources.declared import joins
from .fields import COMPUTED_FROM, Field, fields_for, relation_model

#: Columns no response may load, by model (Source.text is for staff only, and long).
STAFF_ONLY = {Source: ("text",)}


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
    ):
        """``url``: the API endpoint of one record, ``{key}`` standing for its key column
        (``meetings/{key}``); ``permalink``: link to its reading-room page."""
        self.record = record
        self.model = record.model
        unknown = set(omit) - {c.name for c in record.columns}
        if unknown:
            raise ValueError(f"{self.model.__name__}: no columns {unknown} to omit.")
        self.columns = tuple(c for c in record.exported if c.name not in omit)
        self.fields: list[Field] = [f for c in self.columns for f in fields_for(c, self.model)]
        self.nested = nested
        self.url = url
        self.permalink = permalink and hasattr(self.model, "get_absolute_url")
        self.title = title or self.model.__name__
        taken = [f.name for f in self.fields] + [n.name for n in nested]
        taken += ["api_url"] * bool(url) + ["permalink"] * self.permalink
        if len(set(taken)) != len(taken):
            raise ValueError(f"{self.model.__name__}: a field name appears twice in {taken}.")
        self.schema = self._schema()

    # --- the schema ---------------------------------------------------------------------

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

    # --- what to read -------------------------------------------------------------------

    def _joins(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        kept = dataclasses.replace(self.record, columns=self.columns, key=(), table=())
        one, many = joins(kept)
        computed = [COMPUTED_FROM[c.kind.attribute] for c in self.columns if _computed(c)]
        return tuple(dict.fromkeys(one)), tuple(dict.fromkeys((*many, *computed)))

    def select(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` joined to the related records the fields read (no staff columns)."""
        one, _ = self._joins()
        if not one:
            return queryset
        queryset = queryset.select_related(*one)
        hidden = [
            f"{path}__{name}"
            for path in one
            for name in STAFF_ONLY.get(relation_model(self.model, path), ())
        ]
        return queryset.defer(*hidden) if hidden else queryset

    def prefetches(self) -> list:
        """What to prefetch for a page of rows: one query per relation, whatever the rows."""
        _, many = self._joins()
        nested_names = {n.relation for n in self.nested}
        lookups: list = [name for name in many if name not in nested_names]
        for nested in self.nested:
            shape = nested.shape
            inner = shape.select(shape.model._default_manager.order_by(*nested.order))
            inner = inner.prefetch_related(*shape.prefetches())
            lookups.append(Prefetch(nested.relation, queryset=inner))
        return lookups

    # --- the values ---------------------------------------------------------------------

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
            rows = getattr(obj, nested.relation).all()
            values[nested.name] = [nested.shape.dump(row, links) for row in rows]
        return values


def _computed(column) -> bool:
    return isinstance(column.kind, Computed)
