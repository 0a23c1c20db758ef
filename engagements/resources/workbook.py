"""One file for a meeting and everything entered with it: an ``.xlsx`` workbook, one sheet per
table, each sheet named by its model (``meeting``, ``participation``, ``meetingcitation``…)
and laid out exactly as that model's CSV file.

A workbook rather than one CSV with repeated columns: each sheet keeps the columns, checks
and messages of its CSV file, a spreadsheet shows the tables side by side, and any table may
come along (``tenure``, ``agreement``, marks) without a second layout to learn.

The sheets are imported in dependency order (a meeting before its participants, whatever the
order of the tabs) in one transaction: every sheet is written, so a later sheet can name the
records an earlier one creates, and any problem in any sheet rolls back every sheet. A
preview (``dry_run``) does the same and then rolls back. Problems name the sheet, the row (the
spreadsheet's row number), the column and the value.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from django.db import transaction
from django.db.models import Max

from ..citing import citation_model, must_cite, uncited, uncited_new
from . import RESOURCES
from .base import DefrelResource
from .files import EMPTY_FILE, MAX_CELL_CHARS, CSVDataset, CSVFileError


class WorkbookError(CSVFileError):
    """A file that cannot be read as a workbook of our sheets; the message says why."""


@dataclass(frozen=True)
class SheetProblem:
    """A problem of one sheet: ``line`` is the spreadsheet's row number (header: row 1)."""

    sheet: str
    line: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.line}" if self.line else "the sheet"
        column = f", column {self.column!r}" if self.column else ""
        value = f" (value {self.value!r})" if self.value else ""
        return f"Sheet {self.sheet!r}, {where}{column}{value}: {self.message}"


@dataclass
class SheetResult:
    """One sheet's import: its resource (which reads its result) and the result."""

    name: str
    resource: DefrelResource
    result: object

    @property
    def problems(self) -> list[SheetProblem]:
        return [
            SheetProblem(self.name, p.line, p.column, p.value, p.message)
            for p in self.resource.problems(self.result)
        ]


@dataclass
class WorkbookResult:
    """The sheets in the order they were imported, and every problem of the file."""

    sheets: list[SheetResult] = field(default_factory=list)
    file_problems: list[SheetProblem] = field(default_factory=list)
    #: Sheets not imported because an earlier one had problems (they would mostly report the
    #: rows it failed to write).
    unchecked: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[SheetProblem]:
        return [*self.file_problems, *(p for s in self.sheets for p in s.problems)]

    @property
    def total_rows(self) -> int:
        return sum(s.result.total_rows for s in self.sheets)


def cell_text(value) -> str:
    """A spreadsheet cell as the CSV text it stands for: a date typed as ``2024-11-21`` that
    the spreadsheet turned into a date is that text again, ``12.0`` is ``12``, TRUE ``yes``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(data: bytes) -> dict[str, CSVDataset]:
    """The sheets of an uploaded ``.xlsx`` file by model name, each as its CSV would read.

    Raises :class:`WorkbookError` naming the problem: not a workbook, a sheet named after no
    model, a huge cell. Empty sheets are left out; a sheet with a header only is kept.
    """
    from openpyxl import load_workbook

    if not data:
        raise WorkbookError(EMPTY_FILE)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise WorkbookError(
            "The file is not an Excel workbook (.xlsx). Save it as “Excel Workbook (.xlsx)”, "
            "one sheet per table, and upload it again."
        ) from None
    known = RESOURCES
    sheets: dict[str, CSVDataset] = {}
    try:
        for sheet in book.worksheets:
            name = sheet.title.strip().lower()
            rows = [
                (number, [cell_text(v).strip() for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
            ]
            rows = [(n, cells) for n, cells in rows if any(cells)]
            if not rows:
                continue
            if name not in known:
                raise WorkbookError(
                    f"Sheet {sheet.title!r}: no table has that name. Name each sheet after its "
                    f"table: {', '.join(sorted(known))}."
                )
            if name in sheets:
                raise WorkbookError(f"Sheet {sheet.title!r}: the file has two {name!r} sheets.")
            (header_line, header), *body = rows
            width = len(header)
            while width and not header[width - 1]:
                width -= 1  # empty columns a spreadsheet counts after the last header
            dataset = CSVDataset(headers=[h.lower() for h in header[:width]])
            dataset.header_line = header_line
            for number, cells in body:
                extra = [c for c in cells[width:] if c]
                if extra:
                    raise WorkbookError(
                        f"Sheet {sheet.title!r}, row {number}: a cell right of the last "
                        f"column ({extra[0]!r}) has no header."
                    )
                cells = (cells + [""] * width)[:width]
                for column, cell in zip(dataset.headers, cells, strict=True):
                    if len(cell) > MAX_CELL_CHARS:
                        raise WorkbookError(
                            f"Sheet {sheet.title!r}, row {number}, column {column!r}: the cell "
                            f"has {len(cell):,} characters; the most is {MAX_CELL_CHARS:,}."
                        )
                dataset.append(cells)
                dataset.line_numbers.append(number)
            sheets[name] = dataset
    finally:
        book.close()
    if not sheets:
        raise WorkbookError("The workbook has no sheet with rows.")
    return sheets


def dependency_order(names) -> list[str]:
    """The sheets so that a table comes after the tables it refers to (meeting, then
    participation and meetingcitation); the file's order where there is no dependency."""
    known = RESOURCES
    models = {name: known[name]._meta.model for name in names}
    graph = {}
    for name, model in models.items():
        needs = set()
        for relation in [*model._meta.fields, *model._meta.many_to_many]:
            if relation.is_relation:
                target = relation.related_model
                needs |= {n for n, m in models.items() if m is target and n != name}
        graph[name] = needs
    sorter = TopologicalSorter(graph)
    try:
        order = list(sorter.static_order())
    except CycleError:
        return list(names)
    return sorted(names, key=order.index)


