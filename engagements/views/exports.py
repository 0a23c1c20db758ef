"""CSV and JSON exports of exactly the filtered rows, streamed so memory stays flat.

The columns are those of the admin's CSV export: the django-import-export resources in
``engagements.resources``, built from the column declarations, each date column followed by
its ISO day and precision. A list exports its own rows or a related table of them
(``tables``).

- **CSV**: UTF-8 with a byte-order mark, lines ending in ``\\n`` whichever database writes
  them (PostgreSQL's ``COPY`` or the resource, ``copysql``), so the same export is the same
  bytes on either.
- **JSON**: one document in the form pandas reads with ``pd.read_json(url, orient="table")``
  (a Table Schema and the rows): ``meta`` (where it comes from), ``schema`` (each field's
  name, type, title and description), ``data`` (the rows, typed as ``columns.typed`` says:
  numbers as numbers, arrays for several values, ISO days, null for missing, plus
  permalinks) and, last, ``count``. It is the whole filtered set, never a page.

A download first asks the database whether the filtered rows can be read (one short query,
``exists()``): a database that fails then gets a 503, not a 200 with a header row, which saved
looks like "no rows matched". The stream itself starts once the response is handed to the
server (after the middleware: a session saved on the way out is never held inside the
export's transaction or its COPY). A failure part-way is logged and raised on, so the server
aborts the response and the client sees no clean end of file.
"""

from __future__ import annotations

import csv
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from ..columns.typed import reader, typed
from .copysql import copy_lines
from .jsonsql import json_lines
from .tables import ExportTable

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("csv", "json")
CHUNK_SIZE = 1000
#: Rows written per block of a streamed CSV or JSON (a block is one write to the client).
BLOCK_ROWS = 500
# Foreign keys whose permalinks a JSON row of a related table carries.
LINKED = ("meeting", "agreement", "initiative", "official", "source", "post", "grouping")
#: How each type of ``columns.typed`` is declared in the JSON's schema (pandas reads an ISO
#: day as ``datetime``, an array as ``any``; a nullable whole number as ``Int64``).
SCHEMA_TYPES = {
    "string": "string",
    "code": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "datetime",
    "array": "any",
}


class _Echo:
    """A file-like object whose ``write`` hands the line back (csv.writer to a generator)."""

    def write(self, value: str) -> str:
        return value


def iterate_rows(resource, queryset: QuerySet) -> Iterator:
    # iterator() keeps memory flat; with prefetches it needs a chunk size (one batch each).
    # Inside a transaction PostgreSQL's server-side cursor streams; in autocommit mode it is
    # declared WITH HOLD and every row is materialised before the first one is sent.
    with transaction.atomic(using=queryset.db):
        yield from type(resource).export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE)


def blocks(parts: Iterable[str]) -> Iterator[str]:
    """Parts joined in blocks: per-chunk costs of a streamed response are paid per block."""
    parts = iter(parts)
    while block := "".join(islice(parts, BLOCK_ROWS)):
        yield block


def csv_line(writer, values) -> str:
    """One CSV line ending in ``\\n``. The writer ends lines in ``\\r\\n`` so that it quotes
    a value holding a lone ``\\r``, as PostgreSQL's COPY does; only the ending is changed."""
    return writer.writerow(values)[:-2] + "\n"


def csv_writer():
    return csv.writer(_Echo(), lineterminator="\r\n")


def stream_csv(resource, queryset: QuerySet) -> Iterator[str | bytes]:
    """The CSV of ``queryset`` (in its order) with ``resource``'s columns."""
    writer = csv_writer()
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the file as UTF-8
    yield csv_line(writer, resource.get_export_headers())
    copied = copy_lines(type(resource).record, queryset)
    if copied is not None:  # PostgreSQL writes the lines itself (tested equal), ending in \n
        yield from copied
        return
    rows = (resource.export_csv_row(obj) for obj in iterate_rows(resource, queryset))
    yield from blocks(csv_line(writer, row) for row in rows)


# --- JSON -----------------------------------------------------------------------------------


def permalink_fields(model) -> list[tuple[str, str]]:
    """(field, relation) of each permalink a JSON row of ``model`` carries: its own page
    (``permalink``, relation ``""``) or a linked record's (``meeting_permalink``)."""
    if hasattr(model, "get_absolute_url"):
        return [("permalink", "")]
    found = []
    for name in LINKED:
        try:
            related = model._meta.get_field(name).related_model
        except FieldDoesNotExist:
            continue
        if related is not None and hasattr(related, "get_absolute_url"):
            found.append((f"{name}_permalink", name))
    return found


