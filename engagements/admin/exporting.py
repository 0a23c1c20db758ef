"""The admin's *Export*, streamed and, on PostgreSQL, written by ``COPY … TO STDOUT``.

django-import-export's export builds every row through the resource (a model instance, a
prefetch cache and a widget call per cell) into a tablib dataset, then the whole file in
memory, then the response: about 1,000 meetings a second, and memory growing with the rows.
Here the change list's filtered, ordered queryset goes through the reading room's CSV export
(``views.exports.stream_csv``): on PostgreSQL the database writes every line (the columns
staff ticked, each cell's SQL derived from its column, ``views.copysql``), elsewhere the
resource writes them one row at a time. Either way the response is streamed.

The file is the one ``manage.py export_csv`` and the reading room write: UTF-8 with a
byte-order mark, lines ending in ``\\n`` (tablib ended them in ``\\r\\n`` and wrote no mark);
the cells, their quoting and the formula escaping are the same. A subset of the columns where
COPY cannot write them (SQLite, an agreement's current status) is written by the resource a
row at a time, streamed too.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from import_export.signals import post_export

from ..resources.files import escape_formula
from ..views.copysql import copy_lines
from ..views.exports import blocks, csv_line, csv_writer, iterate_rows, reported, stream_csv


class StreamedExportMixin:
    """Streams the admin's CSV export (see the module); mixed into ``CurationAdmin``."""

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        resource_class = self.choose_export_resource_class(export_form, request)
        resource = resource_class(**self.get_export_resource_kwargs(request))
        everything = list(resource.get_export_order())
        chosen = self.get_export_resource_fields_from_form(export_form) or everything
        body = self._streamed_body(resource, queryset, chosen, everything)
        if body is None:
            return super()._do_file_export(file_format, request, queryset, export_form)
        response = StreamingHttpResponse(reported(body), content_type="text/csv; charset=utf-8")
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        post_export.send(sender=None, model=self.model)
        return response

    @staticmethod
    def _streamed_body(resource, queryset, chosen: list[str], everything: list[str]):
        """The file's chunks (None would hand the export back to django-import-export)."""
        if chosen == everything:
            return _encoded(stream_csv(resource, queryset))
        writer = csv_writer()
        header = csv_line(writer, resource.get_export_headers(selected_fields=chosen))
        lines = copy_lines(type(resource).record, queryset, chosen)
        if lines is None:  # the resource writes the ticked cells, one row at a time
            rows = (
                [escape_formula(v) for v in resource.export_resource(obj, selected_fields=chosen)]
                for obj in iterate_rows(resource, queryset)
            )
            lines = blocks(csv_line(writer, row) for row in rows)
        return _encoded(_with_header(header, lines))


def _with_header(header: str, lines):
    yield "\ufeff"
    yield header
    yield from lines


def _encoded(chunks):
    for chunk in chunks:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk
