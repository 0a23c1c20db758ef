"""Synthetic data at scale: deterministic, realistic, written in bulk.

``synthesize(meetings=N, seed=S)`` adds a generated world on top of the curated seed: about
200 partner countries (the seeded ISO countries), their posts and the officials who hold them
over time, N meetings with 2–6 participants (each in a post whose tenure covers the meeting
date) and 2–4 countries, agreements with status histories, initiatives, source documents and
citations, and dates of every precision (day, month, year, spans, unknown).

The same seed on the same database gives the same rows. Every synthetic row is recognisable:
slugs and source keys start with ``syn-``, so ``clear()`` removes exactly those rows (and the
rows that hang off them) and never touches curated data.

Rows are written with PostgreSQL's ``COPY … FROM STDIN`` or SQLite's ``executemany``, a chunk
of meetings per transaction. The database still checks every constraint (CHECKs, unique
constraints, foreign keys), which is what keeps generated data valid. Bulk writes bypass model
signals, so django-simple-history records no history rows for synthetic data.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import Max, Model, Q

from .dates import DatePrecision
from .models import (
    Agreement,
    AgreementCitation,
    AgreementKind,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Country,
    Grouping,
    Initiative,
    InitiativeCitation,
    InitiativeKind,
    Meeting,
    MeetingCitation,
    MeetingKind,
    Official,
    OfficialAlias,
    Participation,
    Post,
    Source,
    Tenure,
    TenureCitation,
)

PREFIX = "syn-"
# Fixed so that the data never depends on the day it is generated.
FIRST_MEETING = dt.date(1990, 1, 1).toordinal()
LAST_MEETING = dt.date(2025, 12, 31).toordinal()
FIRST_TENURE = dt.date(1975, 1, 1).toordinal()
RUNNING_ON = dt.date(2026, 1, 1).toordinal()  # tenures still going at this date have no end
MEETING_CHUNK = 20_000  # meetings generated and written at a time (bounds memory)
FAST_FROM = 100_000  # from this many meetings, PostgreSQL rebuilds indexes after loading
BIG_DELETE = 100_000  # rows deleted by --clear from which the big tables are vacuumed

# --- vocabulary ---------------------------------------------------------------------------

POSTS = [
    ("Minister of Defence", "Ministry of Defence"),
    ("Defence Secretary", "Ministry of Defence"),
    ("Chief of the Army Staff", "Army"),
    ("Chief of the Naval Staff", "Navy"),
    ("Chief of the Air Staff", "Air Force"),
    ("Chief of Defence Staff", "Armed Forces"),
    ("National Security Adviser", "National Security Council"),
    ("Secretary (Defence Production)", "Ministry of Defence"),
    ("Director General of Defence Cooperation", "Ministry of Defence"),
]
GIVEN = [
    "Aarav",
    "Amina",
    "Anan",
    "Arjun",
    "Carmen",
    "Daniel",
    "Elif",
    "Farid",
    "Hana",
    "Ines",
    "Jonas",
    "Kavya",
    "Kenji",
    "Layla",
    "Lucas",
    "Mariam",
    "Mateo",
    "Mei",
    "Nadia",
    "Nikhil",
    "Omar",
    "Priya",
    "Rafael",
    "Rohan",
    "Sakura",
    "Samir",
    "Sara",
    "Sofia",
    "Tariq",
    "Thanh",
    "Tomas",
    "Vikram",
    "Yara",
    "Yusuf",
    "Zainab",
    "Anil",
    "Meera",
    "Lars",
    "Ingrid",
    "Kofi",
    "Ama",
    "Diego",
    "Lucia",
    "Ivan",
    "Olga",
]
FAMILY = [
    "Abe",
    "Adeyemi",
    "Ahmed",
    "Alvarez",
    "Bakr",
    "Banerjee",
    "Chen",
    "Costa",
    "Dimitrov",
    "Duarte",
    "Eriksen",
    "Fernando",
    "Gupta",
    "Haddad",
    "Hansen",
    "Ito",
    "Iyer",
    "Jensen",
    "Kapoor",
    "Khan",
    "Kim",
    "Kowalski",
    "Lee",
    "Mendes",
    "Menon",
    "Mori",
    "Mukherjee",
    "Nair",
    "Nguyen",
    "Novak",
    "Okafor",
    "Perera",
    "Petrov",
    "Pillai",
    "Rahman",
    "Rao",
    "Reddy",
    "Santos",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Suzuki",
    "Tan",
    "Tanaka",
    "Varga",
    "Wang",
    "Yilmaz",
    "Zhou",
]
HONORIFICS = ["", "", "", "", "General", "Admiral", "Air Chief Marshal", "Dr", "Shri"]
TOPICS = [
    "maritime security",
    "counter-terrorism",
    "co-production of submarines",
    "co-development of unmanned aerial systems",
    "joint military exercises",
    "training exchanges",
    "cyber security",
    "hydrography",
    "reciprocal logistics support",
    "UN peacekeeping",
    "humanitarian assistance and disaster relief",
    "defence industrial cooperation",
    "space security",
    "coastal surveillance radar",
    "shipbuilding and ship repair",
    "military medicine",
    "defence research and development",
    "aircraft maintenance",
    "artillery systems",
    "white shipping information exchange",
    "border security",
    "counter-piracy patrols",
    "critical and emerging technologies",
    "supply chain resilience",
]
ACTIONS = [
    "step up staff talks",
    "hold a joint exercise next year",
    "set up a working group",
    "explore co-production in India",
    "expand training slots for officers",
    "exchange hydrographic data",
    "conclude an implementing arrangement",
    "increase port calls by naval ships",
    "deepen industry partnerships",
    "review progress at the next dialogue",
]
REGIONS = ["the Indian Ocean", "the Indo-Pacific", "the Gulf", "Africa", "Europe", "Central Asia"]
INDIAN_CITIES = ["New Delhi", "Bengaluru", "Mumbai", "Goa", "Kochi", "Visakhapatnam", "Pune"]
SYLLABLES = [
    "ka",
    "lo",
    "ran",
    "vi",
    "sa",
    "mar",
    "del",
    "tor",
    "an",
    "bel",
    "sur",
    "ni",
    "po",
    "zan",
    "ta",
    "ri",
    "mo",
    "ven",
]
PUBLISHERS = [
    "Press Information Bureau",
    "Ministry of Defence",
    "Ministry of External Affairs",
    "Embassy of India",
    "Defence News Weekly",
]
MECHANISMS = [
    "Defence Policy Dialogue",
    "Joint Working Group on Defence Cooperation",
    "Defence Cooperation Committee",
    "Army-to-Army Staff Talks",
    "Joint Defence Committee",
]
KIND_WEIGHTS = [
    (MeetingKind.BILATERAL, 30),
    (MeetingKind.VISIT, 18),
    (MeetingKind.CALL, 14),
    (MeetingKind.MECHANISM, 12),
    (MeetingKind.MULTILATERAL, 10),
    (MeetingKind.INDUSTRY, 8),
    (MeetingKind.SUMMIT, 4),
    (MeetingKind.OTHER, 4),
]
STATUS_PATHS = [
    ["proposed", "under_negotiation", "signed", "in_force"],
    ["under_negotiation", "agreed", "signed", "exchanged"],
    ["signed", "in_force", "under_review", "amended"],
    ["signed", "in_force", "expired"],
    ["proposed", "under_negotiation"],
]


def ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


# --- writing ------------------------------------------------------------------------------


class BulkWriter:
    """Writes rows straight into a model's table: COPY on PostgreSQL, executemany elsewhere.

    ``fields`` are model field names (foreign keys by name: ``"meeting"``); values are plain
    Python values with dates as ISO strings (COPY text and SQLite both take them as they are).
    """

    def __init__(self, using: str = "default"):
        self.connection = connections[using]
        self.counts: Counter[str] = Counter()
        self.models: list[type[Model]] = []
        if self.connection.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                # A bigger page cache for this connection only: index inserts into
                # million-row tables otherwise thrash SQLite's default 2 MB cache.
                cursor.execute("PRAGMA cache_size = -262144")

    def write(self, model: type[Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
        if not rows:
            return
        meta = model._meta
        qn = self.connection.ops.quote_name
        columns = ", ".join(qn(meta.get_field(name).column) for name in fields)
        table = qn(meta.db_table)
        with self.connection.cursor() as cursor, self.connection.wrap_database_errors:
            if self.connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.counts[meta.db_table] += len(rows)
        if model not in self.models:
            self.models.append(model)


class BulkLoad:
    """Bulk-load mode for one transaction, the way pg_restore loads data.

    - Foreign-key triggers are skipped (``session_replication_role = replica``, superusers
      only) and every foreign key of the tables written is then checked in one set-based
      anti-join per key; any orphan aborts the transaction. Without the privilege, checks run
      per statement (``SET CONSTRAINTS ALL IMMEDIATE``): slower, same guarantee.
    - With ``rebuild_indexes``, the secondary (non-unique) indexes of the big tables are
      dropped and built again at the end, which is far faster than maintaining them row by
      row (unique indexes stay: they enforce constraints while rows go in). DDL is
      transactional, so a failure leaves the indexes as they were.

    CHECK and unique constraints are enforced as usual throughout. On SQLite only the index
    rebuild applies (its foreign-key checks are cheap in-process lookups).
    """

    BIG_TABLES = (Meeting, Meeting.countries.through, Participation, MeetingCitation, Source)

    def __init__(self, using: str, rebuild_indexes: bool):
        self.connection = connections[using]
        self.using = using
        self.rebuild_indexes = rebuild_indexes
        self.skipped_triggers = False
        self.dropped: list[str] = []
        self.timings: dict[str, float] = {}

    def __enter__(self) -> BulkLoad:
        if self.connection.vendor == "sqlite" and self.rebuild_indexes:
            tables = [m._meta.db_table for m in self.BIG_TABLES]
            marks = ", ".join(["%s"] * len(tables))
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks}) ORDER BY name",
                    tables,
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
                    self.dropped.append(definition)
        if self.connection.vendor != "postgresql":
            return self
        with self.connection.cursor() as cursor:
            try:
                with transaction.atomic(using=self.using):
                    cursor.execute("SET LOCAL session_replication_role = replica")
                self.skipped_triggers = True
            except DatabaseError:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if self.rebuild_indexes:
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                    "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) "
                    "AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1",
                    [[m._meta.db_table for m in self.BIG_TABLES]],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    self.dropped.append(definition)
        return self

    def finish(self, models: Iterable[type[Model]]) -> None:
        """Rebuild dropped indexes, check foreign keys, refresh the planner's statistics."""
        models = list(dict.fromkeys(models))
        with self.connection.cursor() as cursor:
            started = time.perf_counter()
            if self.connection.vendor == "postgresql":
                # GIN builds are much faster with room to sort in memory.
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self.dropped:
                cursor.execute(definition)
            self.dropped = []
            self.timings["rebuild indexes"] = time.perf_counter() - started
            if self.connection.vendor != "postgresql":
                return
            started = time.perf_counter()
            if self.skipped_triggers:
                check_foreign_keys(models, self.using)
            self.timings["check foreign keys"] = time.perf_counter() - started
            started = time.perf_counter()
            for model in models:
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}")
            self.timings["analyze"] = time.perf_counter() - started

    def __exit__(self, exc_type, exc, tb) -> None:
        # SET LOCAL lasts to the end of the outermost transaction: put things back for
        # whatever else runs in it (on failure, rolling back the savepoint does that).
        if exc_type is None and self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                if self.skipped_triggers:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                else:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def check_foreign_keys(models: Iterable[type[Model]], using: str) -> None:
    """Raise IntegrityError if a row of ``models`` points to a row that does not exist."""
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            for f in model._meta.concrete_fields:
                if not (f.is_relation and f.many_to_one and f.db_constraint):
                    continue
                target = f.target_field
                table, column = model._meta.db_table, f.column
                parent = f.related_model._meta.db_table
                cursor.execute(
                    f"SELECT c.{qn(column)} FROM {qn(table)} c WHERE c.{qn(column)} IS NOT NULL "
                    f"AND NOT EXISTS (SELECT 1 FROM {qn(parent)} p "
                    f"WHERE p.{qn(target.column)} = c.{qn(column)}) LIMIT 1"
                )
                orphan = cursor.fetchone()
                if orphan:
                    raise IntegrityError(
                        f"{table}.{column} = {orphan[0]} points to no row of {parent}."
                    )