#: How many uncited new records a workbook's refusal names (the count says the rest).
UNCITED_SHOWN = 20


def uncited_new_records(imported: list[SheetResult], before: dict[str, int]) -> list:
    """New records of the workbook that must cite a source and cite none.

    Each sheet is imported as if its citations followed (``citations_follow``): a meeting's
    citations may come in its ``citations`` column or in the ``meetingcitation`` sheet, so
    the workbook checks once every sheet is written, and refuses a new meeting (agreement,
    initiative, outcome, tenure) left uncited; the audit never has to find it.
    """
    problems = []
    for sheet in imported:
        model = sheet.resource._meta.model
        if not must_cite(model):
            continue
        found = uncited(model.objects.filter(pk__gt=before.get(sheet.name, 0)))
        citation_sheet = citation_model(model)._meta.model_name
        fix = f"give its citations column or add its rows to the {citation_sheet!r} sheet"
        count = found.count()
        for record in found.order_by("pk")[:UNCITED_SHOWN]:
            key = "/".join(str(part) for part in record.natural_key())
            problems.append(SheetProblem(sheet.name, None, "", key, uncited_new(model, key, fix)))
        if count > UNCITED_SHOWN:
            problems.append(
                SheetProblem(sheet.name, None, "", "", f"and {count - UNCITED_SHOWN} more uncited.")
            )
    return problems


def import_workbook(
    sheets: dict[str, CSVDataset], dry_run=False, progress=None, progress_every=1_000, **kwargs
) -> WorkbookResult:
    """Import ``sheets`` (see :func:`read_workbook`) all or nothing; ``kwargs`` go to each
    resource's ``import_data`` (``user``, ``file_name``); ``progress(sheet, done, total)``
    is called as the resources call theirs."""
    outcome = WorkbookResult()
    known = RESOURCES
    file_name = kwargs.pop("file_name", "")
    # The highest id of each sheet's table before the import: rows above it are new.
    before = {
        name: known[name]._meta.model.objects.aggregate(top=Max("pk"))["top"] or 0
        for name in sheets
        if name in known
    }
    with transaction.atomic():
        for name in dependency_order(sheets):
            if outcome.problems:
                outcome.unchecked.append(name)
                continue
            resource = known[name]()
            if progress is not None:
                resource.progress = lambda done, total, name=name: progress(name, done, total)
                resource.progress_every = progress_every
            # Written for real inside the outer transaction, so later sheets see its rows;
            # the outer transaction is rolled back for a preview or any problem.
            result = resource.import_data(
                sheets[name],
                dry_run=False,
                raise_errors=False,
                file_name=f"{file_name}, sheet {name}" if file_name else f"sheet {name}",
                citations_follow=True,  # checked once every sheet is in: uncited_new_records
                **kwargs,
            )
            outcome.sheets.append(SheetResult(name, resource, result))
        if not outcome.problems:
            outcome.file_problems.extend(uncited_new_records(outcome.sheets, before))
        if dry_run or outcome.problems:
            transaction.set_rollback(True)
    return outcome
