"""Country-year panels: India × partner × year, in the form of DCAD and ATOP.

``country_year_panel`` gives one row for every partner and every year in range, zeros
included (a panel, not a list of events), counted in the database by a few GROUP BY queries
whatever the number of partners. ``COLUMNS`` declares its columns for the codebook, the CSV
header and the JSON; ``undated_counts`` gives, per partner, what the panel leaves out because
its date is unknown. The rules (which meetings count, in which year, for whom) are stated in
``RULES`` and in docs/panels.md, and the tests hold the code to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from . import levels
from .joinkeys import join_keys
from .models import (
    Agreement,
    AgreementStatus,
    AgreementStatusChange,
    Country,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Outcome,
    OutcomeKind,
    Participation,
)

INDIA = "IN"

#: The widest year range a panel may cover (a guard against a request for ten thousand years).
EARLIEST, LATEST = 1900, 2100


@dataclass(frozen=True)
class PanelColumn:
    """One column of a panel: its name (CSV header, JSON key), type and meaning."""

    name: str
    type: str
    description: str
    #: Part of the row's key (partner and year) rather than a count.
    key: bool = False


def _key_columns() -> tuple[PanelColumn, ...]:
    return (
        PanelColumn(
            "partner_iso2", "string", "The partner's ISO 3166-1 alpha-2 code (defrel's key).", True
        ),
        PanelColumn("partner_iso3", "string", "The partner's ISO 3166-1 alpha-3 code.", True),
        PanelColumn("partner_name", "string", "The partner's common English name.", True),
        PanelColumn(
            "partner_m49",
            "integer",
            "UN M49 numeric code of the partner (zero-pad to three digits for the text "
            "form); empty where the UN assigns none (Taiwan, Kosovo).",
        ),
        PanelColumn(
            "partner_gwcode",
            "integer",
            "Gleditsch–Ward state number of the partner; empty for a territory with none. "
            "Differs from the Correlates of War ccode for a few states (docs/panels.md).",
        ),
        PanelColumn(
            "partner_wikidata",
            "string",
            "The partner's Wikidata QID (Q884), where a curator has filled it; else empty.",
        ),
        PanelColumn("year", "integer", "The calendar year.", True),
    )


def _count_columns() -> tuple[PanelColumn, ...]:
    held = "held meetings with the partner taking part that began in the year"
    columns = [
        PanelColumn("meetings", "integer", f"All {held}."),
    ]
    columns += [
        PanelColumn(f"meetings_{kind.value}", "integer", f"{kind.label}: {held}.")
        for kind in MeetingKind
    ]
    columns += [
        PanelColumn(
            f"meetings_level_{level}",
            "integer",
            f"{levels.LABELS[level]}: {held}, at this level (the highest post held by anyone "
            "taking part; see the level rule).",
        )
        for level in (*levels.LEVELS, levels.UNKNOWN)
    ]
    columns.append(
        PanelColumn(
            "mechanism_sessions",
            "integer",
            f"Sessions of a standing mechanism (a dialogue, a joint committee): {held} that "
            "are recorded as a session of a mechanism.",
        )
    )
    columns += [
        PanelColumn(
            f"agreements_{status.value}",
            "integer",
            f"Agreements with the partner as a party whose status step “{status.label}” is "
            "dated in the year (reached then, or reported at that step then).",
        )
        for status in AgreementStatus
    ]
    columns.append(
        PanelColumn(
            "agreements_in_force_end",
            "integer",
            "Agreements with the partner as a party in force on 31 December: an in-force step "
            "dated by then and no expiry step dated after it by then.",
        )
    )
    columns += [
        PanelColumn(
            f"outcomes_{kind.value}",
            "integer",
            f"Outcomes “{kind.label}” of the held meetings that began in the year, with the "
            "partner among their actors or targets (or, when they name no partner, taking "
            "part in the meeting).",
        )
        for kind in OutcomeKind
    ]
    return tuple(columns)


KEY_COLUMNS = _key_columns()
COUNT_COLUMNS = _count_columns()
#: Every column of the country-year panel, in order.
COLUMNS: tuple[PanelColumn, ...] = KEY_COLUMNS + COUNT_COLUMNS

UNDATED_COLUMNS: tuple[PanelColumn, ...] = (
    *(c for c in KEY_COLUMNS if c.name != "year"),
    PanelColumn("undated_meetings", "integer", "Held meetings with the partner and no date."),
    PanelColumn(
        "undated_agreement_steps",
        "integer",
        "Status steps of agreements with the partner as a party that have no date.",
    ),
    PanelColumn(
        "undated_outcomes",
        "integer",
        "Outcomes for the partner (as in the panel) of held meetings with no date.",
    ),
)

#: The counting rules in words, for the page, the JSON and the codebook.
RULES = (
    "One row for every partner and every year from the first to the last, with zeros: a "
    "partner is a country other than India in a meeting, agreement or initiative.",
    "Only held meetings count; scheduled and cancelled ones do not. A meeting counts once for "
    "each partner taking part (a multilateral meeting counts for each of its countries).",
    "A meeting counts in the year of its start date, whatever its precision (day, month or "
    "year): a meeting in “2024” or “November 2024” counts in 2024; a span counts in the year "
    "it began. Outcomes count in their meeting's year.",
    "An agreement step counts in the year of its date, at any precision; an agreement counts "
    "for each partner country among its parties (a grouping as a party, such as ASEAN, is not "
    "expanded to its members).",
    "Records whose date is unknown are left out of the panel and counted per partner in the "
    "separate ‘undated’ table.",
    "Level: the highest post held by anyone taking part: head of state or government (a "
    "title beginning “Prime Minister” or “President”, or King, Chancellor, Emir…), minister "
    "(a title with “Minister”, or beginning “Secretary of ” or “Vice President”), else "
    "official; unknown when no participant has a recorded post.",
)


def as_csv(columns: Iterable[PanelColumn], rows: Iterable[dict]) -> str:
    """The rows as CSV with a header of the column names (LF line ends, the same bytes on
    every database; an empty cell for a missing code), for the page and the releases."""
    columns = list(columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow(["" if row[c.name] is None else row[c.name] for c in columns])
    return out.getvalue()


# --- partners and years ---------------------------------------------------------------------


def partner_countries(partners: Iterable | None = None) -> list[Country]:
    """The partners of a panel: all of India's partners, or those given (Country rows, ISO
    codes or names), ordered by ISO alpha-3. Raises ``Country.DoesNotExist`` naming a text
    that names no country, and ``ValueError`` for India itself."""
    if partners is None:
        return list(Country.objects.partners().order_by("iso3"))
    chosen: dict[int, Country] = {}
    for partner in partners:
        country = partner if isinstance(partner, Country) else Country.objects.resolve(partner)
        if country.iso2 == INDIA:
            raise ValueError("India is one side of every row: choose its partners.")
        chosen[country.pk] = country
    return sorted(chosen.values(), key=lambda c: c.iso3)


def data_years() -> tuple[int, int] | None:
    """The first and last year of any dated held meeting or agreement step (None if none)."""
    meetings = Meeting.objects.filter(status=MeetingStatus.HELD).aggregate(
        first=Min("start_date"), last=Max("start_date")
    )
    steps = AgreementStatusChange.objects.aggregate(first=Min("date"), last=Max("date"))
    firsts = [d for d in (meetings["first"], steps["first"]) if d]
    lasts = [d for d in (meetings["last"], steps["last"]) if d]
    if not firsts:
        return None
    return min(firsts).year, max(lasts).year


def year_range(first: int | None = None, last: int | None = None) -> tuple[int, int] | None:
    """The years of a panel: those given, the data's for those not given. ``ValueError``
    says what is wrong with a range (reversed, outside 1900–2100)."""
    if first is None or last is None:
        years = data_years()
        if years is None:  # no dated record: a lone year given stands for both
            if first is None and last is None:
                return None
            first, last = (
                (last, last) if first is None else (first, first if last is None else last)
            )
        else:
            first = years[0] if first is None else first
            last = years[1] if last is None else last
    for name, year in (("first", first), ("last", last)):
        if not EARLIEST <= year <= LATEST:
            raise ValueError(f"The {name} year {year} is outside {EARLIEST}–{LATEST}.")
    if first > last:
        raise ValueError(f"The first year ({first}) is after the last ({last}).")
    return first, last


# --- counting in the database ---------------------------------------------------------------


class _Counter:
    """The GROUP BY queries of a panel, each keyed (country id, year, what).

    ``years`` is (first, last) for the dated panel, or None for the undated counts (year
    None). ``ids`` restricts the partners (None: every country but India).
    """

    def __init__(self, india_id: int | None, ids: list[int] | None, years):
        self.india_id = india_id
        self.ids = ids
        self.years = years

    def partners(self, qs: QuerySet, country: str = "country_id") -> QuerySet:
        qs = qs.exclude(**{country: self.india_id}) if self.india_id else qs
        return qs.filter(**{f"{country}__in": self.ids}) if self.ids is not None else qs

    def dated(self, qs: QuerySet, date: str) -> QuerySet:
        """Rows whose ``date`` falls in the years (annotated ``year``), or has no date."""
        if self.years is None:
            return qs.filter(**{f"{date}__isnull": True})
        first, last = self.years
        return qs.filter(
            **{f"{date}__gte": dt.date(first, 1, 1), f"{date}__lte": dt.date(last, 12, 31)}
        ).annotate(year=ExtractYear(date))

    def group(self, qs: QuerySet, *what: str, count: str = "pk", distinct=False) -> dict:
        """{(country id, year, *what): n} from one GROUP BY query."""
        year = ("year",) if self.years is not None else ()
        rows = qs.values("country_id", *year, *what).annotate(n=Count(count, distinct=distinct))
        return {
            (r["country_id"], r.get("year"), *(r[w] for w in what)): r["n"] for r in rows.order_by()
        }

    # Meetings: by kind (with sessions of mechanisms), and by level.

    def held_meetings(self) -> QuerySet:
        through = Meeting.countries.through
        qs = self.partners(through.objects.filter(meeting__status=MeetingStatus.HELD))
        return self.dated(qs, "meeting__start_date")

    def meetings(self, with_levels: bool = True) -> dict:
        """{(country, year, kind, session, rank): meetings} in one query: the held meetings
        joined to a derived table of each meeting's highest post rank (``levels``).

        A join, not a correlated subquery per row, so the database hashes both sides once
        (the ORM cannot join a derived table, so the two compiled queries are put together
        here; each is the ORM's own SQL with its parameters).
        """
        rows = self.held_meetings().annotate(
            cid=F("country_id"),
            mid=F("meeting_id"),
            kind=F("meeting__kind"),
            session=Case(
                When(meeting__mechanism__isnull=False, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        year = ", o.year" if self.years is not None else ""
        rows = rows.values("cid", *(["year"] if year else []), "mid", "kind", "session")
        if not with_levels:
            found = [
                (r["cid"], *([r["year"]] if year else []), r["kind"], r["session"], None, r["n"])
                for r in rows.values("cid", *(["year"] if year else []), "kind", "session")
                .annotate(n=Count("pk"))
                .order_by()
            ]
            return self._keyed(found)
        ranks = (
            Participation.posts.through.objects.values(mid=F("participation__meeting_id"))
            .annotate(rank=Max(levels.post_rank("post_id", levels.ranked_posts())))
            .order_by()
        )
        rows_sql, rows_params = rows.order_by().query.sql_with_params()
        ranks_sql, ranks_params = ranks.query.sql_with_params()
        sql = (
            f"SELECT o.cid{year}, o.kind, o.session, r.rank, COUNT(*) "
            f"FROM ({rows_sql}) o LEFT JOIN ({ranks_sql}) r ON r.mid = o.mid "
            f"GROUP BY o.cid{year}, o.kind, o.session, r.rank"
        )
        # The database the router reads these models from (a replica, if there is one).
        using = rows.db
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            if connections[using].vendor == "postgresql":
                # Hash the groups in memory rather than sort them on disk; no JIT for a
                # query that runs once.
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, (*rows_params, *ranks_params))
            found = cursor.fetchall()
        return self._keyed(found)

    def _keyed(self, found) -> dict:
        if self.years is None:
            return {(cid, None, *rest): n for cid, *rest, n in found}
        return {(cid, int(year), *rest): n for cid, year, *rest, n in found}

    # Agreements: steps by status; the in-force stock is read in ``in_force_at_year_end``.

    def agreement_steps(self) -> dict:
        """Dated: {(country, year, status): agreements}; undated: {(country, None): steps}."""
        qs = self.partners(
            AgreementStatusChange.objects.annotate(country_id=F("agreement__parties")).filter(
                country_id__isnull=False
            )
        )
        qs = self.dated(qs, "date")
        if self.years is None:
            return self.group(qs)
        return self.group(qs, "status", count="agreement_id", distinct=True)

    # Outcomes: for each partner among actors or targets, else for the meeting's partners.

    def outcomes(self) -> dict:
        """{(country, year, kind): outcomes}: three GROUP BY queries (as actor; as target and
        not actor; naming no partner, for the meeting's partners)."""
        actors, targets = Outcome.actors.through, Outcome.targets.through
        held = {"outcome__meeting__status": MeetingStatus.HELD}
        as_actor = self.dated(
            self.partners(actors.objects.filter(**held)), "outcome__meeting__start_date"
        ).annotate(kind=F("outcome__kind"))
        also_actor = actors.objects.filter(
            outcome_id=OuterRef("outcome_id"), country_id=OuterRef("country_id")
        )
        as_target = (
            self.dated(
                self.partners(targets.objects.filter(**held)), "outcome__meeting__start_date"
            )
            .annotate(kind=F("outcome__kind"))
            .filter(~Exists(also_actor))
        )
        named = {"country_id": self.india_id} if self.india_id else {}
        names_partner = Exists(
            actors.objects.filter(outcome_id=OuterRef("pk")).exclude(**named)
        ) | Exists(targets.objects.filter(outcome_id=OuterRef("pk")).exclude(**named))
        unnamed = Outcome.objects.filter(meeting__status=MeetingStatus.HELD).filter(~names_partner)
        unnamed = self.partners(
            unnamed.annotate(country_id=F("meeting__countries")).filter(country_id__isnull=False)
        )
        unnamed = self.dated(unnamed, "meeting__start_date")
        counts: dict = defaultdict(int)
        for part in (
            self.group(as_actor, "kind"),
            self.group(as_target, "kind"),
            self.group(unnamed, "kind"),
        ):
            for key, n in part.items():
                counts[key] += n
        return counts


def in_force_at_year_end(ids: set[int], first: int, last: int) -> dict:
    """{(country id, year): agreements in force on 31 December}, from the dated in-force and
    expiry steps (one query for the steps, one for the parties).

    Each agreement is walked once: the status on 31 December of a year is that of the last
    step dated by then, so it changes only in a year with a step, and each run of years in
    force adds one at its start and takes one off after its end; a running sum per partner
    over the years gives the stock (work in steps plus partners × years, not in agreements ×
    years).
    """
    steps = AgreementStatusChange.objects.filter(
        status__in=[AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED],
        date__isnull=False,
        date__lte=dt.date(last, 12, 31),
    ).values_list("agreement_id", "status", "date")
    by_agreement: dict[int, list] = defaultdict(list)
    for agreement_id, status, date in steps.order_by():
        # On one date an expiry ends what an in-force step began.
        by_agreement[agreement_id].append((date, status == AgreementStatus.EXPIRED, status))
    if not by_agreement:
        return {}
    parties = Agreement.parties.through.objects.filter(
        agreement_id__in=list(by_agreement), country_id__in=ids
    ).values_list("agreement_id", "country_id")
    partners_of: dict[int, list[int]] = defaultdict(list)
    for agreement_id, country_id in parties.order_by():
        partners_of[agreement_id].append(country_id)
    # change[(country, year)]: agreements coming into force at that year's end, less those
    # no longer in force.
    change: dict = defaultdict(int)
    for agreement_id, countries in partners_of.items():
        for start, end in _years_in_force(by_agreement[agreement_id], first, last):
            for country_id in countries:
                change[(country_id, start)] += 1
                change[(country_id, end + 1)] -= 1
    counts: dict = {}
    for country_id in {cid for cid, _ in change}:
        running = 0
        for year in range(first, last + 1):
            running += change.get((country_id, year), 0)
            if running:
                counts[(country_id, year)] = running
    return counts


def _years_in_force(steps: list, first: int, last: int) -> list[tuple[int, int]]:
    """The runs of years (first, last, clipped to the panel's) at whose end an agreement with
    ``steps`` ((date, is expiry, status), dated by ``last``) is in force."""
    at_year_end: dict[int, str] = {}
    for date, _, status in sorted(steps):  # the year's last step is its status at year end
        at_year_end[date.year] = status
    years = sorted(at_year_end)
    runs = []
    for i, year in enumerate(years):
        until = years[i + 1] - 1 if i + 1 < len(years) else last
        start, end = max(year, first), min(until, last)
        if at_year_end[year] == AgreementStatus.IN_FORCE and start <= end:
            runs.append((start, end))
    return runs


# --- the panel --------------------------------------------------------------------------------


def _keys(country: Country) -> dict:
    codes = join_keys(country.iso3)
    return {
        "partner_iso2": country.iso2,
        "partner_iso3": country.iso3,
        "partner_name": country.name,
        "partner_m49": codes.m49,
        "partner_gwcode": codes.gwcode,
        "partner_wikidata": country.wikidata,
    }


def _india_id() -> int | None:
    return Country.objects.filter(iso2=INDIA).values_list("pk", flat=True).first()


def country_year_panel(
    partners: Iterable | None = None, first: int | None = None, last: int | None = None
) -> list[dict]:
    """India × partner × year: one dict per partner and year (columns as in ``COLUMNS``),
    ordered by partner ISO alpha-3 and year. ``partners``: Country rows, ISO codes or names
    (default: all of India's partners); ``first``/``last``: years (default: the data's)."""
    countries = partner_countries(partners)
    years = year_range(first, last)
    if not countries or years is None:
        return []
    first, last = years
    ids = [c.pk for c in countries]
    counter = _Counter(_india_id(), None if partners is None else ids, years)

    meetings = counter.meetings()
    steps = counter.agreement_steps()
    in_force = in_force_at_year_end(set(ids), first, last)
    outcomes = counter.outcomes()

    # Fold the grouped counts into per-(country, year) dicts of column values.
    cells: dict = defaultdict(lambda: defaultdict(int))
    for (cid, year, kind, session, rank), n in meetings.items():
        cell = cells[(cid, year)]
        cell["meetings"] += n
        cell[f"meetings_{kind}"] += n
        cell[f"meetings_level_{levels.LEVEL_OF_RANK[rank]}"] += n
        if session:
            cell["mechanism_sessions"] += n
    for (cid, year, status), n in steps.items():
        cells[(cid, year)][f"agreements_{status}"] += n
    for (cid, year), n in in_force.items():
        cells[(cid, year)]["agreements_in_force_end"] += n
    for (cid, year, kind), n in outcomes.items():
        cells[(cid, year)][f"outcomes_{kind}"] += n

    names = [c.name for c in COUNT_COLUMNS]
    rows = []
    for country in countries:
        keys = _keys(country)
        for year in range(first, last + 1):
            cell = cells.get((country.pk, year), {})
            row = {**keys, "year": year}
            row.update({name: cell.get(name, 0) for name in names})
            rows.append({c.name: row[c.name] for c in COLUMNS})
    return rows


def undated_counts(partners: Iterable | None = None) -> list[dict]:
    """Per partner, what the panel leaves out for want of a date (``UNDATED_COLUMNS``)."""
    countries = partner_countries(partners)
    if not countries:
        return []
    ids = [c.pk for c in countries]
    counter = _Counter(_india_id(), None if partners is None else ids, None)
    meetings: dict = defaultdict(int)
    for (cid, *_), n in counter.meetings(with_levels=False).items():
        meetings[cid] += n
    steps = counter.agreement_steps()
    outcomes: dict = defaultdict(int)
    for (cid, _, _kind), n in counter.outcomes().items():
        outcomes[cid] += n
    return [
        {
            **{k: v for k, v in _keys(country).items()},
            "undated_meetings": meetings.get(country.pk, 0),
            "undated_agreement_steps": steps.get((country.pk, None), 0),
            "undated_outcomes": outcomes.get(country.pk, 0),
        }
        for country in countries
    ]
