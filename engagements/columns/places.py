"""Public columns of countries, their other names, and groupings."""

from __future__ import annotations

from ..models import Country, CountryAlias, Grouping
from .base import IDENTIFIER, Aliases, Cell, Code, Column, CountryCode, CountryCodes, Record, Text

COUNTRY = Record(
    Country,
    key=("iso2",),
    description="Every ISO 3166-1 country, with the names the sources use for it.",
    columns=(
        Column("iso2", "ISO alpha-2", "ISO 3166-1 alpha-2 code: the country's key.", Text("iso2")),
        Column("iso3", "ISO alpha-3", "ISO 3166-1 alpha-3 code.", Text("iso3")),
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
            "members", "Members", "Member countries (current membership).", CountryCodes("members")
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
