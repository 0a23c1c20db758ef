"""The export side of a CSV resource: the rows out (joined and prefetched, streamed in
chunks, formulae escaped), and an imported row's cells in their export form for the preview.
"""

from __future__ import annotations

from django.db import models, transaction
from import_export import widgets

from .files import LIST_SEPARATOR, escape_formula
from .rows import ImportRow, PreviewCell

#: Rows read (and prefetched for) at a time by an export through the resource.
EXPORT_CHUNK = 1_000


def _text(value) -> str:
    return "" if value is None else str(value)


class _Listed(list):
    """Cleaned many-to-many values as a widget's ``render`` reads a related manager."""

    def all(self):
        return self


class ExportingResource:
    """Mixed into ``DefrelResource`` (before ``ModelResource``, whose methods it wraps)."""

    #: What exporting needs joined (``select_related``) and prefetched, see export_queryset.
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    #: Columns read on import but never exported (``allow_duplicate``).
    import_only: tuple[str, ...] = ()

    @classmethod
    def export_queryset(cls, queryset: models.QuerySet | None = None) -> models.QuerySet:
        """``queryset`` (default: all rows) with the joins and prefetches the columns need.

        Every resource overrides ``related`` / ``prefetch``; exporting any number of rows then
        costs a fixed number of queries.
        """
        if queryset is None:
            queryset = cls._meta.model._default_manager.all()
        if cls.related:
            queryset = queryset.select_related(*cls.related)
        if cls.prefetch:
            queryset = queryset.prefetch_related(*cls.prefetch)
        return queryset

    def export(self, queryset=None, **kwargs):
        return super().export(self.export_queryset(queryset), **kwargs)

    def iter_queryset(self, queryset):
        """The rows in one pass, prefetches done a chunk at a time.

        django-import-export pages a queryset with prefetches through ``Paginator``: each
        page an ``OFFSET`` query rereading every row before it (quadratic: minutes for the
        admin's export of 100,000 meetings). ``iterator(chunk_size)`` prefetches per chunk.
        """
        if not isinstance(queryset, models.QuerySet):
            yield from queryset
            return
        # In a transaction PostgreSQL's server-side cursor streams the rows.
        with transaction.atomic(using=queryset.db):
            yield from queryset.iterator(chunk_size=EXPORT_CHUNK)

    def get_export_order(self):
        return tuple(n for n in super().get_export_order() if n not in self.import_only)

    def export_csv_row(self, instance) -> list[str]:
        """One row for a CSV file: values as text, spreadsheet formulae escaped."""
        return [escape_formula(value) for value in self.export_resource(instance)]

    def written_cells(self, current: ImportRow) -> list[PreviewCell]:
        """The row's cells as the import writes them (each column's export form: a generated
        slug, ``KR`` for ``ROK``, an official's name for an alias), with the file's cells."""
        raw = self.run.raw_cells.get(current.number - 1, {})
        cells = []
        for field in self.get_import_fields():
            column = field.column_name
            if column not in current.row or field.readonly:
                continue
            file_value = raw.get(column, current.row[column])
            try:
                if isinstance(field.widget, widgets.ManyToManyWidget):
                    value = field.widget.render(_Listed(current.links.get(field.attribute, [])))
                elif field is self.aliases_field:
                    value = f"{LIST_SEPARATOR} ".join(sorted(current.aliases or [], key=str.lower))
                elif field is self.citations_field:
                    value = field.widget.render(current.citations)
                else:
                    value = field.export(current.instance)
            except (AttributeError, ValueError, TypeError, models.ObjectDoesNotExist):
                value = current.row[column]  # a column with no export form (allow_duplicate)
            cells.append(PreviewCell(column, _text(value), _text(file_value)))
        return cells
