"""Public columns of agreements, their status history, links and meetings."""

from __future__ import annotations

from ..models import (
    Agreement,
    AgreementAlias,
    AgreementCitation,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatus,
    AgreementStatusChange,
    Grouping,
    Meeting,
    Source,
)
from .aliases import aliases_column, cited_aliases
from .base import (
    IDENTIFIER,
    Cell,
    Code,
    Column,
    Computed,
    CountryCodes,
    Date,
    Day,
    Integer,
    Key,
    Keys,
    Precision,
    Record,
    Text,
    YesNo,
    related,
)
from .outcomes import TOPICS
from .sources import CITATIONS, citations

AGREEMENT = Record(
    Agreement,
    key=("slug",),
    description="MoUs, agreements, roadmaps and arrangements, with their status over time.",
    columns=(
        IDENTIFIER,
        Column("title", "Title", "The agreement's name.", Text("title")),
        Column(
            "short_name",
            "Short name",
            "The abbreviation the sources use (SOSA).",
            Text("short_name"),
        ),
        aliases_column(AgreementAlias, "agreement"),
        Column(
            "kind",
            "Kind",
            "The sort of instrument: an MoU, an agreement, an arrangement, a roadmap, an exchange "
            "of letters and so on.",
            Code("kind"),
        ),
        Column(
            "parties", "Parties", "Countries party to it (ISO alpha-2).", CountryCodes("parties")
        ),
        Column(
            "party_groupings",
            "Party groupings",
            "Groupings party to it (identifiers).",
            Keys("party_groupings", to=Grouping),
        ),
        Column(
            "status",
            "Current status",
            "The latest step of its status history (export only).",
            Computed("current_status", values=AgreementStatus),
            readonly=True,
        ),
        Column(
            "status_date",
            "Status date",
            "The date of that step, as precise as known (export only).",
            Computed("current_status_date"),
            readonly=True,
        ),
        Column(
            "status_date_iso",
            "Status date (ISO day)",
            "status_date as an ISO 8601 day (YYYY-MM-DD); a month or a year is given as its "
            "first day (see status_precision); empty when unknown (export only).",
            Day("current_status_date"),
            readonly=True,
            derived_from="status_date",
        ),
        Column(
            "status_precision",
            "Status date precision",
            "How much of status_date the sources give: day, month, year or unknown; empty "
            "without a status (export only).",
            Precision("current_status_precision"),
            readonly=True,
            derived_from="status_date",
        ),
        Column("summary", "Summary", "What it covers, in our own words.", Text("summary")),
        TOPICS,
        CITATIONS,
    ),
    table=(
        Cell(
            "Agreement",
            "agreement",
            uses=("title", "short_name", "kind"),
            sort=("title", "-title"),
            heading=True,
        ),
        Cell("Parties", "parties", uses=("parties", "party_groupings")),
        Cell("Current status", "status", uses=("status_history",), sort=("-date", "date")),
        Cell("Sources", "citations", uses=("citations",)),
    ),
)

AGREEMENT_STATUS_CHANGE = Record(
    AgreementStatusChange,
    key=("agreement", "status", "date"),
    description="Each agreement's dated steps: proposed, under negotiation, signed, in force…",
    columns=(
        related("agreement", Agreement),
        Column("status", "Status", "The step reached.", Code("status")),
        Column(
            "date",
            "Date",
            "When, as precise as known; empty when unknown.",
            Date("date", precision="precision"),
        ),
        Column(
            "date_exact",
            "Reached on date",
            "yes: the step happened on the date; no: a source shows it at this step then.",
            YesNo("date_exact"),
        ),
        Column(
            "basis",
            "Basis",
            "reported (the paragraph names the step) or inferred (read from its wording).",
            Code("basis"),
        ),
        Column(
            "source",
            "Source",
            "The source that reports the step (its key).",
            Key("source", to=Source, to_field="key"),
        ),
        Column("paragraph", "Paragraph", "The paragraph of that source.", Integer("paragraph")),
        Column("note", "Note", "What the step does not say by itself.", Text("note")),
    ),
)

AGREEMENT_RELATION = Record(
    AgreementRelation,
    key=("subject", "kind", "object"),
    description="Typed links between agreements (an exchange of letters amends an MoU).",
    columns=(
        Column(
            "subject",
            "Subject",
            "The agreement that acts (its identifier).",
            Key("subject", to=Agreement),
        ),
        Column("kind", "Kind", "How it relates to the object (amends, implements…).", Code("kind")),
        Column(
            "object",
            "Object",
            "The agreement acted on (its identifier).",
            Key("object", to=Agreement),
        ),
        Column("note", "Note", "What the link does not say by itself.", Text("note")),
    ),
)

AGREEMENT_MEETING = Record(
    AgreementMeeting,
    key=("agreement", "meeting", "role"),
    description="Meetings where an agreement was signed, exchanged, approved or discussed.",
    columns=(
        related("agreement", Agreement),
        related("meeting", Meeting),
        Column("role", "Role", "What happened to the agreement there.", Code("role")),
    ),
)

AGREEMENT_CITATION = citations(AgreementCitation, Agreement, "agreement")

AGREEMENT_ALIAS = cited_aliases(AgreementAlias, Agreement, "agreement")
