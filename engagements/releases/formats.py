"""Each declared type in Arrow (Parquet) and SQLite, and the tables written in both.

The CSV files are written first (by the export's fast path: PostgreSQL's COPY); Parquet and
SQLite are then read from them by Arrow's CSV reader with the declared types, so every
format holds the same rows and no row passes through a Django model twice. Text cells lose
the CSV's spreadsheet-formula escape (a leading ``'`` before ``=``, ``+``, ``-``…) on the way:
that guard is for spreadsheets, not for typed files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..resources.files import FORMULA_STARTS
from .tables import Spec

ARROW_TYPES = {
    "string": pa.string(),
    "code": pa.string(),
    "array": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
SQLITE_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
#: Rows per SQLite insert batch.
BATCH_ROWS = 20_000
_REGEX = {"\t": r"\t", "\r": r"\r", "-": r"\-"}
#: A text cell the CSV escaped (``resources.files.escape_formula``), its start captured.
_ESCAPED = "^'([" + "".join(_REGEX.get(c, c) for c in FORMULA_STARTS) + "])"


def arrow_schema(spec: Spec) -> pa.Schema:
    return pa.schema([pa.field(f.name, ARROW_TYPES[f.type]) for f in spec.fields])


def read_csv(spec: Spec, path: Path) -> pa.Table:
    """The CSV file of ``spec`` as an Arrow table of its declared types (empty cells null)."""
    schema = arrow_schema(spec)
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=schema.names, skip_rows=1),
        convert_options=pacsv.ConvertOptions(
            column_types=schema,
            true_values=["yes", "true"],
            false_values=["no", "false"],
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    for i, field in enumerate(spec.fields):
        if ARROW_TYPES[field.type] == pa.string():
            column = pc.replace_substring_regex(table.column(i), _ESCAPED, r"\1")
            table = table.set_column(i, field.name, column)
    return table


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_sql(spec: Spec, unique: Iterable[tuple[str, str]]) -> str:
    """``CREATE TABLE`` of ``spec``: declared types, its key and the columns it names (the
    references Datasette follows as links). ``unique``: (table, column) pairs referenced."""
    lines = [f"{_quote(f.name)} {SQLITE_TYPES.get(f.type, 'TEXT')}" for f in spec.fields]
    if spec.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(_quote(k) for k in spec.primary_key)})")
    for table, column in sorted(set(unique)):
        if table == spec.name and (column,) != spec.primary_key:
            lines.append(f"UNIQUE ({_quote(column)})")
    for f in spec.fields:
        if f.references:
            table, column = f.references
            lines.append(
                f"FOREIGN KEY ({_quote(f.name)}) REFERENCES {_quote(table)}({_quote(column)})"
            )
    return f"CREATE TABLE {_quote(spec.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def write_sqlite(connection: sqlite3.Connection, spec: Spec, table: pa.Table, unique) -> None:
    """``table`` into the SQLite file as ``spec``'s table, in batches."""
    connection.execute(create_sql(spec, unique))
    marks = ", ".join("?" * len(spec.fields))
    insert = f"INSERT INTO {_quote(spec.name)} VALUES ({marks})"
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        columns = [
            pc.cast(column, pa.string()).to_pylist()
            if pa.types.is_date(column.type)
            else column.to_pylist()
            for column in batch.columns
        ]
        connection.executemany(insert, zip(*columns, strict=True))
