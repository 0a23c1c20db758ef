"""CSV and JSON exports of exactly the filtered rows, streamed so memory stays flat.

The columns are those of the admin's CSV export: the django-import-export resources in
``engagements.resources``. JSON carries the same fields plus each record's permalink.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

EXPORT_FORMATS = ("csv", "json")
CHUNK_SIZE = 500


class _Echo:
    """A file-like object whose ``write`` hands the line back (csv.writer to a generator)."""

    def write(self, value: str) -> str:
        return value


def _resource(name: str):
    from .. import resources

    return getattr(resources, name)()


def _rows(resource, queryset) -> Iterator:
    qs = type(resource).export_queryset(queryset)
    yield from qs.iterator(chunk_size=CHUNK_SIZE)


def _cell(value):
    """Values as the resource exports them, made plain for CSV/JSON."""
    if value is None:
        return ""
    return value if isinstance(value, int | float | bool | str) else str(value)


def stream_csv(resource, queryset) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read UTF-8
    yield writer.writerow(resource.get_export_headers())
    for obj in _rows(resource, queryset):
        yield writer.writerow([_cell(v) for v in resource.export_resource(obj)])


def stream_json(resource, queryset, request) -> Iterator[str]:
    headers = resource.get_export_headers()
    yield '{"rows": [\n'
    first = True
    for obj in _rows(resource, queryset):
        record = dict(zip(headers, (_cell(v) for v in resource.export_resource(obj)), strict=True))
        record["permalink"] = request.build_absolute_uri(obj.get_absolute_url())
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def export_response(queryset, resource_name: str, fmt: str, filterset, request=None):
    """The export of ``queryset``; with invalid filters, a 400 that names the problems."""
    if queryset is None:
        problems = "\n".join(
            f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
        )
        return HttpResponse(
            f"The filters are not valid, nothing was exported.\n{problems}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    request = request or filterset.request
    resource = _resource(resource_name)
    model = queryset.model._meta.verbose_name_plural.replace(" ", "-")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    filename = f"defrel-{model}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            stream_csv(resource, queryset), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            stream_json(resource, queryset, request), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
