"""Public columns of the marks: which values no paragraph gives, and why they stand."""

from __future__ import annotations

from ..models import (
    AgreementMark,
    GroupingMark,
    InitiativeMark,
    MeetingMark,
    OfficialMark,
    PostMark,
)
from .base import Code, Column, Key, Record, Text


def marks(mark_model) -> Record:
    """The marks on one kind of record: record, column, basis, note."""
    field = mark_model.record_field
    to = mark_model.record_model()
    noun = str(to._meta.verbose_name)
    return Record(
        mark_model,
        key=(field, "column"),
        description=f"Values of {to._meta.verbose_name_plural} that are inferred or reference "
        "knowledge rather than read from a cited paragraph.",
        columns=(
            Column(
                field, noun.capitalize(), f"The marked {noun} (its identifier).", Key(field, to=to)
            ),
            Column(
                "column",
                "Column",
                f"The marked value: a column of the {noun} records, by its CSV name.",
                Text("column"),
            ),
            Column(
                "basis",
                "Basis",
                "inferred (read from the sources' wording, not stated) or reference "
                "(knowledge from outside the sources, such as a standard).",
                Code("basis"),
            ),
            Column(
                "note",
                "Note",
                "The reasoning of an inference, or where reference knowledge comes from.",
                Text("note"),
            ),
        ),
    )


MEETING_MARK = marks(MeetingMark)
AGREEMENT_MARK = marks(AgreementMark)
INITIATIVE_MARK = marks(InitiativeMark)
OFFICIAL_MARK = marks(OfficialMark)
POST_MARK = marks(PostMark)
GROUPING_MARK = marks(GroupingMark)
