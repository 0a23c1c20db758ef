"""Public columns of initiatives."""

from __future__ import annotations

from ..models import Agreement, Grouping, Initiative, InitiativeCitation, Meeting
from .base import IDENTIFIER, Cell, Code, Column, CountryCodes, Date, Keys, Record, Text
from .outcomes import TOPICS
from .sources import citations

INITIATIVE = Record(
    Initiative,
    key=("slug",),
    description="Policies, programmes, standing mechanisms, exhibitions and joint efforts.",
    columns=(
        IDENTIFIER,
        Column("name", "Name", "The initiative's name.", Text("name")),
        Column("short_name", "Short name", "The abbreviation the sources use.", Text("short_name")),
        Column(
            "kind", "Kind", "Policy, programme, mechanism, exhibition, joint effort…", Code("kind")
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
