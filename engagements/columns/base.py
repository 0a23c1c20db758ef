"""What a public column is: its name, label, one-line meaning, and kind of value.

A *column* is one value of a record as researchers and staff see it outside the database: a
CSV cell, a JSON field, a codebook entry. Its *kind* says how the value is read from the
model and written as text (``2024-11`` for a month, ``IN; SG`` for countries, a slug for a
related record), so each consumer maps kinds to what it needs once, and never lists a
record's columns itself:

- ``engagements.resources`` builds the import-export fields (CSV import and export);
- ``engagements.views.copysql`` builds the SQL of PostgreSQL's COPY export;
- the reading room's list tables name columns in their cells (``Record.table``);
- the codebook, the API and the releases read names, labels, descriptions and kinds;
- ``typed`` says what each kind is as data (JSON types, allowed values), once for the JSON
  exports, the codebook and the API.

Kinds are small frozen dataclasses holding the model attributes they read; consumers
dispatch on the kind's class.

A date column (``Date``, ``DateSpan``) is written in EDTF, which no spreadsheet or data frame
reads as a date. Its record therefore also carries, right after it, *derived* columns: the
date as an ISO day and its precision (``start_date``, ``end_date``, ``date_precision`` and
``date_extent`` for a meeting's ``dates``); see ``date_parts``. They are exported only; the
EDTF column stays the one that is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

# --- kinds of value -----------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How a column's value is stored and written. ``attribute`` is the model attribute
    (a path such as ``tenure__official`` for a value read through a relation)."""

    attribute: str
    #: The value's type for the codebook and JSON (``string``, ``integer``, ``boolean``…).
    type = "string"


@dataclass(frozen=True)
class Text(Kind):
    """Free text; empty when absent."""


@dataclass(frozen=True)
class Code(Kind):
    """One of a fixed set of codes (a model field's choices): ``bilateral``, ``signed``."""

    type = "code"


@dataclass(frozen=True)
class Integer(Kind):
    """A whole number; empty when absent."""

    type = "integer"


@dataclass(frozen=True)
class Decimal(Kind):
    """A decimal number, written in full without trailing zeros (``6700000000``, ``6.7``)."""

    type = "decimal"


@dataclass(frozen=True)
class YesNo(Kind):
    """``yes`` or ``no``."""

    type = "boolean"


@dataclass(frozen=True)
class Date(Kind):
    """A date with its precision: ``2024``, ``2024-11``, ``2024-11-21``; empty when unknown."""

    precision: str = ""
    type = "partial date"


@dataclass(frozen=True)
class DateSpan(Kind):
    """A date or a span of dates sharing one precision, in EDTF: ``2024-11``, a span
    ``2019-09-02/2019-09-06``, an open end ``2023-07-10/..``, one day within a span
    ``[2019-09-02..2019-09-06]`` (``extent`` says which)."""

    end: str = ""
    precision: str = ""
    extent: str = ""
    type = "partial date span"


@dataclass(frozen=True)
class Day(Kind):
    """A date as an ISO 8601 day, ``2024-11-01``; a month or a year is written as its first
    day (its precision column says how much of it is known); empty when unknown."""

    type = "date"


@dataclass(frozen=True)
class Precision(Kind):
    """How much of a date the sources give: ``day``, ``month``, ``year`` or ``unknown``."""

    type = "code"


@dataclass(frozen=True)
class CountryCode(Kind):
    """A country, written as its ISO 3166-1 alpha-2 code; read by code, name or alias."""

    type = "ISO 3166-1 alpha-2"


@dataclass(frozen=True)
class CountryCodes(Kind):
    """Several countries in one cell, alpha-2 codes sorted and separated by ``;``."""

    type = "ISO 3166-1 alpha-2 list"


@dataclass(frozen=True)
class Key(Kind):
    """A related record by its natural key (``to_field`` of ``to``: a slug, a source key)."""

    to: type[models.Model] | None = None
    to_field: str = "slug"
    type = "key"


@dataclass(frozen=True)
class Keys(Key):
    """Several related records in one cell by natural key, sorted, separated by ``;``."""

    type = "key list"


@dataclass(frozen=True)
class OfficialName(Kind):
    """An official, written as their name (their slug where the name with the country would
    name someone else too); read by slug, name or alias, with ``official_country``."""

    type = "official"


@dataclass(frozen=True)
class Aliases(Kind):
    """Other names of the record in one cell, separated by ``;`` (the alias rows)."""

    alias_model: type[models.Model] | None = None
    owner: str = ""
    type = "string list"


@dataclass(frozen=True)
class Citations(Kind):
    """The record's sources with their paragraphs in one cell, ``KEY ¶ 2, 17–26; OTHER ¶ 4``
    (the citation rows it adds); import only: the citation files are the export form."""

    type = "citation list"


@dataclass(frozen=True)
class Computed(Kind):
    """A value computed from other rows (an agreement's current status): exported only.
    ``values``: the choices it takes, when it is a code."""

    values: type[models.Choices] | None = None


