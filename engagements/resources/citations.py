"""CSV columns of citations: which paragraph of which source backs a meeting, an agreement,
an initiative, an outcome or a tenure.

On import the ``paragraph`` cell may be a list, ``2, 17–26`` (or ``17-26``): the row stands
for one citation per paragraph, each checked (and reported on the row's line) as if written
on its own. Export writes one row per paragraph, the tidy form.
"""

from __future__ import annotations

from import_export import fields

from ..columns.agreements import AGREEMENT_CITATION
from ..columns.initiatives import INITIATIVE_CITATION
from ..columns.meetings import MEETING_CITATION
from ..columns.outcomes import OUTCOME_CITATION
from ..columns.people import TENURE_CITATION
from ..models import Tenure
from ..paragraphs import ParagraphListError, parse_paragraphs
from .base import DefrelResource
from .bulk import BulkResource
from .files import CSVDataset
from .widgets import IntWidget, PartialDateWidget

PARAGRAPH = "paragraph"


class ParagraphWidget(IntWidget):
    """One paragraph number; a list left unexpanded (it did not parse) says why."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if text and not text.isdigit():
            try:
                numbers = parse_paragraphs(text)
            except ParagraphListError as exc:
                raise ValueError(str(exc)) from None
            if len(numbers) == 1:
                return numbers[0]
        return super().clean(value, row, **kwargs)


def expand_paragraph_lists(dataset):
    """The rows of ``dataset`` with each ``paragraph`` list as one row per paragraph.

    Each row keeps its file line (``line_numbers``), so problems name the line staff wrote.
    A list that does not parse stays as it is, for its row to be refused in words.
    """
    headers = list(dataset.headers or ())
    if PARAGRAPH not in headers:
        return dataset
    column = headers.index(PARAGRAPH)
    lines = list(getattr(dataset, "line_numbers", None) or [])
    if len(lines) != len(dataset):
        lines = [index + 2 for index in range(len(dataset))]
    if not any(_is_list(values[column]) for values in dataset):
        return dataset
    expanded = CSVDataset(headers=headers)
    expanded.header_line = getattr(dataset, "header_line", 1)
    for values, line in zip(dataset, lines, strict=True):
        cell = values[column]
        try:
            numbers = parse_paragraphs(cell) if _is_list(cell) else None
        except ParagraphListError:
            numbers = None
        for number in numbers or [cell]:
            row = list(values)
            row[column] = str(number)
            expanded.append(row)
            expanded.line_numbers.append(line)
    return expanded


def _is_list(cell) -> bool:
    text = "" if cell is None else str(cell).strip()
    return bool(text) and not text.isdigit()


class ParagraphLists:
    """A citation resource whose ``paragraph`` cells may be lists (see the module)."""

    def import_data(self, dataset, *args, **kwargs):
        return super().import_data(expand_paragraph_lists(dataset), *args, **kwargs)


def paragraph_field() -> fields.Field:
    return fields.Field(PARAGRAPH, PARAGRAPH, widget=ParagraphWidget())


class MeetingCitationResource(ParagraphLists, BulkResource):
    record = MEETING_CITATION
    paragraph = paragraph_field()


class AgreementCitationResource(ParagraphLists, BulkResource):
    record = AGREEMENT_CITATION
    paragraph = paragraph_field()


class InitiativeCitationResource(ParagraphLists, BulkResource):
    record = INITIATIVE_CITATION
    paragraph = paragraph_field()


class OutcomeCitationResource(ParagraphLists, BulkResource):
    record = OUTCOME_CITATION
    paragraph = paragraph_field()


class TenureCitationResource(ParagraphLists, DefrelResource):
    """Citations of tenures; the tenure is named by official, post and start."""

    record = TENURE_CITATION
    paragraph = paragraph_field()
    # Read as the tenures file writes a start (its first day), to find the tenure by it.
    start = fields.Field("tenure__start_date", "start", widget=PartialDateWidget(), readonly=True)

    def dehydrate_start(self, citation) -> str:
        return citation.tenure.start.isoformat()

    def finish_instance(self, instance, row) -> dict[str, list[str]]:
        if instance.tenure_id is not None:
            return {}
        try:
            lookup = {name: self.fields[name].clean(row) for name in ("official", "post", "start")}
            instance.tenure = Tenure.objects.get(
                official=lookup["official"], post=lookup["post"], start_date=lookup["start"]
            )
        except ValueError as exc:
            return {"tenure": [str(exc)]}
        except Tenure.DoesNotExist:
            return {"tenure": ["No tenure of this official in this post starts on this date."]}
        return {}
