"""Public columns of topics, of the outcomes of meetings, their citations and amounts."""

from __future__ import annotations

from ..models import Agreement, Amount, Initiative, Meeting, Outcome, OutcomeCitation, Topic
from .base import (
    IDENTIFIER,
    Cell,
    Code,
    Column,
    CountryCodes,
    Decimal,
    Integer,
    Keys,
    Record,
    Text,
    related,
)
from .sources import CITATIONS, SOURCE_COLUMN, citations

TOPIC = Record(
    Topic,
    key=("slug",),
    description="defrel's vocabulary of subjects (reference data, written by the curators).",
    columns=(
        IDENTIFIER,
        Column("name", "Name", "The topic's name.", Text("name")),
        Column("description", "Description", "What it covers, in our words.", Text("description")),
        Column(
            "source_note",
            "Source note",
            "Where the term comes from (defrel's own vocabulary).",
            Text("source_note"),
        ),
    ),
)

#: The topics of a meeting, an agreement, an initiative or an outcome.
TOPICS = Column(
    "topics", "Topics", "What it is about (topic identifiers).", Keys("topics", to=Topic)
)

OUTCOME = Record(
    Outcome,
    key=("slug",),
    description="What a meeting produced: who agreed, offered, invited, requested… of whom.",
    columns=(
        IDENTIFIER,
        related("meeting", Meeting, "The meeting it came out of (its identifier)."),
        Column(
            "kind",
            "Kind",
            "agree, conclude, offer, pledge, invite, request, review, announce, express, "
            "concern (each with its PLOVER and CAMEO counterpart: see the codebook).",
            Code("kind"),
        ),
        Column(
            "actors",
            "Actors",
            "Who agreed, offered, requested… (ISO alpha-2).",
            CountryCodes("actors"),
        ),
        Column(
            "targets",
            "Targets",
            "Of or to whom (ISO alpha-2); empty for a joint outcome.",
            CountryCodes("targets"),
        ),
        Column("summary", "Summary", "What came out, in our own words.", Text("summary")),
        TOPICS,
        Column(
            "agreements",
            "Agreements",
            "Agreements it concerns (identifiers).",
            Keys("agreements", to=Agreement),
        ),
        Column(
            "initiatives",
            "Initiatives",
            "Initiatives it concerns (identifiers).",
            Keys("initiatives", to=Initiative),
        ),
        CITATIONS,
    ),
    table=(
        Cell("Date", "meeting_date", uses=("meeting",), sort=("-date", "date")),
        Cell("Outcome", "outcome", uses=("kind", "summary"), heading=True),
        Cell("Who", "countries", uses=("actors",)),
        Cell("Of or to whom", "countries", uses=("targets",)),
        Cell("Meeting", "outcome_meeting", uses=("meeting",)),
        Cell("Topics", "topics", uses=("topics",)),
        Cell("Sources", "citations", uses=("citations",)),
    ),
)

OUTCOME_CITATION = citations(OutcomeCitation, Outcome, "outcome")

AMOUNT = Record(
    Amount,
    key=("outcome", "measure", "period"),
    description="Figures an outcome gives: value, currency, how exact, period, what they measure.",
    columns=(
        related("outcome", Outcome),
        Column(
            "measure", "Measure", "What the figure measures (bilateral trade).", Text("measure")
        ),
        Column(
            "period",
            "Period",
            "The period as the source gives it: a year (2024) or a financial year (2004-05).",
            Text("period"),
        ),
        Column(
            "value",
            "Value",
            "In units of the currency (6700000000), not rounded.",
            Decimal("value"),
        ),
        Column("currency", "Currency", "ISO 4217 code (USD, EUR).", Text("currency")),
        Column(
            "qualifier",
            "Qualifier",
            "exact, about, nearly, over or up_to: how exact the source is.",
            Code("qualifier"),
        ),
        SOURCE_COLUMN,
        Column("paragraph", "Paragraph", "The paragraph of that source.", Integer("paragraph")),
        Column("note", "Note", "What the figure does not say by itself.", Text("note")),
    ),
)