def schema(table: ExportTable) -> dict:
    """The JSON's Table Schema: every column with its type (as pandas reads it), title,
    description and allowed codes."""
    model = table.record.model
    fields = []
    for column in table.record.exported:
        value = typed(column, model)
        field = {
            "name": column.name,
            "type": SCHEMA_TYPES[value.type],
            "title": column.label,
            "description": column.description,
        }
        if value.type == "integer" and value.nullable:
            field["extDtype"] = "Int64"
        if value.choices:
            field["constraints"] = {"enum": [code for code, _ in value.choices]}
        fields.append(field)
    for name, _ in permalink_fields(model):
        fields.append(
            {"name": name, "type": "string", "title": "Permalink", "description": "Its page."}
        )
    return {"fields": fields, "pandas_version": "1.4.0"}


def row_reader(table: ExportTable, resource, request) -> Callable[[object], dict]:
    """A function giving one record's JSON row (typed values, then permalinks)."""
    readers = []
    for column in table.record.exported:
        read = reader(column)
        if read is None:  # the resource's text, empty as null (see columns.typed)
            field = resource.fields[column.name]
            read = _resource_text(resource, field)
        readers.append((column.name, read))
    links = permalink_fields(table.record.model)

    def row(obj) -> dict:
        values = {name: read(obj) for name, read in readers}
        for name, relation in links:
            linked = getattr(obj, relation) if relation else obj
            url = linked.get_absolute_url() if linked is not None else None
            values[name] = request.build_absolute_uri(url) if url else None
        return values

    return row


def _resource_text(resource, field) -> Callable:
    def read(obj):
        text = resource.export_field(field, obj)
        return None if text in (None, "") else str(text)

    return read


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def stream_json(table: ExportTable, queryset: QuerySet, request, meta: dict) -> Iterator[str]:
    """The JSON document (see the module)."""
    resource = table.resource()
    yield f'{{"meta": {_dumps(meta)},\n"schema": {_dumps(schema(table))},\n"data": [\n'
    lines = json_lines(table, queryset, request, permalink_fields(table.record.model))
    if lines is not None:  # PostgreSQL writes each row's JSON text (tested equal)
        count = 0
        for block in lines:
            if count:
                yield b",\n"
            count += block.count(b"\n")
            yield block[:-1].replace(b"\n", b",\n")
        yield f'\n],\n"count": {count}}}\n'
        return
    row = row_reader(table, resource, request)
    count = 0

    def rows() -> Iterator[str]:
        nonlocal count
        for obj in iterate_rows(resource, queryset):
            yield (",\n" if count else "") + _dumps(row(obj))
            count += 1

    yield from blocks(rows())
    yield f'\n],\n"count": {count}}}\n'


# --- the response ---------------------------------------------------------------------------


def invalid_filters_response(filterset) -> HttpResponse:
    problems = "\n".join(
        f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in filterset.errors.items()
    )
    return plain_response(f"The filters are not valid; nothing was exported.\n{problems}\n", 400)


def plain_response(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def file_name(name: str, params: list[tuple[str, str]], fmt: str) -> str:
    """The download's name, recording its filters: ``meetings_country-IN_year_from-2019.csv``
    (each filter once, its values joined by ``+``; letters, digits, ``.``, ``+``, ``-``)."""
    values: dict[str, list[str]] = {}
    for key, value in params:
        values.setdefault(key, []).append(value)
    parts = [name]
    for key, given in values.items():
        text = "+".join(_file_part(v) for v in given)
        parts.append(f"{key}-{text}" if text else key)
    stem = "_".join(parts)[:150].rstrip("-_+")
    return f"{stem}.{fmt}"


def _file_part(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9.+]+", "-", ascii_text).strip("-")


def reported(body: Iterator) -> Iterator:
    """``body``, a database failure part-way logged and raised on (the server then cuts the
    response short: no clean end of file)."""
    try:
        yield from body
    except DatabaseError:
        logger.exception("An export failed part-way: its download was cut short.")
        raise


def export_response(table: ExportTable, rows: QuerySet, fmt: str, request, filename: str):
    """A streamed download of ``rows`` (the table's rows, filtered and ordered) as ``fmt``;
    a 503 when the database cannot read them (see the module)."""
    try:
        rows.exists()
    except DatabaseError:
        logger.exception("An export could not read its rows: nothing was sent.")
        response = plain_response(
            "The database could not be read, so nothing was exported. Try again shortly.\n",
            503,
        )
        response["Retry-After"] = "30"
        return response
    if fmt == "csv":
        body, content_type = stream_csv(table.resource(), rows), "text/csv; charset=utf-8"
    else:
        meta = {
            "source": request.build_absolute_uri(),
            "table": table.label,
            "exported_at": timezone.now().isoformat(timespec="seconds"),
        }
        body, content_type = stream_json(table, rows, request, meta), "application/json"
    response = StreamingHttpResponse(reported(body), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
