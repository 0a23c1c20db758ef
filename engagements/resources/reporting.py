"""What an import tells staff: the rows it writes (the preview), the reasons it failed by
line and column, and what it leaves to do.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from import_export.results import Result

from ..citing import citation_model
from .fields import PartialDateColumn
from .rows import RowProblem


class _NoDiff:
    """Stands in for ``resources.Diff`` when no diff is shown (it exports each row twice)."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class ImportReport:
    """Mixed into ``DefrelResource``: reads an import's ``Result`` (and ``self.run``)."""

    def line_of(self, row_number: int, result: Result | None = None) -> int:
        """The file line of data row ``row_number`` (1 = the first row after the header)."""
        lines = getattr(result, "line_numbers", None) if result is not None else None
        if lines is None:
            lines = self.run.line_numbers
        if lines and 0 < row_number <= len(lines):
            return lines[row_number - 1]
        return row_number + 1

    def preview(self, result: Result, limit: int | None = None) -> list[dict]:
        """The rows an import writes (new or updated), in file order, for the preview: line,
        action, record, note and cells as written (``written_cells``)."""
        rows = []
        # With skipped rows reported, result.rows holds every data row in file order.
        for index, row in enumerate(result.rows):
            if row.import_type not in ("new", "update"):
                continue
            rows.append(
                {
                    "line": self.line_of(index + 1, result),
                    "import_type": row.import_type,
                    "object_repr": row.object_repr,
                    "note": getattr(row, "note", ""),
                    "cells": getattr(row, "cells", []),
                }
            )
        return rows if limit is None else rows[:limit]

    def get_diff_class(self):
        # The preview shows counts and errors, not per-row diffs: skip building them.
        return _NoDiff if self._meta.skip_html_diff else super().get_diff_class()

    def column_of(self, attribute: str) -> str:
        # A read-only column (``start_date`` derived from ``dates``) is never what was read.
        for field in self.fields.values():
            if field.readonly:
                continue
            if field.attribute == attribute or (
                isinstance(field, PartialDateColumn) and attribute in field.attributes()
            ):
                return field.column_name
        return attribute

    def warnings(self, result: Result) -> list[str]:
        """What the import leaves to do, without refusing it: new records that cite no source
        yet, imported because their citations file follows (``citations_follow``)."""
        new = getattr(result, "uncited", 0)
        if not new or result.has_errors() or result.has_validation_errors():
            return []
        citations = citation_model(self._meta.model)._meta.verbose_name_plural
        noun = self._meta.model._meta.verbose_name
        nouns = noun if new == 1 else self._meta.model._meta.verbose_name_plural
        return [
            f"{new} new {nouns} {'cites' if new == 1 else 'cite'} no source yet: import "
            f"their citations ({citations}, a paragraph list per row) next; "
            f"every {noun} must cite a source."
        ]

    def problems(self, result: Result) -> list[RowProblem]:
        """Every reason the import failed, as lines staff can act on (file, then rows)."""
        found = list(getattr(result, "header_problems", None) or [])
        if not found:
            for error in result.base_errors:
                found.append(RowProblem(None, "", "", str(error.error)))
        for number, errors in result.row_errors():
            for error in errors:
                found.append(RowProblem(self.line_of(number, result), "", "", f"{error.error}"))
        for invalid in result.invalid_rows:
            values = dict(zip(result.diff_headers, invalid.values, strict=False))
            for attribute, messages in invalid.error_dict.items():
                column = "" if attribute == NON_FIELD_ERRORS else self.column_of(attribute)
                value = "" if not column else str(values.get(column, "") or "")
                for message in messages:
                    line = self.line_of(invalid.number, result)
                    found.append(RowProblem(line, column, value, str(message)))
        return found
