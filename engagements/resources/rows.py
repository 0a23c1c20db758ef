"""What an import knows while it runs: of each row (``ImportRow``), of the file
(``ImportRun``), and what it reports (``RowProblem``).

django-import-export passes the row dict and the instance from hook to hook; what defrel
adds (the cleaned key, the aliases to write, the preview's note, the row's result) lives
here instead of in private attributes on the instance or the resource.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from import_export.results import RowResult


@dataclass(eq=False)
class ImportRow:
    """One data row while it is imported (and, in a bulk import, until its batch is written)."""

    #: 1 for the first data row, as django-import-export counts (``row_number``).
    number: int
    #: The cells by column, normalized (see ``DefrelResource.normalize_row``).
    row: dict
    #: The import-id cells cleaned (a related record as the record); None when one does not
    #: clean (the lookup reports why).
    id_values: tuple | None = None
    instance: models.Model | None = None
    #: A copy of the record as it was, for an update whose resource skips django-import-export's
    #: own copy (``Meta.skip_diff``): ``skip_row`` compares with it.
    original: models.Model | None = None
    #: The names of an ``aliases`` cell, written after the record is saved.
    aliases: list[str] | None = None
    #: A ``citations`` cell cleaned, ``[(source, [paragraphs])]``, written after the record.
    citations: list | None = None
    #: Many-to-many cells cleaned once, by attribute (checked on import, written after).
    links: dict[str, list] = field(default_factory=dict)
    #: Shown beside the row in the admin's preview (aliases the row removes).
    note: str = ""
    result: RowResult | None = None


@dataclass(eq=False)
class ImportRun:
    """One ``import_data`` call: what the resource keeps from row to row."""

    #: The file line of each data row (index 0 = row 1); empty when the dataset has none.
    line_numbers: list[int] = field(default_factory=list)
    #: The row being imported.
    current: ImportRow | None = None
    #: Each record key the file named so far, with the first row naming it (duplicates).
    seen: dict[tuple, int] = field(default_factory=dict)
    #: ``id_values`` of every row, cleaned once before the first row (bulk imports).
    id_values: list[tuple | None] = field(default_factory=list)
    #: Bulk imports: rows saved into the pending batch, by ``id()`` of their instance (an
    #: unsaved model instance is not hashable), until the batch is written.
    queued: dict[int, ImportRow] = field(default_factory=dict)
    #: Bulk imports: keys of pending new rows that a later row may name (a meeting's parent).
    pending_keys: set[str] = field(default_factory=set)
    #: Bulk imports: rows the database refused when their batch was written, with why.
    refused: list[tuple[ImportRow, ValidationError]] = field(default_factory=list)
    #: The cells as the file had them, of the rows whose cells normalizing changed (an empty
    #: slug filled), by index (0 = row 1): the preview marks what the import changed.
    raw_cells: dict[int, dict[str, str]] = field(default_factory=dict)
    #: Rows given ``PreviewCell``s so far (the first ``DefrelResource.preview_limit``).
    previewed: int = 0
    #: Data rows in the file (for ``DefrelResource.progress``).
    total: int = 0
    #: The file's new records may cite nothing: their citations file follows (they are
    #: counted in ``uncited``, for a warning, instead of refused).
    citations_follow: bool = False
    uncited: int = 0
    #: A preview's batches as written, ``(is_create, rows)``, kept for its confirm (see
    #: ``resources.kept``); None when not kept, or when they cannot be written again.
    kept: list[tuple[bool, list[ImportRow]]] | None = None


@dataclass(frozen=True)
class PreviewCell:
    """One cell of a row as the import will write it (its export form), and the file's."""

    column: str
    value: str
    raw: str

    @property
    def changed(self) -> bool:
        """The import writes something else than the file says (spacing aside)."""
        return canonical(self.value) != canonical(self.raw)


def canonical(text) -> str:
    """A cell compared without the spacing around ``;`` and at its ends."""
    return "; ".join(part.strip() for part in str(text or "").split(";")).strip()


@dataclass(frozen=True)
class RowProblem:
    """One reason a row cannot be imported: ``line`` counts the header as line 1."""

    line: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "File"
        column = f", column {self.column!r}" if self.column else ""
        value = f" (value {self.value!r})" if self.value else ""
        return f"{where}{column}{value}: {self.message}"
