"""PostgreSQL's COPY, in one place: rows into a table, and a query's result out as bytes.

- ``write``: rows of given fields straight into a model's table (``COPY … FROM STDIN`` on
  PostgreSQL, ``executemany`` elsewhere): the synthesizer and the benchmark's baseline.
- ``insert``: rows as dictionaries, with their new ids drawn from the table's sequence
  first (``bulk_create`` elsewhere): the CSV import's batches.
- ``copy_out``: ``COPY … TO STDOUT`` of a statement, in blocks: the CSV export.

A field a caller leaves out is written as ``save()`` would store it on a new record that
leaves it unset (its default, else NULL or ""), so a model can gain a field with a default
without a change here or in the callers. Writes bypass ``save()`` and signals; the database
still checks every constraint, as for any insert.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from types import SimpleNamespace

from django.db import connections, models

#: Bytes handed on per block (COPY hands over one row at a time).
BLOCK_BYTES = 256 * 1024


def write(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], db: str):
    """Write ``rows`` (values in the order of ``fields``) into ``model``'s table.

    ``fields`` are model field names or attnames (``"meeting"`` or ``"meeting_id"``). Values
    are raw, taken as the driver takes them (text, numbers, dates or ISO date strings,
    booleans); a field that needs Django's own conversion (JSON) is refused.
    """
    connection = connections[db]
    meta = model._meta
    listed = [meta.get_field(name) for name in fields]
    _refuse_converted(model, listed)
    unset = [
        f
        for f in meta.concrete_fields
        if f not in listed
        and not f.generated
        and not f.primary_key
        # Left out of the statement, so the database fills it in.
        and not (f.has_db_default() and not f.has_default())
    ]
    fill = _unset_values(unset, connection)
    if fill is not None:
        rows = (tuple(row) + fill() for row in rows)
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in listed + unset)
    # As Django's own queries: the driver's errors raised as IntegrityError, DataError…
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * (len(listed) + len(unset)))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def insert(model, rows: list[dict], db: str) -> list[int]:
    """Insert ``rows`` (field attnames → values) into ``model``'s table; their new ids.

    On PostgreSQL the ids are drawn from the table's sequence first (and set in each row)
    and the rows go in by ``COPY … FROM STDIN`` (several times faster than a multi-row
    ``INSERT``); elsewhere by ``bulk_create``. Constraints are checked as for any insert.
    """
    if not rows:
        return []
    _refuse_converted(model, model._meta.concrete_fields)
    connection = connections[db]
    pk = model._meta.pk
    if connection.vendor != "postgresql":
        records = [model(**row) for row in rows]
        model._default_manager.using(db).bulk_create(records, batch_size=1_000)
        return [record.pk for record in records]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(rows)],
        )
        ids = [pk_value for (pk_value,) in cursor.fetchall()]
    for pk_value, row in zip(ids, rows, strict=True):
        row[pk.attname] = pk_value
    given = set().union(*rows)
    fields = [f for f in model._meta.concrete_fields if f.attname in given and not f.generated]
    # A key some rows give and others leave out: left out, it is unset like a field not given.
    values = (
        [row[f.attname] if f.attname in row else _unset_value(f, connection) for f in fields]
        for row in rows
    )
    write(model, [f.attname for f in fields], values, db)
    return ids


def copy_out(cursor, statement: str) -> Iterator[bytes]:
    """The output of ``COPY … TO STDOUT`` ``statement``, joined into blocks of BLOCK_BYTES.

    COPY hands over a row at a time; a streamed response pays its per-chunk costs per block.
    """
    with cursor.copy(statement) as copy:
        block: list[bytes] = []
        size = 0
        for data in copy:
            block.append(bytes(data))
            size += len(data)
            if size >= BLOCK_BYTES:
                yield b"".join(block)
                block, size = [], 0
        if block:
            yield b"".join(block)


def _refuse_converted(model, fields: Iterable[models.Field]) -> None:
    # Raw values: the drivers adapt what these models hold (text, numbers, dates, booleans);
    # JSON would need Django's conversion per value.
    if any(isinstance(f, models.JSONField) for f in fields):
        raise TypeError(f"{model.__name__}: COPY passes raw values; JSON needs adapting.")


def _unset_value(field: models.Field, connection):
    """What ``save()`` stores in ``field`` of a new record that leaves it unset, prepared for
    the database: its default, else NULL or "" (``Field.get_default``); now for
    ``auto_now(_add)``."""
    record = SimpleNamespace(**{field.attname: field.get_default()})
    return field.get_db_prep_save(field.pre_save(record, add=True), connection)


def _fresh(field: models.Field) -> bool:
    """Whether each row needs its own unset value (a callable default, a clock)."""
    clock = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return callable(field.default) or clock


def _unset_values(fields: list[models.Field], connection) -> Callable[[], tuple] | None:
    """The values of ``fields`` left unset, as a function giving one row's (None: no fields)."""
    if not fields:
        return None
    if any(_fresh(f) for f in fields):
        return lambda: tuple(_unset_value(f, connection) for f in fields)
    fixed = tuple(_unset_value(f, connection) for f in fields)
    return lambda: fixed
