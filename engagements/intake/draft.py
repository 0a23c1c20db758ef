"""The draft of a report's records: its items, each with an id, its paragraphs and its match.

An item's ``id`` is stable within the draft ("meeting-1"); its ``paragraphs`` are the ones it
comes from (never none); its ``match`` is the slug of the record the database already holds,
or None for a record to create. ``Draft.as_dict`` is the JSON shape ``intake --json`` prints
and the admin's review screen reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Item:
    id: str = ""
    paragraphs: set[int] = field(default_factory=set)
    match: str | None = None

    def cite(self, *paragraphs: int) -> None:
        self.paragraphs.update(p for p in paragraphs if p)

    def fields(self) -> dict:
        raise NotImplementedError

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            **self.fields(),
            "paragraphs": sorted(self.paragraphs),
            "match": self.match,
        }


@dataclass
class CountryItem(Item):
    iso2: str = ""
    name: str = ""
    #: How the text names it: "name", or the grouping it is counted through.
    via: str = "name"

    def fields(self) -> dict:
        return {"iso2": self.iso2, "name": self.name, "via": self.via}


@dataclass
class GroupingItem(Item):
    slug: str = ""
    name: str = ""

    def fields(self) -> dict:
        return {"slug": self.slug, "name": self.name}


@dataclass
class OfficialItem(Item):
    name: str = ""
    country: str | None = None
    post: str = ""
    posts: list[str] = field(default_factory=list)
    honorific: str = ""
    #: The name as the text writes it, when the database's differs.
    written: str = ""
    #: Slugs of the database's posts, when the text's post is one or a tenure gives it.
    post_matches: list[str] = field(default_factory=list)

    def fields(self) -> dict:
        return {
            "name": self.name,
            "country": self.country,
            "post": self.post,
            "posts": list(self.posts),
            "post_matches": list(self.post_matches),
            "honorific": self.honorific,
            "written": self.written,
        }


@dataclass
class Participant:
    name: str
    official: str  # the draft official's id
    role: str
    match: str | None = None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "official": self.official,
            "role": self.role,
            "match": self.match,
        }


@dataclass
class MeetingItem(Item):
    title: str = ""
    kind: str = "bilateral"
    dates: str = ""
    city: str = ""
    country: str | None = None
    status: str = "held"
    participants: list[Participant] = field(default_factory=list)
    described: list[dict] = field(default_factory=list)
    parent: str | None = None
    parent_relation: str = ""
    mechanism: str | None = None
    edition: int | None = None
    grouping: str | None = None
    countries: list[str] = field(default_factory=list)

    def fields(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "dates": self.dates,
            "city": self.city,
            "country": self.country,
            "status": self.status,
            "participants": [p.name for p in self.participants],
            "roles": [p.as_dict() for p in self.participants],
            "described_participants": list(self.described),
            "parent": self.parent,
            "parent_relation": self.parent_relation,
            "mechanism": self.mechanism,
            "edition": self.edition,
            "grouping": self.grouping,
            "countries": sorted(set(self.countries)),
        }


@dataclass
class AgreementItem(Item):
    title: str = ""
    short_name: str = ""
    kind: str = "agreement"
    status: str = ""
    dates: str = ""
    parties: list[str] = field(default_factory=list)
    party_groupings: list[str] = field(default_factory=list)
    basis: str = "reported"
    #: Earlier steps the text gives (signed in 2020, now under review): status, dates, ¶.
    steps: list[dict] = field(default_factory=list)
    meeting: str | None = None

    def fields(self) -> dict:
        return {
            "title": self.title,
            "short_name": self.short_name,
            "kind": self.kind,
            "status": self.status,
            "dates": self.dates,
            "basis": self.basis,
            "steps": list(self.steps),
            "parties": sorted(set(self.parties)),
            "party_groupings": sorted(set(self.party_groupings)),
            "meeting": self.meeting,
        }


@dataclass
class InitiativeItem(Item):
    title: str = ""
    short_name: str = ""
    kind: str = "programme"
    countries: list[str] = field(default_factory=list)

    def fields(self) -> dict:
        return {
            "title": self.title,
            "short_name": self.short_name,
            "kind": self.kind,
            "countries": sorted(set(self.countries)),
        }


KINDS = {
    "countries": ("country", CountryItem),
    "groupings": ("grouping", GroupingItem),
    "officials": ("official", OfficialItem),
    "meetings": ("meeting", MeetingItem),
    "agreements": ("agreement", AgreementItem),
    "initiatives": ("initiative", InitiativeItem),
}


@dataclass
class Draft:
    date: dt.date | None
    paragraph_count: int
    dateline: str | None
    items: dict[str, list[Item]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def new(self, items: str, /, **values) -> Item:
        """A new item of the list ``items`` ("meetings"), with the next id of its kind."""
        prefix, cls = KINDS[items]
        item = cls(**values)
        item.id = f"{prefix}-{len(self.items[items]) + 1}"
        self.items[items].append(item)
        return item

    def renumber(self, kind: str) -> None:
        """Ids in reading order after items were dropped (references follow)."""
        prefix, _ = KINDS[kind]
        renamed = {}
        for number, item in enumerate(self.items[kind], start=1):
            renamed[item.id] = f"{prefix}-{number}"
            item.id = renamed[item.id]
        return renamed

    def as_dict(self) -> dict:
        source = {
            "date": self.date.isoformat() if self.date else None,
            "paragraphs": self.paragraph_count,
            "dateline": self.dateline,
        }
        out = {"source": source}
        for kind, items in self.items.items():
            out[kind] = [item.as_dict() for item in items if item.paragraphs]
        return out
