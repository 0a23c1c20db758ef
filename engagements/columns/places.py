"""Public columns of countries, their other names, and groupings."""

from __future__ import annotations

from ..models import Country, CountryAlias, Grouping, Membership
from .base import (
    IDENTIFIER,
    Aliases,
    Cell,
    Code,
    Column,
    CountryCode,
    CountryCodes,
    Date,
    Record,
    Text,
    related,
)

COUNTRY = Record(
    Country,
    key=("iso2",),
    description="Every ISO 3166-1 country, with the names the sources use for it.",
    columns=(
        Column("iso2", "ISO alpha-2", "ISO 3166-1 alpha-2 code: the country's key.", Text("iso2")),
        Column("iso3", "ISO alpha-3", "ISO 3166-1 alpha-3 code.", Text("iso3")),
        Column(
            "wikidata",
            "Wikidata QID",
            "The country's Wikidata item (Q884); empty until a curator fills it.",
            Text("wikidata"),
        ),
        Column("name", "Name", "Common English name.", Text("name")),
        Column(
            "official_name", "Official name", "Formal name, when it differs.", Text("official_name")
        ),
        Column(
            "aliases",
            "Other names",
            "Other names and abbreviations that identify it (ROK, Lao PDR).",
            Aliases("aliases", alias_model=CountryAlias, owner="country"),
        ),
    ),
    table=(
        Cell(
            "Country",
            "country",
            uses=("name", "official_name"),
            sort=("name", "-name"),
            heading=True,
        ),
        Cell("ISO", "code", uses=("iso2",)),
        Cell("Groupings", "groupings", uses=("groupings",)),
        Cell(
            "Meetings",
            "record_count",
            uses=("meetings",),
            sort=("-meetings", "-meetings"),
            numeric=True,
        ),
        Cell("Agreements", "record_count", uses=("agreements",), numeric=True),
        Cell("Initiatives", "record_count", uses=("initiatives",), numeric=True),
    ),
)

COUNTRY_ALIAS = Record(
    CountryAlias,
    key=("name",),
    description="Another name of a country, one a row.",
    columns=(
        Column("name", "Name", "The other name, unique across countries.", Text("name")),
        Column("country", "Country", "The country it names.", CountryCode("country")),
    ),
)

GROUPING = Record(
    Grouping,
    key=("slug",),
    description="Regional organisations, minilateral partnerships and forums.",
    columns=(
        IDENTIFIER,
        Column("name", "Name", "Full name.", Text("name")),
        Column(
            "short_name",
            "Short name",
            "The name it is usually known by (ASEAN).",
            Text("short_name"),
        ),
        Column("kind", "Kind", "What sort of grouping it is.", Code("kind")),
        Column(
            "members",
            "Members",
            "Member countries, past and present (their dates: the memberships file).",
            CountryCodes("members"),
        ),
        Column("description", "Description", "What it is, in our own words.", Text("description")),
    ),
    table=(
        Cell(
            "Grouping",
            "grouping",
            uses=("short_name", "name"),
            sort=("name", "-name"),
            heading=True,
        ),
        Cell("Kind", "kind", uses=("kind",)),
        Cell("Members", "countries", uses=("members",)),
        Cell("Meetings", "meeting_count", uses=("meetings",), numeric=True),
    ),
)

MEMBERSHIP = Record(
    Membership,
    key=("grouping", "country"),
    description="Which countries belong to each grouping, since when and until when (reference "
    "data from the groupings' own member lists).",
    columns=(
        related("grouping", Grouping),
        Column("country", "Country", "The member (ISO alpha-2).", CountryCode("country")),
        Column(
            "joined",
            "Joined",
            "When it joined, as precise as known; empty when not known.",
            Date("joined_on", precision="joined_precision"),
        ),
        Column(
            "left",
            "Left",
            "When it left, as precise as known; empty while it is a member.",
            Date("left_on", precision="left_precision"),
        ),
        Column("note", "Note", "Where the dates come from.", Text("note")),
    ),
)
