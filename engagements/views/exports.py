"""CSV and JSON exports of exactly the filtered rows, streamed so memory stays flat.

The columns are those of the admin's CSV export: the django-import-export resources in
``engagements.resources``. JSON carries the same fields plus permalinks. Besides the rows
themselves a list can export a related table of the same rows (who attended the filtered
meetings, the status history of the filtered agreements, the citations), also with the
admin's columns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from .. import resources
from ..columns import record_for
from .copysql import copy_lines

EXPORT_FORMATS = ("csv", "json")
CHUNK_SIZE = 1000
# Foreign keys whose permalinks a JSON row of a related table carries.
LINKED = ("meeting", "agreement", "initiative", "official", "source", "post")


@dataclass(frozen=True)
class ExportTable:
    """What ``table=<name>`` exports: a resource over rows derived from the filtered rows."""

    label: str
    resource_name: str
    rows: Callable[[QuerySet], QuerySet] | None = None  # None: the filtered rows themselves


class _Echo:
    """A file-like object whose ``write`` hands the line back (csv.writer to a generator)."""

    def write(self, value: str) -> str:
        return value


def _resource(name: str):
    return getattr(resources, name)()


def _iterate(resource, queryset: QuerySet) -> Iterator:
    # iterator() keeps memory flat; with prefetches it needs a chunk size (one batch each).
    # Inside a transaction PostgreSQL's server-side cursor streams; in autocommit mode it is
    # declared WITH HOLD and every row is materialised before the first one is sent.
    with transaction.atomic(using=queryset.db):
        yield from type(resource).export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE)


def _plain(value):
    if value is None or isinstance(value, int | float | bool | str):
        return value
    return str(value)


def _batched_lines(lines: Iterator[str], size: int = 500) -> Iterator[str]:
    """Lines joined in blocks: per-chunk costs of a streamed response are paid per block."""
    while block := "".join(islice(lines, size)):
        yield block


def stream_csv(resource, queryset: QuerySet) -> Iterator[str | bytes]:
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the file as UTF-8
    copied = copy_lines(record_for(resource._meta.model), queryset)
    if copied is not None:  # PostgreSQL writes the lines itself (tested equal), ending in \n
        yield csv.writer(_Echo(), lineterminator="\n").writerow(resource.get_export_headers())
        yield from copied
        return
    writer = csv.writer(_Echo())
    yield writer.writerow(resource.get_export_headers())
    rows = (resource.export_csv_row(obj) for obj in _iterate(resource, queryset))
    yield from _batched_lines(map(writer.writerow, rows))


def permalinks(obj, request) -> dict[str, str]:
    if hasattr(obj, "get_absolute_url"):
        return {"permalink": request.build_absolute_uri(obj.get_absolute_url())}
    links = {}
    for name in LINKED:
        related = getattr(obj, name, None) if hasattr(type(obj), name) else None
        if related is not None and hasattr(related, "get_absolute_url"):
            links[f"{name}_permalink"] = request.build_absolute_uri(related.get_absolute_url())
    return links


def stream_json(resource, queryset: QuerySet, request, meta: dict) -> Iterator[str]:
    headers = resource.get_export_headers()
    yield '{"meta": ' + json.dumps(meta, ensure_ascii=False) + ', "rows": [\n'
    first = True
    for obj in _iterate(resource, queryset):
        values = (_plain(v) for v in resource.export_resource(obj))
        record = dict(zip(headers, values, strict=True))
        record.update(permalinks(obj, request))
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def invalid_filters_response(filterset) -> HttpResponse:
    problems = "\n".join(
        f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in filterset.errors.items()
    )
    return HttpResponse(
        f"The filters are not valid; nothing was exported.\n{problems}\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def export_response(queryset: QuerySet, table: ExportTable, fmt: str, request, name: str):
    """A streamed download of ``table`` for the filtered ``queryset``."""
    rows = table.rows(queryset) if table.rows else queryset
    resource = _resource(table.resource_name)
    stamp = timezone.now()
    filename = f"defrel-{name}-{stamp:%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            stream_csv(resource, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        meta = {
            "source": request.build_absolute_uri(),
            "table": table.label,
            "exported_at": stamp.isoformat(timespec="seconds"),
        }
        response = StreamingHttpResponse(
            stream_json(resource, rows, request, meta), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
