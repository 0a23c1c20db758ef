"""What the database knows that a report may name: countries (with their aliases and
demonyms), groupings, officials (with aliases and tenures), posts, initiatives, agreements.

Loaded once per draft in a fixed number of queries. Countries are also known by the name
patterns ``country_converter`` ships (read from its data file, without its pandas import)
and by demonyms: the regular ones made from a name ("Australia" → "Australian"), the
irregular ones listed here.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db.models import Prefetch

from ..dates import DatePrecision, PartialDate
from ..models import (
    Agreement,
    Country,
    CountryAlias,
    Grouping,
    Initiative,
    Membership,
    Official,
    Post,
    Tenure,
)
from .phrases import WordIndex, normal

#: The country whose defence diplomacy defrel records: a post a report gives without a
#: country ("Defence Minister Rajnath Singh") is this country's.
HOME = "IN"

#: Demonyms no rule makes from the country's name.
IRREGULAR_DEMONYMS = {
    "AF": ["Afghan"],
    "AE": ["Emirati"],
    "AZ": ["Azerbaijani"],
    "BD": ["Bangladeshi"],
    "BH": ["Bahraini"],
    "BN": ["Bruneian"],
    "BT": ["Bhutanese"],
    "CH": ["Swiss"],
    "CL": ["Chilean"],
    "CN": ["Chinese"],
    "CZ": ["Czech"],
    "DE": ["German"],
    "DK": ["Danish"],
    "EG": ["Egyptian"],
    "ES": ["Spanish"],
    "FI": ["Finnish"],
    "FJ": ["Fijian"],
    "FR": ["French"],
    "GB": ["British"],
    "GH": ["Ghanaian"],
    "GR": ["Greek"],
    "IE": ["Irish"],
    "IL": ["Israeli"],
    "IQ": ["Iraqi"],
    "IR": ["Iranian"],
    "IT": ["Italian"],
    "JP": ["Japanese"],
    "KG": ["Kyrgyz"],
    "KP": ["North Korean"],
    "KR": ["South Korean"],
    "KW": ["Kuwaiti"],
    "KZ": ["Kazakh"],
    "LA": ["Laotian"],
    "LK": ["Sri Lankan"],
    "MA": ["Moroccan"],
    "MG": ["Malagasy"],
    "MM": ["Burmese", "Myanmarese"],
    "MU": ["Mauritian"],
    "MV": ["Maldivian"],
    "MX": ["Mexican"],
    "MZ": ["Mozambican"],
    "NL": ["Dutch"],
    "NO": ["Norwegian"],
    "NP": ["Nepali", "Nepalese"],
    "NZ": ["New Zealander"],
    "OM": ["Omani"],
    "PE": ["Peruvian"],
    "PH": ["Filipino", "Philippine"],
    "PK": ["Pakistani"],
    "PL": ["Polish"],
    "PT": ["Portuguese"],
    "QA": ["Qatari"],
    "SA": ["Saudi"],
    "SC": ["Seychellois"],
    "SD": ["Sudanese"],
    "SE": ["Swedish"],
    "SG": ["Singaporean"],
    "TH": ["Thai"],
    "TJ": ["Tajik"],
    "TL": ["Timorese"],
    "TM": ["Turkmen"],
    "TR": ["Turkish"],
    "TW": ["Taiwanese"],
    "UA": ["Ukrainian"],
    "US": ["American"],
    "UZ": ["Uzbek"],
    "VN": ["Vietnamese"],
    "YE": ["Yemeni"],
}

CC_DATA = "country_data.tsv"


@lru_cache(maxsize=1)
def converter_patterns() -> list[tuple[re.Pattern, str]]:
    """country_converter's name patterns (one regular expression per country), by ISO2."""
    # Only the package's data file: importing it would import pandas, for nothing here.
    spec = importlib.util.find_spec("country_converter")
    path = Path(spec.origin).with_name(CC_DATA)
    found = []
    with path.open(encoding="utf-8") as data:
        for row in csv.DictReader(data, delimiter="\t"):
            code, regex = (row.get("ISO2") or "").strip(), (row.get("regex") or "").strip()
            if len(code) == 2 and code.isalpha() and regex:
                found.append((re.compile(regex, re.IGNORECASE), code))
    return found


def demonyms(name: str) -> list[str]:
    """The demonyms a rule makes from a country's name: "Korea" → "Korean"."""
    return [name + "n"] if name.endswith("a") else []


@dataclass
class CountryInfo:
    iso2: str
    name: str
    names: set[str] = field(default_factory=set)
    adjectives: set[str] = field(default_factory=set)


@dataclass
class GroupingInfo:
    slug: str
    name: str
    short_name: str
    kind: str
    #: (iso2, joined, left) of each membership; None where a date is not known.
    members: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)

    def members_on(self, day: dt.date | None) -> list[str]:
        return sorted(
            iso2
            for iso2, joined, left in self.members
            if day is None or ((joined is None or joined <= day) and (left is None or left >= day))
        )


@dataclass
class TenureInfo:
    post_slug: str
    post_title: str
    start: dt.date | None
    last: dt.date | None  # the last day the end bound covers; None when it runs on