def next_id(model: type[Model], using: str) -> int:
    return (model._default_manager.using(using).aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models: Iterable[type[Model]], using: str) -> None:
    """After explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- clearing -----------------------------------------------------------------------------


def synthetic_q(model: type[Model]) -> Q:
    name = "key" if model is Source else "slug"
    return Q(**{f"{name}__startswith": PREFIX})


def has_synthetic(using: str = "default") -> bool:
    return any(
        m._default_manager.using(using).filter(synthetic_q(m)).exists()
        for m in (Meeting, Source, Official, Post, Agreement, Initiative)
    )


def vacuum_big_tables(using: str = "default", analyze: bool = False) -> bool:
    """``VACUUM`` the big tables on PostgreSQL; False where it cannot run (SQLite, or inside
    a transaction, where VACUUM is not allowed)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    qn = connection.ops.quote_name
    tables = ", ".join(qn(m._meta.db_table) for m in BulkLoad.BIG_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {'ANALYZE ' if analyze else ''}{tables}")
    return True


def clear(using: str = "default") -> Counter[str]:
    """Delete every synthetic row and the rows that hang off it; curated rows stay.

    Plain SQL deletes, children first (the ORM's collector would load a million objects).
    Returns the number of rows deleted per table.
    """
    connection = connections[using]
    qn = connection.ops.quote_name

    def ids(model: type[Model]) -> str:
        key = "key" if model is Source else "slug"
        return f"SELECT id FROM {qn(model._meta.db_table)} WHERE {qn(key)} LIKE '{PREFIX}%%'"

    def fk(model: type[Model], name: str) -> str:
        return qn(model._meta.get_field(name).column)

    def where(model: type[Model], **links: type[Model]) -> tuple[type[Model], list[str]]:
        # One DELETE per link: "a IN (…) OR b IN (…)" keeps PostgreSQL from using a join,
        # and over millions of rows its per-row subplan never finishes.
        return model, [f"{fk(model, f)} IN ({ids(m)})" for f, m in links.items()]

    tenures = (
        f"SELECT id FROM {qn(Tenure._meta.db_table)} WHERE {fk(Tenure, 'official')} IN "
        f"({ids(Official)}) OR {fk(Tenure, 'post')} IN ({ids(Post)})"
    )
    steps: list[tuple[type[Model], str | list[str]]] = [
        where(Initiative.countries.through, initiative=Initiative),
        where(Initiative.groupings.through, initiative=Initiative),
        where(Initiative.meetings.through, initiative=Initiative, meeting=Meeting),
        where(Initiative.agreements.through, initiative=Initiative, agreement=Agreement),
        where(InitiativeCitation, initiative=Initiative, source=Source),
        where(AgreementMeeting, agreement=Agreement, meeting=Meeting),
        where(AgreementCitation, agreement=Agreement, source=Source),
        where(AgreementRelation, subject=Agreement, object=Agreement),
        where(AgreementStatusChange, agreement=Agreement, source=Source),
        where(Agreement.parties.through, agreement=Agreement),
        where(Agreement.party_groupings.through, agreement=Agreement),
        where(Participation, meeting=Meeting, official=Official, post=Post),
        where(Meeting.countries.through, meeting=Meeting),
        where(MeetingCitation, meeting=Meeting, source=Source),
        (Meeting, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Initiative, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Agreement, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (TenureCitation, f"{fk(TenureCitation, 'tenure')} IN ({tenures})"),
        where(TenureCitation, source=Source),
        (Tenure, f"id IN ({tenures})"),
        where(OfficialAlias, official=Official),
        (Official, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Post, f"{qn('slug')} LIKE '{PREFIX}%%'"),
        (Source, f"{qn('key')} LIKE '{PREFIX}%%'"),
    ]
    deleted: Counter[str] = Counter()
    parent = fk(Meeting, "parent")
    with (
        transaction.atomic(using=using),
        BulkLoad(using, rebuild_indexes=False) as load,
        connection.cursor() as cursor,
    ):
        # A curated meeting held on the sidelines of a synthetic one loses its parent.
        cursor.execute(
            f"UPDATE {qn(Meeting._meta.db_table)} SET {parent} = NULL WHERE {parent} IN "
            f"({ids(Meeting)}) AND {qn('slug')} NOT LIKE '{PREFIX}%%'"
        )
        for model, conditions in steps:
            for condition in [conditions] if isinstance(conditions, str) else conditions:
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE {condition}")
                deleted[model._meta.db_table] += max(cursor.rowcount, 0)
        if load.skipped_triggers:
            # Whatever still points at a deleted row (a curated record linked to synthetic
            # data in a way the steps above do not cover) aborts the whole clear.
            check_foreign_keys(_all_models(), using)
    return deleted


def _all_models() -> list[type[Model]]:
    from django.apps import apps

    found = []
    for model in apps.get_app_config("engagements").get_models():
        found.append(model)
        found.extend(f.remote_field.through for f in model._meta.local_many_to_many)
    return [m for m in dict.fromkeys(found) if not m.__name__.startswith("Historical")]


# --- generating ---------------------------------------------------------------------------


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


@dataclass
class TenureRow:
    id: int
    official: int
    start: int  # ordinal of the stored start date
    end: int | None  # ordinal of the end date, None while running on


class Synthesizer:
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
        self.n = meetings
        self.seed = seed
        self.using = using
        self.fast = meetings >= FAST_FROM if rebuild_indexes is None else rebuild_indexes
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.writer = BulkWriter(using)
        self.progress = progress or (lambda message: None)
        self._iso: dict[int, str] = {}
        self.report = Report(meetings, seed, connections[using].vendor, self.writer.counts)

    # -- small helpers ---------------------------------------------------------------------

    def iso(self, ordinal: int | None) -> str | None:
        if ordinal is None:
            return None
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    @staticmethod
    def month_start(ordinal: int) -> int:
        return dt.date.fromordinal(ordinal).replace(day=1).toordinal()

    @staticmethod
    def year_start(ordinal: int) -> int:
        return dt.date(dt.date.fromordinal(ordinal).year, 1, 1).toordinal()

    def partial_date(self, ordinal: int, unknown: float = 0.03) -> tuple[int | None, str]:
        """A date of random precision (mostly days), normalised as the model stores it."""
        r = self.rng.random()
        if r < unknown:
            return None, DatePrecision.UNKNOWN
        if r < 0.84:
            return ordinal, DatePrecision.DAY
        if r < 0.94:
            return self.month_start(ordinal), DatePrecision.MONTH
        return self.year_start(ordinal), DatePrecision.YEAR

    def words(self, n: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(n)).capitalize()

    def pick(self, items: Sequence):
        """``rng.choice`` without its overhead (this runs tens of millions of times)."""
        return items[int(self.random() * len(items))]

    def summary(self) -> str:
        pick = self.pick
        a, b = pick(TOPICS), pick(TOPICS)
        if a == b:
            b = TOPICS[(TOPICS.index(a) + 1) % len(TOPICS)]
        text = f"The sides reviewed {a} and {b}, and agreed to {pick(ACTIONS)}."
        if self.random() < 0.5:
            text += f" They also discussed {pick(TOPICS)} in {pick(REGIONS)}."
        return text

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
                [Source, Official, Post, Tenure, Meeting, Agreement, Initiative], self.using
            )
            self.timed("agreements, initiatives", started)
            load.finish(self.writer.models)
            self.report.timings.update(load.timings)
        if self.fast:
            # Set the visibility map, so index-only scans skip the heap (autovacuum would,
            # later).
            started = time.perf_counter()
            if vacuum_big_tables(self.using):
                self.timed("vacuum", started)
        return self.report

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
        self.writer.write(
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
        self.writer.write(Post, ["id", "slug", "title", "country", "organisation"], posts)
        self.writer.write(
            Official, ["id", "slug", "name", "honorific", "country", "notes"], officials
        )
        self.writer.write(
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
        self.writer.write(TenureCitation, ["tenure", "source", "paragraph", "note"], citations)

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
        self.writer.write(
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
        self.writer.write(
            Initiative.countries.through, ["initiative", "country"], self.initiative_countries
        )
        self.writer.write(
            InitiativeCitation,
            ["initiative", "source", "paragraph", "note"],
            self.initiative_citations,
        )
        self.initiatives, self.initiative_countries, self.initiative_citations = [], [], []

    def make_meetings(self) -> None:
        first = next_id(Meeting, self.using)
        self.meeting0 = first
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
        meetings, countries, participants, citations = [], [], [], []
        last_of_partner: dict[int, int] = {}
        span = LAST_MEETING - FIRST_MEETING
        roles = ("delegate", "participant", "speaker")
        for offset in range(size):
            pk = first_id + offset
            index = first_index + offset
            # More meetings in recent years.
            day = FIRST_MEETING + int(span * random() ** 0.7)
            start, end, precision = self.meeting_dates(day)
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
                participants.append(
                    (pk, tenure.official, post if random() < 0.92 else None, role, "")
                )
            for source in self.source_ids(index / max(self.n, 1), 1 + (random() < 0.5)):
                citations.append((pk, source, 1 + int(random() * 12), ""))
        self.writer.write(
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
        self.writer.write(Meeting.countries.through, ["meeting", "country"], countries)
        self.writer.write(
            Participation, ["meeting", "official", "post", "role", "note"], participants
        )
        self.writer.write(MeetingCitation, ["meeting", "source", "paragraph", "note"], citations)

    def meeting_dates(self, day: int) -> tuple[int | None, int | None, str]:
        """Start, end (spans) and precision, stored the way the model's constraints want."""
        random = self.random
        r = random()
        spans = random()
        if r < 0.80:
            return day, (day + 1 + int(random() * 5) if spans < 0.2 else None), DatePrecision.DAY
        if r < 0.90:
            start = self.month_start(day)
            end = self.month_start(start + 31) if spans < 0.15 else None
            return start, end, DatePrecision.MONTH
        if r < 0.96:
            start = self.year_start(day)
            end = self.year_start(start + 366) if spans < 0.1 else None
            return start, end, DatePrecision.YEAR
        return None, None, DatePrecision.UNKNOWN

    def meeting_title(self, kind, partner, grouping, edition, mechanism) -> str:
        pick = self.pick
        if kind == MeetingKind.MECHANISM and mechanism:
            label = f"India–{partner} dialogue"
            return f"{ordinal_suffix(edition)} session, {label}" if edition else label
        if kind == MeetingKind.MULTILATERAL and grouping:
            return f"{grouping[1]} meeting on {pick(TOPICS)}"
        if kind == MeetingKind.BILATERAL:
            return f"India–{partner} defence talks on {pick(TOPICS)}"
        if kind == MeetingKind.VISIT:
            return f"Visit of the {pick(POSTS)[0]} to {partner}"
        if kind == MeetingKind.CALL:
            return f"Courtesy call by the {pick(POSTS)[0]} of {partner}"
        if kind == MeetingKind.INDUSTRY:
            return f"India–{partner} defence industry roundtable"
        if kind == MeetingKind.SUMMIT:
            return f"India–{partner} summit"
        return f"India–{partner} workshop on {pick(TOPICS)}"

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
        self.writer.write(
            Agreement, ["id", "slug", "title", "short_name", "kind", "summary"], agreements
        )
        self.writer.write(Agreement.parties.through, ["agreement", "country"], parties)
        self.writer.write(Agreement.party_groupings.through, ["agreement", "grouping"], groupings)
        self.writer.write(
            AgreementStatusChange,
            ["agreement", "status", "date", "precision", "source", "paragraph", "note"],
            history,
        )
        self.writer.write(AgreementMeeting, ["agreement", "meeting", "role"], links)
        self.writer.write(
            AgreementCitation, ["agreement", "source", "paragraph", "note"], citations
        )
        self.writer.write(AgreementRelation, ["subject", "kind", "object", "note"], relations)

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
        self.writer.write(Initiative.meetings.through, ["initiative", "meeting"], meetings)
        self.writer.write(Initiative.agreements.through, ["initiative", "agreement"], agreements)
        self.writer.write(Initiative.groupings.through, ["initiative", "grouping"], groupings)


def synthesize(
    meetings: int,
    seed: int = 1,
    using: str = "default",
    progress: Callable[[str], None] | None = None,
    rebuild_indexes: bool | None = None,
) -> Report:
    """Generate and write the synthetic world (see the module docstring)."""
    return Synthesizer(meetings, seed, using, progress, rebuild_indexes).run()
