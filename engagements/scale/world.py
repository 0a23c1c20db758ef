"""The world the meetings take place in: partner countries, sources, the posts of each
country and the officials who hold them over time, and the standing mechanisms.

``World`` generates and writes these first; the synthesizer's meetings, agreements and
initiatives then draw on them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Model

from .. import copy
from ..dates import DatePrecision
from ..models import (
    Country,
    Grouping,
    Initiative,
    InitiativeCitation,
    InitiativeKind,
    Official,
    Post,
    Source,
    Tenure,
    TenureCitation,
)
from .bulkload import next_id
from .clearing import PREFIX
from .draws import Draws
from .words import FAMILY, GIVEN, HONORIFICS, INDIAN_CITIES, MECHANISMS, POSTS, PUBLISHERS, TOPICS

# Fixed so that the data never depends on the day it is generated.
FIRST_MEETING = dt.date(1990, 1, 1).toordinal()
LAST_MEETING = dt.date(2025, 12, 31).toordinal()
FIRST_TENURE = dt.date(1975, 1, 1).toordinal()
RUNNING_ON = dt.date(2026, 1, 1).toordinal()  # tenures still going at this date have no end


@dataclass
class TenureRow:
    id: int
    official: int
    start: int  # ordinal of the stored start date
    end: int | None  # ordinal of the end date, None while running on


class World(Draws):
    """Partners, sources, posts, officials, tenures and mechanisms, for ``meetings`` meetings
    (small runs use fewer partners and posts)."""

    def __init__(self, meetings: int, seed: int, using: str):
        super().__init__(seed)
        self.n = meetings
        self.using = using
        self.counts: Counter[str] = Counter()  # rows written per table
        self.models: list[type[Model]] = []  # the models written, in order

    def write(self, model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
        """Write ``rows`` of ``fields`` (see ``engagements.copy.write``) and count them."""
        if not rows:
            return
        copy.write(model, fields, rows, self.using)
        self.counts[model._meta.db_table] += len(rows)
        if model not in self.models:
            self.models.append(model)

    def load_reference(self) -> None:
        countries = list(
            Country.objects.using(self.using).order_by("iso2").values_list("id", "iso2", "name")
        )
        india = [c for c in countries if c[1] == "IN"]
        if not india:
            raise ValueError("No country with ISO code IN: load the seed (manage.py seed) first.")
        self.india = india[0]
        partners = [c for c in countries if c[1] != "IN"]
        self.rng.shuffle(partners)
        # Small runs use a few partners (so that tests stay light); large ones all of them.
        self.partners = partners[: max(8, min(len(partners), self.n // 40))]
        # A long tail: some partners meet India far more often than others.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.partners))]
        self.partner_weights = list(itertools.accumulate(weights))
        self.names = {c[0]: c[2] for c in countries}
        self.cities = {c[0]: [self.words(2), self.words(3)] for c in self.partners}
        self.cities[self.india[0]] = INDIAN_CITIES
        self.groupings = list(
            Grouping.objects.using(self.using)
            .exclude(slug__startswith=PREFIX)
            .order_by("slug")
            .values_list("id", "short_name")
        )
        self.meeting_pool: dict[int, list[int]] = defaultdict(list)  # country -> meeting ids

    def pick_partners(self, k: int) -> list[tuple]:
        """Up to ``k`` distinct partners, frequent ones more often."""
        weights, total, partners = self.partner_weights, self.partner_weights[-1], self.partners
        chosen = [partners[bisect.bisect(weights, self.random() * total)] for _ in range(k)]
        return list(dict.fromkeys(chosen)) if k > 1 else chosen

    def make_sources(self) -> None:
        rng = self.rng
        self.n_sources = max(10, self.n // 3)
        self.source0 = next_id(Source, self.using)
        rows = []
        for i in range(self.n_sources):
            day = rng.randint(FIRST_MEETING, LAST_MEETING)
            date, precision = self.partial_date(day, unknown=0.02)
            partner = rng.choice(self.partners)[2]
            publisher = rng.choice(PUBLISHERS) if rng.random() < 0.95 else ""
            rows.append(
                (
                    self.source0 + i,
                    f"{PREFIX}s{i + 1:07d}",
                    f"India and {partner} discuss {rng.choice(TOPICS)}",
                    publisher,
                    f"https://example.org/synthetic/{i + 1}" if rng.random() < 0.8 else "",
                    self.iso(date),
                    precision,
                    rng.choice(INDIAN_CITIES) if rng.random() < 0.7 else "",
                    self.summary(),
                    "",
                )
            )
        self.write(
            Source,
            [
                "id",
                "key",
                "title",
                "publisher",
                "url",
                "published_on",
                "published_precision",
                "dateline",
                "summary",
                "curation_notes",
            ],
            rows,
        )

    def source_ids(self, position: float, k: int) -> list[int]:
        """``k`` distinct sources near ``position`` (0–1) in the register."""
        base = int(position * (self.n_sources - 1)) - 20
        first = self.source0 + (base + int(self.random() * 41)) % self.n_sources
        if k == 1:
            return [first]
        second = self.source0 + (base + int(self.random() * 41)) % self.n_sources
        return [first] if second == first else sorted((first, second))

    def make_people(self) -> None:
        """Posts for every partner, and a line of officials holding each post over time."""
        rng = self.rng
        per_country = min(len(POSTS), 3 + self.n // 2000)
        taken = set(Post.objects.using(self.using).values_list("country_id", "title"))
        post_id, official_id, tenure_id = (
            next_id(Post, self.using),
            next_id(Official, self.using),
            next_id(Tenure, self.using),
        )
        posts, officials, tenures, citations = [], [], [], []
        self.posts_of: dict[int, list[int]] = {}
        self.tenures_of: dict[int, list[TenureRow]] = {}
        self.tenure_starts: dict[int, list[int]] = {}
        for country_id, iso2, _name in [self.india, *self.partners]:
            self.posts_of[country_id] = []
            free: list[tuple[int, int]] = []  # (official, free from) of this country
            for title, organisation in POSTS[:per_country]:
                if (country_id, title) in taken:
                    continue
                slug = f"{PREFIX}{iso2.lower()}-{len(self.posts_of[country_id]) + 1}"
                posts.append((post_id, slug, title, country_id, organisation))
                self.posts_of[country_id].append(post_id)
                held: list[TenureRow] = []
                start = FIRST_TENURE - rng.randint(0, 1500)
                while start < RUNNING_ON:
                    end = start + rng.randint(365, 2200) - 1
                    reusable = [i for i, (_, since) in enumerate(free) if since < start - 180]
                    if reusable and rng.random() < 0.3:
                        official = free.pop(rng.choice(reusable))[0]
                    else:
                        official = official_id
                        official_id += 1
                        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
                        officials.append(
                            (
                                official,
                                f"{PREFIX}{iso2.lower()}-{name.lower().replace(' ', '-')}-"
                                f"{official}",
                                name,
                                rng.choice(HONORIFICS),
                                country_id,
                                "",
                            )
                        )
                    stored, start_precision = self.partial_date(start, unknown=0)
                    running = end >= RUNNING_ON
                    tenures.append(
                        (
                            tenure_id,
                            official,
                            post_id,
                            self.iso(stored),
                            start_precision,
                            start_precision == DatePrecision.DAY and rng.random() < 0.6,
                            None if running else self.iso(end),
                            DatePrecision.UNKNOWN if running else DatePrecision.DAY,
                            not running and rng.random() < 0.6,
                        )
                    )
                    held.append(TenureRow(tenure_id, official, stored, None if running else end))
                    if rng.random() < 0.3:
                        for source in self.source_ids(rng.random(), 1):
                            citations.append((tenure_id, source, rng.randint(1, 12), ""))
                    tenure_id += 1
                    if not running:
                        free.append((official, end))
                        del free[:-30]  # only recent office-holders move to another post
                    start = end + 1
                self.tenures_of[post_id] = held
                self.tenure_starts[post_id] = [t.start for t in held]
                post_id += 1
        self.write(Post, ["id", "slug", "title", "country", "organisation"], posts)
        self.write(Official, ["id", "slug", "name", "honorific", "country", "notes"], officials)
        self.write(
            Tenure,
            [
                "id",
                "official",
                "post",
                "start_date",
                "start_precision",
                "start_exact",
                "end_date",
                "end_precision",
                "end_exact",
            ],
            tenures,
        )
        self.write(TenureCitation, ["tenure", "source", "paragraph", "note"], citations)

    def holder(self, post: int, day: int | None) -> TenureRow:
        """The tenure of ``post`` covering ``day`` (any tenure when the day is unknown)."""
        held = self.tenures_of[post]
        if day is None:
            return self.rng.choice(held)
        i = bisect.bisect_right(self.tenure_starts[post], day) - 1
        tenure = held[i]
        assert tenure.start <= day and (tenure.end is None or tenure.end >= day)
        return tenure

    def make_mechanisms(self) -> None:
        """Standing mechanisms (dialogues, committees) with India's main partners."""
        rng = self.rng
        self.initiative_id = next_id(Initiative, self.using)
        self.initiatives, self.initiative_countries, self.initiative_citations = [], [], []
        self.mechanism_of: dict[int, int] = {}
        self.editions: Counter[int] = Counter()
        for country_id, iso2, name in self.partners[:40]:
            start, precision = self.partial_date(rng.randint(FIRST_TENURE, FIRST_MEETING))
            self.add_initiative(
                f"{PREFIX}{iso2.lower()}-{len(self.mechanism_of) + 1}",
                f"India–{name} {rng.choice(MECHANISMS)}",
                InitiativeKind.MECHANISM,
                [self.india[0], country_id],
                start,
                precision,
            )
            self.mechanism_of[country_id] = self.initiative_id - 1
        self.write_initiatives()

    def add_initiative(self, slug, name, kind, countries, start, precision) -> int:
        rng = self.rng
        pk = self.initiative_id
        self.initiative_id += 1
        self.initiatives.append(
            (pk, slug, name, "", kind, self.iso(start), precision, self.summary())
        )
        self.initiative_countries.extend((pk, c) for c in countries)
        for source in self.source_ids(rng.random(), rng.randint(1, 2)):
            self.initiative_citations.append((pk, source, rng.randint(1, 12), ""))
        return pk

    def write_initiatives(self) -> None:
        self.write(
            Initiative,
            [
                "id",
                "slug",
                "name",
                "short_name",
                "kind",
                "start_date",
                "start_precision",
                "summary",
            ],
            self.initiatives,
        )
        self.write(
            Initiative.countries.through, ["initiative", "country"], self.initiative_countries
        )
        self.write(
            InitiativeCitation,
            ["initiative", "source", "paragraph", "note"],
            self.initiative_citations,
        )
        self.initiatives, self.initiative_countries, self.initiative_citations = [], [], []
