"""CSV files as defrel reads and writes them: UTF-8, comma-delimited, formulae escaped.

:func:`read_csv` turns an upload into a :class:`CSVDataset` (or a :class:`CSVFileError`
naming the line and the problem); :class:`DefrelCSV` is the admin's import/export format.
"""

from __future__ import annotations

import csv
import io

import tablib
from django.conf import settings
from import_export.formats.base_formats import CSV

#: Separator of values in a many-to-many cell. Files must therefore be comma-delimited.
LIST_SEPARATOR = ";"
#: Longest cell accepted in an import, in characters (the longest text field is a summary).
MAX_CELL_CHARS = 20_000
#: Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

EMPTY_FILE = "The file is empty: it needs a header line and at least one row."


# --- formula escaping -----------------------------------------------------------------------


def escape_formula(value) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` (shown, not run)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unescape_formula(value):
    """Undo :func:`escape_formula`, so an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# --- reading files --------------------------------------------------------------------------


class CSVFileError(ValueError):
    """A file that cannot be read as our CSV; the message says what to do about it."""


class CSVDataset(tablib.Dataset):
    """The rows of a CSV file, with the file line each row starts on.

    ``line_numbers[i]`` is the line of data row ``i`` (blank lines are skipped, a cell may
    span lines), ``header_line`` the header's. A file with a header and no rows is still a
    file (true), so the admin reports it as the command does instead of "no valid data".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_line = 1
        self.line_numbers: list[int] = []

    def __bool__(self) -> bool:
        return True


def read_csv(data: bytes | str) -> CSVDataset:
    """Read an uploaded CSV file (UTF-8, with or without a BOM, comma-delimited).

    Raises :class:`CSVFileError` naming the line and the problem: not UTF-8, empty, one
    semicolon-separated column, a row with the wrong number of cells, a huge cell.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CSVFileError(
                f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}). "
                "Save it as “CSV UTF-8 (comma-delimited)” and upload it again."
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise CSVFileError(EMPTY_FILE)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header = next(reader)
    except csv.Error as exc:
        raise CSVFileError(f"Line {reader.line_num}: the header cannot be read ({exc}).") from None
    header = [name.strip().lower() for name in header]
    if len(header) == 1 and ";" in header[0]:
        raise CSVFileError(
            f"The header {header[0]!r} is one column holding semicolons: the file looks "
            "semicolon-delimited. Save it as comma-delimited CSV (“CSV UTF-8”); semicolons "
            "only separate values inside a cell."
        )
    dataset = CSVDataset(headers=header)
    dataset.header_line = reader.line_num
    try:
        last = reader.line_num
        for row in reader:
            line, last = last + 1, reader.line_num  # the line the row starts on
            if not any(cell.strip() for cell in row):
                continue  # blank lines (spreadsheets add them at the end)
            if len(row) != len(header):
                raise CSVFileError(
                    f"Line {line} has {len(row)} cells but the header has {len(header)} "
                    "columns. Check for a stray comma or an unquoted value with a comma in it."
                )
            for name, cell in zip(header, row, strict=True):
                if len(cell) > MAX_CELL_CHARS:
                    raise CSVFileError(
                        f"Line {line}, column {name!r}: the cell has {len(cell):,} characters; "
                        f"the most a cell may hold is {MAX_CELL_CHARS:,}."
                    )
            dataset.append(row)
            dataset.line_numbers.append(line)
    except csv.Error as exc:
        raise CSVFileError(f"Line {reader.line_num}: the file cannot be read ({exc}).") from None
    if not dataset.headers or not any(dataset.headers):
        raise CSVFileError("The file has no header line.")
    return dataset


class DefrelCSV(CSV):
    """CSV as defrel reads and writes it: strict UTF-8 reading, formulae escaped with ``'``.

    Binary, so the upload reaches :func:`read_csv` as bytes and a non-UTF-8 file gets a clear
    message instead of a decoding traceback.
    """

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def export_data(self, dataset, **kwargs):
        if getattr(settings, "IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT", False):
            self._escape_formulae(dataset)
        return dataset.export("csv", **kwargs)

    def _escape_formulae(self, dataset):
        # The built-in version deletes a leading "=" (losing data) and ignores + - @. Rows
        # are replaced in place: taking each off the front (lpop) moved every row after it.
        for index in range(len(dataset)):
            dataset[index] = [escape_formula(cell) for cell in dataset[index]]
