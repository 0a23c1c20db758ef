"""Export-only resources of the long tables of multi-valued columns (``columns.links``)."""

from __future__ import annotations

from ..columns.base import Record
from .base import DefrelResource

_MADE: dict[str, type[DefrelResource]] = {}


def link_resource(record: Record) -> type[DefrelResource]:
    """The resource writing the long table ``record`` (made once per table)."""
    if record.name not in _MADE:
        name = f"{record.model.__name__.replace('_', ' ').title().replace(' ', '')}Resource"
        _MADE[record.name] = type(name, (DefrelResource,), {"record": record})
    return _MADE[record.name]
