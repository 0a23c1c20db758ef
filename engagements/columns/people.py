"""Public columns of officials, their other names, posts and tenures."""

from __future__ import annotations

from ..models import Official, OfficialAlias, Post, PostAlias, Tenure, TenureCitation
from .aliases import aliases_column, cited_aliases
from .base import (
    IDENTIFIER,
    Aliases,
    Cell,
    Column,
    CountryCode,
    Date,
    Key,
    OfficialName,
    Record,
    Text,
    YesNo,
    related,
)
from .sources import CITATIONS, NOTE, PARAGRAPH, SOURCE_COLUMN

#: The column beside every official that settles names shared across countries.
OFFICIAL_COUNTRY = Column(
    "official_country",
    "Official's country",
    "The official's country (ISO alpha-2): exported beside the name; on import it picks "
    "between officials of several countries who share a name.",
    CountryCode("official__country"),
    readonly=True,
)
OFFICIAL = Column(
    "official",
    "Official",
    "The official, by name (by identifier where the name is shared).",
    OfficialName("official"),
)

OFFICIAL_RECORD = Record(
    Official,
    key=("slug",),
    description="People who meet and sign, by clean name (honorifics and ranks apart).",
    columns=(
        IDENTIFIER,
        Column("name", "Name", "Name without honorifics or ranks.", Text("name")),
        Column(
            "honorific",
            "Honorific",
            "Honorifics and ranks the sources give (Shri, General).",
            Text("honorific"),
        ),
        Column(
            "country",
            "Country",
            "The country the official serves (ISO alpha-2).",
            CountryCode("country"),
        ),
        Column(
            "aliases",
            "Other names",
            "Other spellings of the name the sources use.",
            Aliases("aliases", alias_model=OfficialAlias, owner="official"),
        ),
        Column("notes", "Notes", "Curators' notes.", Text("notes")),
        Column(
            "allow_duplicate",
            "Allow duplicate",
            "Import only: yes to add an official whose name the country already has.",
            YesNo("allow_duplicate"),
            import_only=True,
        ),
    ),
    table=(
        Cell(
            "Official", "official", uses=("name", "honorific"), sort=("name", "-name"), heading=True
        ),
        Cell("Country", "country_link", uses=("country",), sort=("country", "country")),
        Cell("Posts held", "tenures", uses=("tenures",)),
        Cell("Meetings", "attended_count", uses=("meetings",), numeric=True),
    ),
)

OFFICIAL_ALIAS = Record(
    OfficialAlias,
    key=("official", "name"),
    description="Another spelling of an official's name, one a row.",
    columns=(
        OFFICIAL,
        OFFICIAL_COUNTRY,
        Column("name", "Name", "The other spelling.", Text("name")),
    ),
)

POST = Record(
    Post,
    key=("slug",),
    description="Offices of a government, held by different people over time.",
    columns=(
        IDENTIFIER,
        Column("title", "Title", "The office, without its country.", Text("title")),
        Column(
            "country",
            "Country",
            "The government it belongs to (ISO alpha-2).",
            CountryCode("country"),
        ),
        Column("organisation", "Organisation", "Ministry or body.", Text("organisation")),
        aliases_column(PostAlias, "post"),
    ),
    table=(
        Cell("Post", "post", uses=("title", "organisation"), sort=("title", "title"), heading=True),
        Cell("Country", "country_link", uses=("country",), sort=("country", "country")),
        Cell("Held by", "holders", uses=("tenures",)),
    ),
)

POST_ALIAS = cited_aliases(PostAlias, Post, "post")

TENURE = Record(
    Tenure,
    key=("official", "post", "start"),
    description="Who held which post when, as far as the sources attest.",
    columns=(
        OFFICIAL,
        OFFICIAL_COUNTRY,
        related("post", Post, "The post held (its identifier)."),
        Column(
            "start",
            "Start",
            "The earliest date a source shows the official in post.",
            Date("start_date", precision="start_precision"),
        ),
        Column(
            "start_exact",
            "Start is exact",
            "yes when a source gives the real start.",
            YesNo("start_exact"),
        ),
        Column(
            "end",
            "End",
            "The latest date a source shows the official in post; empty while in post.",
            Date("end_date", precision="end_precision"),
        ),
        Column(
            "end_exact", "End is exact", "yes when a source gives the real end.", YesNo("end_exact")
        ),
        CITATIONS,
    ),
)

TENURE_CITATION = Record(
    TenureCitation,
    key=("official", "post", "start", "source", "paragraph"),
    description="Citations of tenures to source paragraphs, the tenure by official, post, start.",
    columns=(
        Column(
            "official",
            "Official",
            "The official of the cited tenure.",
            OfficialName("tenure__official"),
            readonly=True,
        ),
        Column(
            "official_country",
            OFFICIAL_COUNTRY.label,
            OFFICIAL_COUNTRY.description,
            CountryCode("tenure__official__country"),
            readonly=True,
        ),
        Column(
            "post",
            "Post",
            "The post of the cited tenure.",
            Key("tenure__post", to=Post),
            readonly=True,
        ),
        Column(
            "start",
            "Start",
            "The start of the cited tenure, as in the tenures file.",
            Date("tenure__start_date", precision="tenure__start_precision"),
            readonly=True,
        ),
        SOURCE_COLUMN,
        PARAGRAPH,
        NOTE,
    ),
)
