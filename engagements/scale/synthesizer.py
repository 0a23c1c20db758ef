"""Synthetic data at scale: deterministic, realistic, written in bulk.

``synthesize(meetings=N, seed=S)`` adds a generated world on top of the curated seed: about
200 partner countries (the seeded ISO countries), their posts and the officials who hold them
over time (``world.py``), N meetings with 2–6 participants (each in a post whose tenure covers
the meeting date) and 2–4 countries, agreements with status histories, initiatives, source
documents and citations, and dates of every precision (day, month, year, spans, unknown).

The same seed on the same database gives the same rows. Every synthetic row is recognisable:
slugs and source keys start with ``syn-``, so ``clearing.clear()`` removes exactly those rows
(and the rows that hang off them) and never touches curated data.

Rows are written by ``engagements.copy`` (PostgreSQL's ``COPY … FROM STDIN``, SQLite's
``executemany``) in one transaction, in bulk-load mode (``bulkload.py``). The database still
checks every constraint (CHECKs, unique constraints, foreign keys), which is what keeps
generated data valid. Bulk writes bypass model signals, so django-simple-history records no
history rows for synthetic data.
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connections, transaction

from ..models import (
    Agreement,
    AgreementCitation,
    AgreementKind,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Initiative,
    InitiativeKind,
    Meeting,
    MeetingCitation,
    MeetingKind,
    Official,
    Participation,
    Post,
    Source,
    Tenure,
)
from ..models.agreements import refresh_status
from .bulkload import BulkLoad, next_id, reset_sequences, vacuum_big_tables
from .clearing import PREFIX
from .words import DESCRIBED, KIND_WEIGHTS, STATUS_PATHS, TOPICS
from .world import FIRST_MEETING, LAST_MEETING, World

MEETING_CHUNK = 20_000  # meetings generated and written at a time (bounds memory)
FAST_FROM = 100_000  # from this many meetings, PostgreSQL rebuilds indexes after loading


@dataclass
class Report:
    meetings: int
    seed: int
    vendor: str
    counts: Counter[str] = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


class Synthesizer(World):
    """Generates the synthetic world; ``run()`` writes it and returns a report."""

    def __init__(
        self,
        meetings: int,
        seed: int = 1,
        using: str = "default",
        progress: Callable[[str], None] | None = None,
        rebuild_indexes: bool | None = None,
    ):
        if meetings < 0:
            raise ValueError("The number of meetings cannot be negative.")
        super().__init__(meetings, seed, using)
        self.seed = seed
        self.fast = meetings >= FAST_FROM if rebuild_indexes is None else rebuild_indexes
        self.progress = progress or (lambda message: None)
        self.report = Report(meetings, seed, connections[using].vendor, self.counts)

    def timed(self, label: str, started: float) -> None:
        self.report.timings[label] = self.report.timings.get(label, 0.0) + (
            time.perf_counter() - started
        )

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> Report:
        """Write everything in one transaction: all of it, or nothing."""
        with transaction.atomic(using=self.using), BulkLoad(self.using, self.fast) as load:
            started = time.perf_counter()
            self.load_reference()
            self.make_sources()
            self.make_people()
            self.make_mechanisms()
            self.timed("sources, posts, officials, tenures", started)
            started = time.perf_counter()
            self.make_meetings()
            self.timed("meetings, countries, participants, citations", started)
            started = time.perf_counter()
            self.make_agreements()
            self.make_initiatives()
            reset_sequences(
                [Source, Official, Post, Tenure, Meeting, Participation, Agreement, Initiative],
                self.using,
            )
            self.timed("agreements, initiatives", started)
            load.finish(self.models)
            self.report.timings.update(load.timings)
            # Their current status, from the steps just written (with their indexes back).
            started = time.perf_counter()
            low, high = self.agreement_range
            refresh_status(Agreement.objects.using(self.using).filter(pk__gte=low, pk__lt=high))
            self.timed("agreements' current status", started)
        if self.fast:
            # Set the visibility map, so index-only scans skip the heap (autovacuum would,
            # later).
            started = time.perf_counter()
            if vacuum_big_tables(self.using):
                self.timed("vacuum", started)
        return self.report

    def make_meetings(self) -> None:
        first = next_id(Meeting, self.using)
        self.meeting0 = first
        self.participation_id = next_id(Participation, self.using)
        done = 0
        while done < self.n:
            size = min(MEETING_CHUNK, self.n - done)
            self.meeting_chunk(first + done, done, size)
            done += size
            self.progress(f"{done:,} of {self.n:,} meetings")

    def meeting_chunk(self, first_id: int, first_index: int, size: int) -> None:
        random, pick = self.random, self.pick
        india = self.india[0]
        kinds = [k for k, _ in KIND_WEIGHTS]
        kind_weights = list(itertools.accumulate(w for _, w in KIND_WEIGHTS))
        kind_total = kind_weights[-1]
        meetings, countries, participants, posts_held, citations = [], [], [], [], []
        last_of_partner: dict[int, int] = {}
        span = LAST_MEETING - FIRST_MEETING
        roles = ("delegate", "participant", "speaker")
        for offset in range(size):
            pk = first_id + offset
            index = first_index + offset
            # More meetings in recent years.
            day = FIRST_MEETING + int(span * random() ** 0.7)
            start, end, precision, extent = self.meeting_dates(day)
            kind = kinds[bisect.bisect(kind_weights, random() * kind_total)]
            wanted = 3 if kind == MeetingKind.MULTILATERAL else pick((1, 1, 1, 2, 3))
            partners = self.pick_partners(wanted)
            main = partners[0]
            mechanism = edition = grouping = parent = None
            if kind == MeetingKind.MECHANISM and main[0] in self.mechanism_of:
                mechanism = self.mechanism_of[main[0]]
                self.editions[mechanism] += 1
                if self.editions[mechanism] <= 30_000:
                    edition = self.editions[mechanism]
            if kind == MeetingKind.MULTILATERAL and self.groupings:
                grouping = pick(self.groupings)
            if kind == MeetingKind.CALL and main[0] in last_of_partner:
                parent = last_of_partner[main[0]]
            title = self.meeting_title(kind, main[2], grouping, edition, mechanism)
            venue = india if random() < 0.55 else main[0]
            status = "held"
            if day > LAST_MEETING - 90 and random() < 0.5:
                status = "scheduled"
            elif random() < 0.03:
                status = "cancelled"
            meetings.append(
                (
                    pk,
                    f"{PREFIX}m{index + 1:07d}",
                    title,
                    kind,
                    status,
                    self.iso(start),
                    self.iso(end),
                    precision,
                    extent,
                    pick(self.cities[venue]) if random() < 0.85 else "",
                    venue,
                    venue,
                    grouping[0] if grouping else None,
                    mechanism,
                    edition,
                    parent,
                    self.summary(),
                )
            )
            last_of_partner[main[0]] = pk
            members = [india] + [p[0] for p in partners]
            for c in members:
                countries.append((pk, c))
                pool = self.meeting_pool[c]
                if len(pool) < 64:
                    pool.append(pk)
                else:
                    pool[int(random() * 64)] = pk
            # Participants: India's head of delegation, the partner's, then others.
            seen: set[int] = set()
            for k in range(2 + int(random() * 5)):
                country = members[k] if k < 2 else pick(members)
                posts = self.posts_of[country]
                if not posts:
                    continue
                post = pick(posts)
                tenure = self.holder(post, start)
                if tenure.official in seen:
                    continue
                seen.add(tenure.official)
                role = "head" if k < 2 else pick(roles)
                participation = self.participation_id
                self.participation_id += 1
                participants.append((participation, pk, tenure.official, "", None, role, ""))
                if random() < 0.92:  # the sources give the post
                    posts_held.append((participation, post))
            if random() < 0.1:  # someone the sources describe without naming
                described = (pick(DESCRIBED), pick(members), "delegate", "")
                participants.append((self.participation_id, pk, None, *described))
                self.participation_id += 1
            for source in self.source_ids(index / max(self.n, 1), 1 + (random() < 0.5)):
                citations.append((pk, source, 1 + int(random() * 12), ""))
        self.write(
            Meeting,
            [
                "id",
                "slug",
                "title",
                "kind",
                "status",
                "start_date",
                "end_date",
                "date_precision",
                "date_extent",
                "city",
                "country",
                "host",
                "grouping",
                "mechanism",
                "edition",
                "parent",
                "summary",
            ],
            meetings,
        )
        self.write(Meeting.countries.through, ["meeting", "country"], countries)
        self.write(
            Participation,
            ["id", "meeting", "official", "description", "country", "role", "note"],
            participants,
        )
        self.write(Participation.posts.through, ["participation", "post"], posts_held)
        self.write(MeetingCitation, ["meeting", "source", "paragraph", "note"], citations)

    def make_agreements(self) -> None:
        rng = self.rng
        count = max(5, self.n // 25)
        first = next_id(Agreement, self.using)
        kinds = [k for k in AgreementKind.values if k != AgreementKind.OTHER]
        agreements, parties, groupings, history, links, citations, relations = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        for i in range(count):
            pk = first + i
            partners = self.pick_partners(1 if rng.random() < 0.85 else 3)
            kind = rng.choice(kinds)
            label = AgreementKind(kind).label
            topic = rng.choice(TOPICS)
            names = " and ".join(p[2] for p in partners)
            agreements.append(
                (
                    pk,
                    f"{PREFIX}a{i + 1:07d}",
                    f"{label} between India and {names} on {topic}",
                    "".join(w[0] for w in topic.split()).upper() if rng.random() < 0.2 else "",
                    kind,
                    self.summary(),
                )
            )
            parties.extend((pk, c) for c in [self.india[0]] + [p[0] for p in partners])
            if self.groupings and rng.random() < 0.03:
                groupings.append((pk, rng.choice(self.groupings)[0]))
            day = rng.randint(FIRST_MEETING, LAST_MEETING - 400)
            for status in rng.choice(STATUS_PATHS)[: rng.randint(1, 4)]:
                date, precision = self.partial_date(day)
                source = self.source_ids(rng.random(), 1)[0] if rng.random() < 0.6 else None
                paragraph = rng.randint(1, 12) if source else None
                history.append((pk, status, self.iso(date), precision, source, paragraph, ""))
                day += rng.randint(30, 900)
            pool = self.meeting_pool.get(partners[0][0])
            if pool and rng.random() < 0.7:
                role = rng.choice(AgreementMeeting.Role.values)
                links.append((pk, rng.choice(pool), role))
            for source in self.source_ids(rng.random(), rng.randint(1, 2)):
                citations.append((pk, source, rng.randint(1, 12), ""))
            if i and rng.random() < 0.05:
                kind = rng.choice(("amends", "supersedes", "implements", "extends", "relates_to"))
                relations.append((pk, kind, first + rng.randrange(i), ""))
        self.agreement_range = (first, first + count)
        self.write(Agreement, ["id", "slug", "title", "short_name", "kind", "summary"], agreements)
        self.write(Agreement.parties.through, ["agreement", "country"], parties)
        self.write(Agreement.party_groupings.through, ["agreement", "grouping"], groupings)
        self.write(
            AgreementStatusChange,
            ["agreement", "status", "date", "precision", "source", "paragraph", "note"],
            history,
        )
        self.write(AgreementMeeting, ["agreement", "meeting", "role"], links)
        self.write(AgreementCitation, ["agreement", "source", "paragraph", "note"], citations)
        self.write(AgreementRelation, ["subject", "kind", "object", "note"], relations)

    def make_initiatives(self) -> None:
        rng = self.rng
        kinds = [k for k in InitiativeKind.values if k != InitiativeKind.MECHANISM]
        meetings, agreements, groupings = [], [], []
        for i in range(max(5, self.n // 200)):
            partner = self.pick_partners(1)[0]
            kind = rng.choice(kinds)
            label = InitiativeKind(kind).label.lower()
            start, precision = self.partial_date(rng.randint(FIRST_MEETING, LAST_MEETING), 0.1)
            pk = self.add_initiative(
                f"{PREFIX}i{i + 1:07d}",
                f"India–{partner[2]} {label} on {rng.choice(TOPICS)}",
                kind,
                [self.india[0], partner[0]],
                start,
                precision,
            )
            pool = self.meeting_pool.get(partner[0], [])
            for meeting in sorted(set(rng.sample(pool, min(len(pool), rng.randint(1, 5))))):
                meetings.append((pk, meeting))
            low, high = self.agreement_range
            if rng.random() < 0.4:
                agreements.append((pk, rng.randrange(low, high)))
            if self.groupings and rng.random() < 0.05:
                groupings.append((pk, rng.choice(self.groupings)[0]))
        self.write_initiatives()
        self.write(Initiative.meetings.through, ["initiative", "meeting"], meetings)
        self.write(Initiative.agreements.through, ["initiative", "agreement"], agreements)
        self.write(Initiative.groupings.through, ["initiative", "grouping"], groupings)


def synthesize(
    meetings: int,
    seed: int = 1,
    using: str = "default",
    progress: Callable[[str], None] | None = None,
    rebuild_indexes: bool | None = None,
) -> Report:
    """Generate and write the synthetic world (see the module docstring)."""
    return Synthesizer(meetings, seed, using, progress, rebuild_indexes).run()