@dataclass
class OfficialInfo:
    slug: str
    name: str
    honorific: str
    country: str
    aliases: list[str] = field(default_factory=list)
    tenures: list[TenureInfo] = field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def posts_on(self, first: dt.date | None, last: dt.date | None = None) -> list[TenureInfo]:
        """The tenures covering the days ``first`` to ``last`` (all of them, undated)."""
        if first is None:
            return []
        last = last or first
        return [
            t
            for t in self.tenures
            if t.start is not None and t.start <= last and (t.last is None or t.last >= first)
        ]


@dataclass
class PostInfo:
    slug: str
    title: str
    country: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class RecordInfo:
    """An initiative or an agreement: its names and what it is about."""

    slug: str
    name: str
    short_name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        names = [self.name, *self.aliases]
        if self.short_name:
            names.append(self.short_name)
        return names


@dataclass
class Vocabulary:
    countries: dict[str, CountryInfo]
    groupings: list[GroupingInfo]
    officials: list[OfficialInfo]
    posts: list[PostInfo]
    initiatives: list[RecordInfo]
    agreements: list[RecordInfo]

    def __post_init__(self):
        names = {}
        for info in self.countries.values():
            for name in info.names | info.adjectives:
                names.setdefault(normal(name), info.iso2)
        self._country_by_name = names
        self.country_finder = WordIndex(names_of(self.countries))
        self.officials_by_slug = {o.slug: o for o in self.officials}

    def country_named(self, text: str) -> str | None:
        """The ISO2 code of the country ``text`` names (a name, an alias or a demonym)."""
        return self._country_by_name.get(normal(text))

    def country_name(self, iso2: str) -> str:
        info = self.countries.get(iso2)
        return info.name if info else iso2

    def grouping(self, slug: str) -> GroupingInfo | None:
        return next((g for g in self.groupings if g.slug == slug), None)


def names_of(countries: dict[str, CountryInfo]) -> dict[str, str]:
    return {
        name: info.iso2
        for info in countries.values()
        for name in sorted(info.names | info.adjectives)
        if name
    }


def _last_covered(date: dt.date | None, precision: str) -> dt.date | None:
    if date is None:
        return None
    return PartialDate(date, precision).last_day() if precision != DatePrecision.UNKNOWN else date


def load_vocabulary() -> Vocabulary:
    """Read the vocabulary from the database (a fixed number of queries)."""
    countries: dict[str, CountryInfo] = {}
    for iso2, name, official in Country.objects.values_list("iso2", "name", "official_name"):
        info = CountryInfo(iso2, name, {name})
        if official:
            info.names.add(re.sub(r"^the\s+", "", official))
        countries[iso2] = info
    for alias, iso2 in CountryAlias.objects.values_list("name", "country__iso2"):
        # "Iran, Islamic Republic of": a list's inverted form, never written in running text.
        if "," not in alias:
            countries[iso2].names.add(alias)
    for info in countries.values():
        for name in list(info.names):
            info.adjectives.update(demonyms(name))
        info.adjectives.update(IRREGULAR_DEMONYMS.get(info.iso2, []))

    groupings = {
        slug: GroupingInfo(slug, name, short, kind)
        for slug, name, short, kind in Grouping.objects.values_list(
            "slug", "name", "short_name", "kind"
        )
    }
    for slug, iso2, joined, left in Membership.objects.values_list(
        "grouping__slug", "country__iso2", "joined_on", "left_on"
    ):
        groupings[slug].members.append((iso2, joined, left))

    officials = {}
    for slug, name, honorific, iso2 in Official.objects.values_list(
        "slug", "name", "honorific", "country__iso2"
    ):
        officials[slug] = OfficialInfo(slug, name, honorific, iso2)
    for slug, alias in Official.aliases.rel.related_model.objects.values_list(
        "official__slug", "name"
    ):
        officials[slug].aliases.append(alias)
    tenures = Tenure.objects.values_list(
        "official__slug", "post__slug", "post__title", "start_date", "end_date", "end_precision"
    )
    for slug, post_slug, title, start, end, end_precision in tenures:
        last = _last_covered(end, end_precision)
        officials[slug].tenures.append(TenureInfo(post_slug, title, start, last))

    posts = [
        PostInfo(slug, title, iso2, [a.name for a in aliases])
        for slug, title, iso2, aliases in _with_aliases(
            Post.objects.select_related("country"), "title", lambda p: p.country.iso2
        )
    ]
    initiatives = _records(Initiative, "name")
    agreements = _records(Agreement, "title", countries_field="parties")
    return Vocabulary(
        countries,
        list(groupings.values()),
        list(officials.values()),
        posts,
        initiatives,
        agreements,
    )


def _with_aliases(queryset, title_field: str, country):
    rows = queryset.prefetch_related("aliases")
    return [(row.slug, getattr(row, title_field), country(row), row.aliases.all()) for row in rows]


def _records(model, title_field: str, countries_field: str = "countries") -> list[RecordInfo]:
    rows = model.objects.prefetch_related(
        "aliases", Prefetch(countries_field, queryset=Country.objects.only("iso2"))
    )
    return [
        RecordInfo(
            row.slug,
            getattr(row, title_field),
            row.short_name,
            row.kind,
            [a.name for a in row.aliases.all()],
            sorted(c.iso2 for c in getattr(row, countries_field).all()),
        )
        for row in rows
    ]
