"""Public columns of the source register and of the citations to it."""

from __future__ import annotations

from ..models import Source
from .base import Cell, Citations, Column, Date, Integer, Key, Record, Text

SOURCE = Record(
    Source,
    key=("key",),
    description="The source documents every fact is cited to, by paragraph.",
    columns=(
        Column("key", "Key", "The document's identifier.", Text("key")),
        Column("title", "Title", "Headline, or a descriptive title.", Text("title")),
        Column(
            "publisher", "Publisher", "Who published it; empty when not known.", Text("publisher")
        ),
        Column("url", "URL", "Where it was published.", Text("url")),
        Column(
            "published",
            "Published",
            "Publication date with its precision; empty when undated.",
            Date("published_on", precision="published_precision"),
        ),
        Column("dateline", "Dateline", "Place of the dateline.", Text("dateline")),
        Column("summary", "Summary", "What it reports, in our own words.", Text("summary")),
        Column(
            "curation_notes", "Curation notes", "How it was read and coded.", Text("curation_notes")
        ),
    ),
    table=(
        Cell("Published", "published", uses=("published",), sort=("-date", "date")),
        Cell("Source", "source", uses=("title", "dateline"), sort=("title", "title"), heading=True),
        Cell("Publisher", "publisher", uses=("publisher",)),
        Cell("Key", "code", uses=("key",), sort=("key", "key")),
    ),
)

SOURCE_COLUMN = Column(
    "source", "Source", "The source's key.", Key("source", to=Source, to_field="key")
)
PARAGRAPH = Column(
    "paragraph",
    "Paragraph",
    "The paragraph of the source, from 1. On import, a list such as 2, 17–26 stands for one "
    "row per paragraph.",
    Integer("paragraph"),
)
NOTE = Column("note", "Note", "What the paragraph supports, when not obvious.", Text("note"))
#: The last column of every record that must cite a source (``engagements.citing.CITED``).
CITATIONS = Column(
    "citations",
    "Citations",
    "Import only: the sources the record cites, each its key, ¶ (or #) and paragraphs, "
    "separated by ; (KEY ¶ 2, 17–26; OTHER ¶ 4). Adds "
    "those citations; a new record needs one unless its citations file follows.",
    Citations("citations"),
    import_only=True,
)


def citations(citation_model, record_model, record_field: str, to_field: str = "slug") -> Record:
    """The citations of one kind of record: record, source, paragraph, note."""
    return Record(
        citation_model,
        key=(record_field, "source", "paragraph"),
        description=f"Citations of {record_model._meta.verbose_name_plural} to source paragraphs.",
        columns=(
            Column(
                record_field,
                str(record_model._meta.verbose_name).capitalize(),
                f"The cited {record_model._meta.verbose_name} (its identifier).",
                Key(record_field, to=record_model, to_field=to_field),
            ),
            SOURCE_COLUMN,
            PARAGRAPH,
            NOTE,
        ),
    )
