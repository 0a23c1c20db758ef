"""Public columns of meetings and of who attended them."""

from __future__ import annotations

from ..models import Grouping, Initiative, Meeting, MeetingCitation, Participation, Post
from .base import (
    IDENTIFIER,
    Cell,
    Code,
    Column,
    CountryCode,
    CountryCodes,
    DateSpan,
    Integer,
    Key,
    Keys,
    OfficialName,
    Record,
    Text,
    related,
)
from .outcomes import TOPICS
from .people import OFFICIAL_COUNTRY
from .sources import CITATIONS, citations

MEETING = Record(
    Meeting,
    key=("slug",),
    description="Meetings, visits, summits and dialogue sessions in which India engages partners.",
    columns=(
        IDENTIFIER,
        Column("title", "Title", "What the meeting was, in our words.", Text("title")),
        Column(
            "kind",
            "Kind",
            "The sort of meeting: talks, a visit, a summit, a session of a mechanism and so on.",
            Code("kind"),
        ),
        Column("status", "Status", "held, scheduled or cancelled.", Code("status")),
        Column(
            "dates",
            "Dates",
            "The day, month or year it was held, a span START/END, a start whose end is not "
            "reported START/.., or one day within a span [START..END] (EDTF), as precise as "
            "the sources.",
            DateSpan(
                "start_date", end="end_date", precision="date_precision", extent="date_extent"
            ),
        ),
        Column("city", "City", "Where it took place; empty when not given.", Text("city")),
        Column(
            "country",
            "Country",
            "The country it took place in (ISO alpha-2).",
            CountryCode("country"),
        ),
        Column(
            "host", "Host", "The host country (ISO alpha-2), when one hosted.", CountryCode("host")
        ),
        Column(
            "countries",
            "Countries",
            "Every country taking part, India included.",
            CountryCodes("countries"),
        ),
        related("grouping", Grouping, "The grouping that convened it (its identifier)."),
        Column(
            "mechanism",
            "Mechanism",
            "The standing mechanism it is a session of (the initiative's identifier).",
            Key("mechanism", to=Initiative),
        ),
        Column(
            "edition",
            "Edition",
            "The session's number in its mechanism or series.",
            Integer("edition"),
        ),
        Column(
            "parent",
            "Parent",
            "The meeting or visit it was held during or beside (its identifier).",
            Key("parent", to=Meeting),
        ),
        Column(
            "parent_relation",
            "Relation to parent",
            "part_of, sidelines or alongside; empty without a parent.",
            Code("parent_relation"),
        ),
        Column("summary", "Summary", "What happened, in our own words.", Text("summary")),
        TOPICS,
        CITATIONS,
    ),
    table=(
        Cell("Date", "dates", uses=("dates",), sort=("-date", "date")),
        Cell(
            "Meeting",
            "meeting",
            uses=("title", "status", "kind", "grouping"),
            sort=("title", "-title"),
            heading=True,
        ),
        Cell("Where", "place", uses=("city", "country")),
        Cell("Partners", "partners", uses=("countries",)),
        Cell("Who attended", "attendance", uses=("participations",)),
        Cell("Sources", "citations", uses=("citations",)),
    ),
)

PARTICIPATION = Record(
    Participation,
    key=("meeting", "official", "description"),
    description="Who attended each meeting, in which posts and role: a named official, or a "
    "participant the sources only describe.",
    columns=(
        related("meeting", Meeting),
        Column(
            "official",
            "Official",
            "The official, by name (by identifier where the name is shared); empty for a "
            "described participant.",
            OfficialName("official"),
        ),
        OFFICIAL_COUNTRY,
        Column(
            "description",
            "Description",
            "Who took part when the sources name no one, in our words; empty for an official.",
            Text("description"),
        ),
        Column(
            "country",
            "Country",
            "A described participant's country (ISO alpha-2); empty for an official.",
            CountryCode("country"),
        ),
        Column(
            "posts",
            "Posts",
            "The posts the official held then (identifiers, separated by ;).",
            Keys("posts", to=Post),
        ),
        Column(
            "role",
            "Role",
            "head, co_chair, chair, host, delegate, speaker or participant.",
            Code("role"),
        ),
        Column("note", "Note", "Anything the role does not say.", Text("note")),
    ),
)

MEETING_CITATION = citations(MeetingCitation, Meeting, "meeting")
