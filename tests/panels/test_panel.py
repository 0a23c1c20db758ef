"""The country-year panel against the seed: its shape, and its counts recomputed here.

The expected counts are worked out record by record through the ORM (``expected_panel``),
independently of the GROUP BY queries in engagements/panels.py, then compared cell by cell.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from engagements import levels, panels
from engagements.joinkeys import COW_DIFFERS, GW_CORRECTIONS, join_keys
from engagements.models import (
    Agreement,
    AgreementStatus,
    AgreementStatusChange,
    Country,
    Meeting,
    MeetingStatus,
    Outcome,
)

pytestmark = pytest.mark.django_db

COUNTS = [c.name for c in panels.COUNT_COLUMNS]


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c.name for c in panels.COLUMNS])


def meeting_level(meeting: Meeting) -> str:
    found = [
        levels.level_of_title(post.title)
        for participation in meeting.participations.all()
        for post in participation.posts.all()
    ]
    for level in levels.LEVELS:
        if level in found:
            return level
    return levels.UNKNOWN


def outcome_partners(outcome: Outcome) -> set[str]:
    named = {c.iso2 for c in [*outcome.actors.all(), *outcome.targets.all()]} - {"IN"}
    if named:
        return named
    return {c.iso2 for c in outcome.meeting.countries.all()} - {"IN"}


def expected_panel(first: int, last: int) -> dict[tuple[str, int], Counter]:
    """{(partner ISO2, year): Counter of column → count}, record by record."""
    cells: dict = {}

    def add(iso2, year, column, n=1):
        if first <= year <= last:
            cells.setdefault((iso2, year), Counter())[column] += n

    for meeting in Meeting.objects.filter(status=MeetingStatus.HELD, start_date__isnull=False):
        year = meeting.start_date.year
        for country in meeting.countries.exclude(iso2="IN"):
            add(country.iso2, year, "meetings")
            add(country.iso2, year, f"meetings_{meeting.kind}")
            add(country.iso2, year, f"meetings_level_{meeting_level(meeting)}")
            if meeting.mechanism_id:
                add(country.iso2, year, "mechanism_sessions")
        for outcome in meeting.outcomes.all():
            for iso2 in outcome_partners(outcome):
                add(iso2, year, f"outcomes_{outcome.kind}")
    for agreement in Agreement.objects.all():
        partners = [c.iso2 for c in agreement.parties.exclude(iso2="IN")]
        steps = list(agreement.status_history.exclude(date=None))
        for status in {(s.status, s.date.year) for s in steps}:
            for iso2 in partners:
                add(iso2, status[1], f"agreements_{status[0]}")
        for year in range(first, last + 1):
            by_end = sorted(
                (s.date, s.status == AgreementStatus.EXPIRED, s.status)
                for s in steps
                if s.status in (AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED)
                and s.date <= dt.date(year, 12, 31)
            )
            if by_end and by_end[-1][2] == AgreementStatus.IN_FORCE:
                for iso2 in partners:
                    add(iso2, year, "agreements_in_force_end")
    return cells


def assert_matches(rows, first, last):
    expected = expected_panel(first, last)
    for row in rows:
        want = expected.get((row["partner_iso2"], row["year"]), Counter())
        got = {name: row[name] for name in COUNTS if row[name]}
        assert got == dict(want), (row["partner_iso2"], row["year"])
    found = {(r["partner_iso2"], r["year"]) for r in rows}
    partners = {iso2 for iso2, _ in found}
    assert {key for key in expected if key[0] in partners} <= found


def test_panel_shape_is_every_partner_in_every_year_once_without_gaps():
    rows = panels.country_year_panel()
    df = frame(rows)
    partners = Country.objects.partners()
    first, last = panels.data_years()
    years = last - first + 1
    assert len(df) == partners.count() * years
    assert not df.duplicated(["partner_iso3", "year"]).any()
    assert set(df["partner_iso3"]) == set(partners.values_list("iso3", flat=True))
    assert sorted(df["year"].unique()) == list(range(first, last + 1))
    assert df.groupby("partner_iso3").size().eq(years).all()
    assert not df[[*COUNTS, "partner_iso3", "year"]].isna().any().any()
    assert (df[COUNTS] >= 0).all().all()
    # Ordered by partner code, then year.
    assert list(df.itertuples(index=False)) == list(
        df.sort_values(["partner_iso3", "year"]).itertuples(index=False)
    )
    # The seed starts with a signing dated only to its year (1993) and reaches 2025.
    earliest = AgreementStatusChange.objects.exclude(date=None).order_by("date").first()
    assert first == min(
        earliest.date.year,
        Meeting.objects.exclude(start_date=None)
        .filter(status=MeetingStatus.HELD)
        .order_by("start_date")
        .first()
        .start_date.year,
    )


def test_panel_counts_match_the_records_one_by_one():
    first, last = panels.data_years()
    rows = panels.country_year_panel()
    assert_matches(rows, first, last)
    df = frame(rows)
    # Not all zeros: the comparison above compares something.
    assert df["meetings"].sum() == sum(
        m.countries.exclude(iso2="IN").count()
        for m in Meeting.objects.filter(status=MeetingStatus.HELD, start_date__isnull=False)
    )
    assert df["meetings_level_head"].sum() > 0 and df["meetings_level_minister"].sum() > 0
    assert df["agreements_signed"].sum() > 0 and df["outcomes_agree"].sum() > 0
    levels_total = df[[f"meetings_level_{lv}" for lv in (*levels.LEVELS, "unknown")]].sum(axis=1)
    assert (levels_total == df["meetings"]).all()
    kinds_total = df[[c for c in COUNTS if c.startswith("meetings_") and "level" not in c]]
    assert (kinds_total.sum(axis=1) == df["meetings"]).all()


def test_a_few_cells_against_direct_queries():
    rows = {(r["partner_iso2"], r["year"]): r for r in panels.country_year_panel()}
    sg, kr, my = (Country.objects.get(iso2=c) for c in ("SG", "KR", "MY"))
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert (
        rows[("SG", 2025)]["meetings"] == held.filter(countries=sg, start_date__year=2025).count()
    )
    # A visit dated only to its year counts in that year.
    assert held.filter(countries=sg, start_date__year=2024, date_precision="year").exists()
    assert (
        rows[("SG", 2024)]["meetings_visit"]
        == held.filter(countries=sg, start_date__year=2024, kind="visit").count()
    )
    # A scheduled session is not counted.
    scheduled = Meeting.objects.filter(countries=kr, status=MeetingStatus.SCHEDULED).first()
    assert scheduled is not None
    year = scheduled.start_date.year
    assert (
        rows[("KR", year)]["meetings"] == held.filter(countries=kr, start_date__year=year).count()
    )
    assert rows[("KR", 2020)]["agreements_signed"] == (
        Agreement.objects.filter(
            parties=kr, status_history__status="signed", status_history__date__year=2020
        )
        .distinct()
        .count()
    )
    assert rows[("MY", 1993)]["agreements_signed"] == 1
    assert rows[("MY", 1994)]["agreements_signed"] == 0  # zeros, not gaps
    assert (
        rows[("MY", 2023)]["outcomes_conclude"]
        == Outcome.objects.filter(
            kind="conclude", meeting__start_date__year=2023, actors=my
        ).count()
    )


def test_agreements_in_force_at_year_end_follow_in_force_and_expiry_steps():
    kr = Country.objects.get(iso2="KR")
    india = Country.objects.get(iso2="IN")
    agreement = Agreement.objects.create(slug="test-in-force", title="A test pact", kind="mou")
    agreement.parties.set([india, kr])
    for status, date, precision in (
        ("signed", dt.date(2019, 9, 1), "month"),
        ("in_force", dt.date(2020, 1, 1), "year"),
        ("under_review", dt.date(2021, 6, 1), "month"),
        ("expired", dt.date(2023, 3, 4), "day"),
        ("in_force", None, "unknown"),
    ):
        AgreementStatusChange.objects.create(
            agreement=agreement, status=status, date=date, precision=precision
        )
    rows = {r["year"]: r for r in panels.country_year_panel(["KR"], 2018, 2024)}
    assert [rows[y]["agreements_in_force_end"] for y in range(2018, 2025)] == [
        0,
        0,
        1,
        1,
        1,
        0,
        0,
    ]
    assert rows[2020]["agreements_in_force"] == 1 and rows[2023]["agreements_expired"] == 1
    assert_matches(list(rows.values()), 2018, 2024)
    undated = panels.undated_counts(["KR"])[0]
    assert (
        undated["undated_agreement_steps"]
        == AgreementStatusChange.objects.filter(agreement__parties=kr, date=None).count()
    )


def test_in_force_stock_across_the_first_year_a_lapse_and_several_partners():
    # In force before the panel's first year, expired on a 31 December, in force again; a
    # second pact adds to the same years; both partners count each.
    def stock():
        rows = panels.country_year_panel(["KR", "JP"], 2017, 2023)
        return rows, {(r["partner_iso2"], r["year"]): r["agreements_in_force_end"] for r in rows}

    _, before = stock()
    india, kr, jp = (Country.objects.get(iso2=c) for c in ("IN", "KR", "JP"))
    lapse = (("in_force", 2015, 5, 1), ("expired", 2019, 12, 31), ("in_force", 2021, 2, 1))
    for slug, steps in (("test-lapse", lapse), ("test-later", (("in_force", 2022, 7, 1),))):
        agreement = Agreement.objects.create(slug=slug, title=slug, kind="mou")
        agreement.parties.set([india, kr, jp])
        for status, *date in steps:
            AgreementStatusChange.objects.create(
                agreement=agreement, status=status, date=dt.date(*date), precision="day"
            )
    rows, after = stock()
    for iso2 in ("KR", "JP"):
        added = [after[(iso2, y)] - before[(iso2, y)] for y in range(2017, 2024)]
        assert added == [1, 1, 0, 0, 1, 2, 2], iso2
    assert_matches(rows, 2017, 2023)


def test_undated_records_are_left_out_and_counted_apart():
    gb = Country.objects.get(iso2="GB")
    undated_meetings = Meeting.objects.filter(
        countries=gb, status=MeetingStatus.HELD, start_date=None
    )
    assert undated_meetings.exists()
    rows = panels.country_year_panel(["GB"])
    dated = Meeting.objects.filter(countries=gb, status=MeetingStatus.HELD).exclude(start_date=None)
    assert sum(r["meetings"] for r in rows) == dated.count()
    counted = {r["partner_iso2"]: r for r in panels.undated_counts()}
    assert counted["GB"]["undated_meetings"] == undated_meetings.count()
    assert counted["GB"]["undated_outcomes"] == sum(
        1
        for o in Outcome.objects.filter(meeting__in=undated_meetings)
        if "GB" in outcome_partners(o)
    )
    assert (
        counted["GB"]["undated_agreement_steps"]
        == AgreementStatusChange.objects.filter(agreement__parties=gb, date=None).count()
    )


def test_filter_by_partners_and_years():
    rows = panels.country_year_panel(["SGP", "Japan"], 2019, 2025)
    assert [(r["partner_iso3"], r["year"]) for r in rows] == [
        (code, y) for code in ("JPN", "SGP") for y in range(2019, 2026)
    ]
    assert_matches(rows, 2019, 2025)
    # Years outside the data still give rows, all zeros.
    quiet = panels.country_year_panel(["SG"], 1950, 1951)
    assert len(quiet) == 2 and not any(r[c] for r in quiet for c in COUNTS)


@pytest.mark.parametrize(
    ("partners", "first", "last", "problem"),
    [
        (["IN"], None, None, "India is one side"),
        (["Atlantis"], None, None, "Atlantis"),
        (None, 2020, 2019, "after the last"),
        (None, 1800, 2019, "outside"),
    ],
)
def test_bad_arguments_are_refused_by_name(partners, first, last, problem):
    with pytest.raises((ValueError, Country.DoesNotExist), match=problem):
        panels.country_year_panel(partners, first, last)


def test_join_keys_come_from_country_converter_with_documented_corrections():
    bundled = importlib.resources.files("country_converter") / "country_data.tsv"
    data = pd.read_csv(bundled, sep="\t", dtype=str, keep_default_na=False).set_index("ISO3")
    rows = {r["partner_iso3"]: r for r in panels.country_year_panel(first=2024, last=2024)}
    for iso3, row in rows.items():
        assert row["partner_m49"] == int(data.loc[iso3, "UNcode"])
        gw = GW_CORRECTIONS.get(iso3, (int(data.loc[iso3, "GWcode"]),))[0]
        assert row["partner_gwcode"] == gw
    assert rows["SGP"]["partner_m49"] == 702 and rows["USA"]["partner_gwcode"] == 2
    assert join_keys("VNM").gwcode == 816 and join_keys("DEU").gwcode == 260
    assert join_keys("TWN").m49 is None  # the UN assigns Taiwan no M49 code
    docs = (Path(__file__).parents[2] / "docs" / "panels.md").read_text(encoding="utf-8")
    for iso3, (gw, cow) in COW_DIFFERS.items():
        assert f"{iso3}" in docs and str(gw) in docs and str(cow) in docs
    for iso3, (gw, _why) in GW_CORRECTIONS.items():
        assert iso3 in docs and str(gw) in docs


def test_every_panel_column_is_declared_and_described():
    rows = panels.country_year_panel(["SG"], 2024, 2024)
    assert list(rows[0]) == [c.name for c in panels.COLUMNS]
    assert all(c.description and c.type in {"string", "integer"} for c in panels.COLUMNS)
    assert list(panels.undated_counts(["SG"])[0]) == [c.name for c in panels.UNDATED_COLUMNS]


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Prime Minister", "head"),
        ("President", "head"),
        ("King", "head"),
        ("Deputy Prime Minister", "minister"),
        ("Minister of National Defence", "minister"),
        ("Secretary of Defense", "minister"),
        ("Secretary of State for Defence", "minister"),
        ("Defence Secretary", "official"),
        ("Secretary (East)", "official"),
        ("Chief of Defence Staff", "official"),
    ],
)
def test_level_rule(title, level):
    assert levels.level_of_title(title) == level