# --- columns and records ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One public column of a record."""

    name: str
    label: str
    description: str
    kind: Kind
    #: Shown and exported, never imported (a related record's country, a computed value).
    readonly: bool = False
    #: Read on import, never exported (a switch such as ``allow_duplicate``).
    import_only: bool = False
    #: The column this one is computed from for analysis (``start_date`` from ``dates``):
    #: exported only, never marked (a mark is on the column it comes from).
    derived_from: str = ""


#: A slug-keyed record's key column.
IDENTIFIER = Column(
    "slug", "Identifier", "Stable identifier used in links and files.", Text("slug")
)


def _stem(name: str) -> str:
    return name.removesuffix("_date")


def date_parts(column: Column) -> tuple[Column, ...]:
    """The derived columns that follow a date column: its ISO day(s) and precision.

    A meeting's ``dates`` gives the model's own ``start_date``, ``end_date``,
    ``date_precision`` and ``date_extent``; any other date column ``X`` gives ``X_date`` and
    ``X_precision`` (``start_date``, ``published_precision``), except that a column already
    named ``date`` or ``…_date`` gives ``X_iso`` for its day and drops ``_date`` before
    ``_precision`` (``date_iso``, ``date_precision``).
    """
    kind, name = column.kind, column.name
    made = {"readonly": True, "derived_from": name}
    if isinstance(kind, DateSpan):
        return (
            Column(
                "start_date",
                "Start date",
                f"The first day of {name}, ISO 8601 (YYYY-MM-DD); a month or a year is given "
                "as its first day (see date_precision); empty when unknown.",
                Day(kind.attribute),
                **made,
            ),
            Column(
                "end_date",
                "End date",
                f"The last day of a span in {name}, ISO 8601, stored as start_date is (a "
                "month or a year as its first day); empty for a single date or an open end.",
                Day(kind.end),
                **made,
            ),
            Column(
                "date_precision",
                "Date precision",
                "How much of start_date and end_date the sources give: day, month, year or "
                "unknown.",
                Precision(kind.precision),
                **made,
            ),
            Column(
                "date_extent",
                "Date extent",
                "What start_date and end_date say together: single, span, open (the end is "
                "not reported) or within (one day, not known which, in the span).",
                Code(kind.extent),
                **made,
            ),
        )
    if isinstance(kind, Date):
        day = f"{name}_iso" if name == "date" or name.endswith("_date") else f"{name}_date"
        precision = f"{_stem(name)}_precision"
        return (
            Column(
                day,
                f"{column.label} (ISO day)",
                f"{name} as an ISO 8601 day (YYYY-MM-DD); a month or a year is given as its "
                f"first day (see {precision}); empty when unknown.",
                Day(kind.attribute),
                **made,
            ),
            Column(
                precision,
                f"{column.label} precision",
                f"How much of {name} the sources give: day, month, year or unknown.",
                Precision(kind.precision),
                **made,
            ),
        )
    return ()


def related(name: str, to: type[models.Model], description: str = "") -> Column:
    """A column naming one related record of ``to`` by its slug."""
    noun = str(to._meta.verbose_name)
    return Column(
        name, noun.capitalize(), description or f"The {noun} (its identifier).", Key(name, to=to)
    )


@dataclass(frozen=True)
class Cell:
    """One column of a researcher list table: a heading and what each row shows there.

    ``show`` names the renderer (``engagements.views.cells``) and ``uses`` the record's
    values or related rows it reads; ``sort`` the sort keys the heading toggles between
    (first, then second), none for a heading that does not sort.
    """

    label: str
    show: str
    uses: tuple[str, ...] = ()
    sort: tuple[str, str] | None = None
    numeric: bool = False
    heading: bool = False  # the row's heading cell (``<th scope="row">``): its title


@dataclass(frozen=True)
class Record:
    """Every public column of one model, in file order, and its key (the import-id columns).

    ``table``: the cells of its researcher list page, when it has one.
    """

    model: type[models.Model]
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    table: tuple[Cell, ...] = field(default=())
    description: str = ""

    def __post_init__(self):
        # Each exported date column is followed by its derived columns (``date_parts``),
        # unless the declaration gives them itself.
        declared = {c.name for c in self.columns}
        expanded = []
        for column in self.columns:
            expanded.append(column)
            if not column.import_only:
                expanded.extend(c for c in date_parts(column) if c.name not in declared)
        object.__setattr__(self, "columns", tuple(expanded))
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.model.__name__}: a column name appears twice.")
        missing = set(self.key) - set(names)
        if missing:
            raise ValueError(f"{self.model.__name__}: key columns {missing} are not columns.")

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.model.__name__} has no column {name!r}.")

    @property
    def exported(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.import_only)

    @property
    def markable(self) -> tuple[Column, ...]:
        """The exported columns a mark can name (not those derived from another)."""
        return tuple(c for c in self.exported if not c.derived_from)
