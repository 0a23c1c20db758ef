"""Public columns of initiatives."""

from __future__ import annotations

from ..models import (
    Agreement,
    Grouping,
    Initiative,
    InitiativeAlias,
    InitiativeCitation,
    Meeting,
    PartnershipLevel,
    Source,
)
from .aliases import aliases_column, cited_aliases
from .base import (
    IDENTIFIER,
    Cell,
    Code,
    Column,
    CountryCodes,
    Date,
    Integer,
    Key,
    Keys,
    Record,
    Text,
    YesNo,
    related,
)
from .outcomes import TOPICS
from .sources import CITATIONS, citations

INITIATIVE = Record(
    Initiative,
    key=("slug",),
    description="Policies, programmes, standing mechanisms, exhibitions and joint efforts.",
    columns=(
        IDENTIFIER,
        Column("name", "Name", "The initiative's name.", Text("name")),
        Column("short_name", "Short name", "The abbreviation the sources use.", Text("short_name")),
        aliases_column(InitiativeAlias, "initiative"),
        Column(
            "kind",
            "Kind",
            "The sort of initiative: a policy, a programme, a standing mechanism, an exhibition, "
            "a joint effort and so on.",
            Code("kind"),
        ),
        Column(
            "countries",
            "Countries",
            "Countries behind it (ISO alpha-2).",
            CountryCodes("countries"),
        ),
        Column(
            "groupings",
            "Groupings",
            "Groupings behind it (identifiers).",
            Keys("groupings", to=Grouping),
        ),
        Column(
            "start",
            "Start",
            "When it began, as precise as known; empty when not given.",
            Date("start_date", precision="start_precision"),
        ),
        Column("summary", "Summary", "What it is, in our own words.", Text("summary")),
        TOPICS,
        Column(
            "meetings",
            "Meetings",
            "Meetings it connects to (identifiers).",
            Keys("meetings", to=Meeting),
        ),
        Column(
            "agreements",
            "Agreements",
            "Agreements it connects to (identifiers).",
            Keys("agreements", to=Agreement),
        ),
        CITATIONS,
    ),
    table=(
        Cell(
            "Initiative",
            "initiative",
            uses=("name", "short_name", "kind"),
            sort=("name", "-name"),
            heading=True,
        ),
        Cell("Since", "since", uses=("start",), sort=("-date", "date")),
        Cell("Countries and groupings", "involved", uses=("groupings", "countries")),
        Cell("Sources", "citations", uses=("citations",)),
    ),
)

INITIATIVE_CITATION = citations(InitiativeCitation, Initiative, "initiative")

INITIATIVE_ALIAS = cited_aliases(InitiativeAlias, Initiative, "initiative")

PARTNERSHIP_LEVEL = Record(
    PartnershipLevel,
    key=("initiative", "level", "date"),
    description="The level of each partnership framework on a date: reached then, or shown "
    "in force then.",
    columns=(
        related("initiative", Initiative, "The partnership framework (its identifier)."),
        Column(
            "level",
            "Level",
            "The partnership's level on the date, from strategic up to the special and "
            "comprehensive forms.",
            Code("level"),
        ),
        Column(
            "date",
            "Date",
            "When, as precise as known; empty when unknown.",
            Date("date", precision="precision"),
        ),
        Column(
            "attested",
            "Elevated on this date",
            "yes: the partnership reached the level on the date; no: a source shows the level "
            "in force on it.",
            YesNo("attested"),
        ),
        Column(
            "source",
            "Source",
            "The source that gives the level (its key).",
            Key("source", to=Source, to_field="key"),
        ),
        Column("paragraph", "Paragraph", "The paragraph of that source.", Integer("paragraph")),
        Column(
            "reference",
            "Reference",
            "Where the level or date comes from when no source paragraph gives it.",
            Text("reference"),
        ),
        Column("note", "Note", "What the row does not say by itself.", Text("note")),
    ),
)
