"""What a list row shows of its related records, read as light tuples (``record.listed``).

A list row shows a few columns of each related record (a meeting's countries, who attended,
its sources). Prefetching them built a model instance per related row (800 for 50 meetings,
15 µs each) and a related manager and queryset per record; a ``values_list`` query per
relation reads the same rows into tuples with the attributes the row templates read
(``views/cells.py``). Still one query per relation for the whole page.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ManyToManyRel, QuerySet

from ..columns.base import Cell
from ..dates import PartialDate
from ..models import (
    AgreementStatus,
    AgreementStatusChange,
    Country,
    Grouping,
    Participation,
    Topic,
)
from ..models.base import Citation

CountryRow = namedtuple("CountryRow", "iso2 name")
GroupingRow = namedtuple("GroupingRow", "slug short_name")
OfficialRow = namedtuple("OfficialRow", "slug name")
TopicRow = namedtuple("TopicRow", "slug name")
#: A participant: ``official`` (an OfficialRow), or None and a ``description`` with the
#: name of its ``country`` (or None).
AttendanceRow = namedtuple("AttendanceRow", "official description country")
SourceRow = namedtuple("SourceRow", "key title publisher published_on")
CitationRow = namedtuple("CitationRow", "source_id paragraph source")


class StatusRow(namedtuple("StatusRow", "pk status date precision")):
    """A step of an agreement's status history, as its list row shows it."""

    __slots__ = ()

    def get_status_display(self) -> str:
        return str(AgreementStatus(self.status).label) if self.status in STATUSES else self.status

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.precision)


STATUSES = set(AgreementStatus.values)


@dataclass(frozen=True)
class Listed:
    """One relation shown in the rows: ``query(ids)`` gives (record id, *columns) in order."""

    name: str
    query: Callable[[list], QuerySet]
    row: Callable


def list_related(records: list, listings: tuple[Listed, ...]) -> None:
    """``record.listed[name]``: the light rows of each relation, one query per relation."""
    if not records or not listings:
        return
    ids = [record.pk for record in records]
    for record in records:
        record.listed = {}
    for listing in listings:
        found: dict = {pk: [] for pk in ids}
        make = listing.row
        for record_id, *columns in listing.query(ids):
            found[record_id].append(make(*columns))
        for record in records:
            record.listed[listing.name] = found[record.pk]


def rows_of(model, record_field: str, name: str, columns, row, order=("id",)) -> Listed:
    """The rows of ``model`` pointing at the records (by ``record_field``), as ``row(*columns)``."""
    return Listed(
        name,
        lambda ids: (
            model.objects.filter(**{f"{record_field}_id__in": ids})
            .order_by(*order)
            .values_list(f"{record_field}_id", *columns)
        ),
        row,
    )


def countries_of(through, record_field: str, name: str = "countries") -> Listed:
    """Countries linked through the m2m table ``through``, by name (Country's order)."""
    columns = ("country__iso2", "country__name")
    return rows_of(through, record_field, name, columns, CountryRow, order=columns[1:])


def groupings_of(through, record_field: str, name: str = "groupings") -> Listed:
    """Groupings linked through the m2m table ``through``, by short name (Grouping's order)."""
    columns = ("grouping__slug", "grouping__short_name")
    return rows_of(through, record_field, name, columns, GroupingRow, order=columns[1:])


def topics_of(through, record_field: str, name: str = "topics") -> Listed:
    """Topics linked through the m2m table ``through``, by name (Topic's order)."""
    columns = ("topic__slug", "topic__name")
    return rows_of(through, record_field, name, columns, TopicRow, order=columns[1:])


def citations_of(citation_model) -> Listed:
    """Citations with the few source columns a row shows, in Citation's order."""
    sources: dict = {}

    def row(source_id, paragraph, *source):
        if source_id not in sources:
            sources[source_id] = SourceRow(*source)
        return CitationRow(source_id, paragraph, sources[source_id])

    columns = (
        "source_id",
        "paragraph",
        "source__key",
        "source__title",
        "source__publisher",
        "source__published_on",
    )
    record_field = citation_model.record_field
    order = ("source__key", "paragraph")
    return rows_of(citation_model, record_field, "citations", columns, row, order=order)


def attendances() -> Listed:
    """Who attended each meeting, in the order they were recorded: officials, and the
    participants the sources only describe."""
    return rows_of(
        Participation,
        "meeting",
        "participations",
        ("official__slug", "official__name", "description", "country__name"),
        lambda slug, name, description, country: AttendanceRow(
            OfficialRow(slug, name) if slug else None, description, country
        ),
    )


def status_history() -> Listed:
    """Each agreement's status changes, in the order they were recorded."""
    columns = ("id", "status", "date", "precision")
    return rows_of(AgreementStatusChange, "agreement", "status_history", columns, StatusRow)


def listings_for(model, table: tuple[Cell, ...]) -> tuple[Listed, ...]:
    """The related rows ``table``'s cells show, read as light tuples: derived from the cells.

    A cell's ``uses`` naming a relation of ``model`` is listed when it leads to countries or
    groupings or topics (either side of a many-to-many), citations, attendances or status
    steps;
    anything else a cell names (values of the row, counts) is not a relation to list.
    """
    found: dict[str, Listed] = {}
    for name in (name for cell in table for name in cell.uses):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        listed = _listing(field, name)
        if listed is not None:
            found.setdefault(name, listed)
    return tuple(found.values())


def _listing(field, name: str) -> Listed | None:
    if field.many_to_many:
        if isinstance(field, ManyToManyRel):  # the other side's field (a grouping's members)
            through, record_field = field.through, field.field.m2m_reverse_field_name()
        else:
            through, record_field = field.remote_field.through, field.m2m_field_name()
        if field.related_model is Country:
            return countries_of(through, record_field, name)
        if field.related_model is Grouping:
            return groupings_of(through, record_field, name)
        if field.related_model is Topic:
            return topics_of(through, record_field, name)
        return None
    if field.one_to_many:
        if issubclass(field.related_model, Citation):
            return citations_of(field.related_model)
        if field.related_model is Participation:
            return attendances()
        if field.related_model is AgreementStatusChange:
            return status_history()
    return None
