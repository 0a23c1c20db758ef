"""The synthesizer: deterministic, valid under the model's constraints, and clearable."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from engagements import copy
from engagements.dates import DateExtent, DatePrecision
from engagements.models import (
    Agreement,
    AgreementStatusChange,
    Country,
    Initiative,
    Meeting,
    MeetingCitation,
    Official,
    Participation,
    Post,
    Source,
    Tenure,
)
from engagements.scale import bulkload, clearing
from engagements.scale.synthesizer import synthesize

pytestmark = pytest.mark.django_db

CURATED = (Meeting, Official, Post, Tenure, Agreement, Initiative, Source, Participation)


def snapshot() -> dict:
    """Everything synthesized, by natural keys (ids depend on what the database held)."""
    meetings = Meeting.objects.filter(slug__startswith="syn-").order_by("slug")
    return {
        "meetings": [
            (
                m.slug,
                m.title,
                m.kind,
                m.status,
                m.start_date,
                m.end_date,
                m.date_precision,
                m.city,
                m.country.iso2 if m.country else None,
                m.mechanism.slug if m.mechanism else None,
                m.edition,
                m.parent.slug if m.parent else None,
                m.summary,
                sorted(c.iso2 for c in m.countries.all()),
                sorted(
                    (
                        p.official.slug if p.official else p.description,
                        sorted(post.slug for post in p.posts.all()),
                        p.role,
                    )
                    for p in m.participations.all()
                ),
                sorted((c.source.key, c.paragraph) for c in m.citations.all()),
            )
            for m in meetings.select_related("country", "mechanism", "parent").prefetch_related(
                "countries",
                "participations__official",
                "participations__posts",
                "citations__source",
            )
        ],
        "tenures": sorted(
            Tenure.objects.filter(official__slug__startswith="syn-").values_list(
                "official__slug", "post__slug", "start_date", "start_precision", "end_date"
            )
        ),
        "agreements": sorted(
            AgreementStatusChange.objects.filter(agreement__slug__startswith="syn-").values_list(
                "agreement__slug", "agreement__title", "status", "date", "precision"
            )
        ),
        "initiatives": sorted(
            Initiative.objects.filter(slug__startswith="syn-").values_list("slug", "name", "kind")
        ),
    }


def test_same_seed_same_data_other_seed_other_data():
    synthesize(40, seed=7)
    first = snapshot()
    assert len(first["meetings"]) == 40
    clearing.clear()
    synthesize(40, seed=7)
    assert snapshot() == first
    clearing.clear()
    synthesize(40, seed=8)
    assert snapshot()["meetings"] != first["meetings"]


def test_realistic_shape():
    synthesize(400, seed=3)
    meetings = Meeting.objects.filter(slug__startswith="syn-")
    india = Country.objects.get(iso2="IN")
    # 2–4 countries each, India among them; 2–6 participants each.
    for m in meetings.prefetch_related("countries", "participations"):
        countries = {c.iso2 for c in m.countries.all()}
        assert "IN" in countries and 2 <= len(countries) <= 4, (m.slug, countries)
        named = [p for p in m.participations.all() if p.official_id]
        assert 2 <= len(named) <= 6, m.slug
    assert meetings.filter(countries=india).count() == 400
    # Dates of every precision, spans at each known precision, and unknown dates.
    precisions = set(meetings.values_list("date_precision", flat=True))
    assert precisions == {p.value for p in DatePrecision}
    for precision in (DatePrecision.DAY, DatePrecision.MONTH):
        assert meetings.filter(date_precision=precision, end_date__isnull=False).exists()
    # Every date extent: an end makes a span or a day within one; a few open ends.
    assert set(meetings.values_list("date_extent", flat=True)) == set(DateExtent.values)
    assert not meetings.filter(date_extent="single", end_date__isnull=False).exists()
    # Officials change posts over time: some hold more than one tenure.
    tenures = Tenure.objects.filter(official__slug__startswith="syn-")
    assert tenures.values("official").distinct().count() < tenures.count()
    assert AgreementStatusChange.objects.filter(agreement__slug__startswith="syn-").count() > (
        Agreement.objects.filter(slug__startswith="syn-").count()
    )
    assert MeetingCitation.objects.filter(meeting__in=meetings).count() >= 400


def test_participants_hold_their_post_on_the_meeting_date():
    synthesize(300, seed=5)
    participations = (
        Participation.objects.filter(meeting__slug__startswith="syn-", posts__isnull=False)
        .distinct()
        .select_related("meeting", "official")
        .prefetch_related("posts")
    )
    assert participations.count() > 500
    for p in participations:
        (post,) = p.posts.all()  # one post each, written by COPY into the link table
        assert post.country_id == p.official.country_id
        tenures = Tenure.objects.filter(official=p.official, post=post)
        if p.meeting.start_date:
            tenures = tenures.held_between(*p.meeting.known_days)
        assert tenures.exists(), (p.meeting.slug, p.official.slug, post.slug)
    # Some participants have no post (the sources do not say); some are described, with a
    # country taking part and no posts.
    syn = Participation.objects.filter(meeting__slug__startswith="syn-")
    assert syn.filter(official__isnull=False, posts__isnull=True).exists()
    described = syn.filter(official__isnull=True).select_related("meeting", "country")
    assert described.count() > 10
    for p in described:
        assert p.description and p.meeting.countries.filter(pk=p.country_id).exists()
        assert not p.posts.exists()


def test_a_sample_passes_full_clean():
    """Model validation (constraints, clean(), uniqueness) on a sample of every kind of row."""
    synthesize(200, seed=11)
    samples = [
        *Meeting.objects.filter(slug__startswith="syn-").order_by("?")[:40],
        *Participation.objects.filter(meeting__slug__startswith="syn-").order_by("?")[:40],
        *Tenure.objects.filter(official__slug__startswith="syn-").order_by("?")[:40],
        *Official.objects.filter(slug__startswith="syn-")[:10],
        *Post.objects.filter(slug__startswith="syn-")[:10],
        *Source.objects.filter(key__startswith="syn-")[:10],
        *Agreement.objects.filter(slug__startswith="syn-")[:10],
        *AgreementStatusChange.objects.filter(agreement__slug__startswith="syn-")[:20],
        *Initiative.objects.filter(slug__startswith="syn-")[:10],
        *MeetingCitation.objects.filter(meeting__slug__startswith="syn-")[:20],
    ]
    assert len(samples) > 150
    for obj in samples:
        obj.full_clean()


def test_the_bulk_path_is_checked_by_the_database():
    """Rows go in through the database's own CHECK constraints: a bad one is refused."""
    row = (10**9, "syn-bad", "Bad", "bilateral", "held", "2024-03-15", None, "month", "")
    fields = ["id", "slug", "title", "kind", "status", "start_date", "end_date"]
    fields += ["date_precision", "summary"]
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.write(Meeting, fields, [row], "default")
    assert not Meeting.objects.filter(slug="syn-bad").exists()


def test_clear_removes_synthetic_rows_only():
    before = {m: m.objects.count() for m in CURATED}
    assert before[Meeting] > 0  # the curated seed
    synthesize(60, seed=2)
    assert Meeting.objects.count() == before[Meeting] + 60
    assert clearing.has_synthetic()
    deleted = clearing.clear()
    assert deleted["engagements_meeting"] == 60
    assert {m: m.objects.count() for m in CURATED} == before
    assert not clearing.has_synthetic()


def test_ids_and_sequences_continue_after_synthetic_rows():
    synthesize(30, seed=2)
    top = Meeting.objects.order_by("-id").values_list("id", flat=True).first()
    created = Meeting.objects.create(
        slug="after-synthetic", title="After", kind="other", date_precision="unknown"
    )
    assert created.id > top


def indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE "
                "'engagements_%%' ORDER BY 1"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name LIKE 'engagements_%%' ORDER BY 1"
            )
        return cursor.fetchall()


def test_bulk_load_rebuilds_every_index_it_drops():
    before = indexes()
    assert len(before) > 20
    report = synthesize(50, seed=4, rebuild_indexes=True)
    assert indexes() == before
    assert report.timings["rebuild indexes"] >= 0
    assert Meeting.objects.filter(slug__startswith="syn-").count() == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL bulk-load mode")
def test_postgresql_bulk_load_turns_foreign_key_checks_back_on():
    synthesize(50, seed=4, rebuild_indexes=True)
    # Foreign-key triggers are back on for the rest of the transaction.
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            meeting=Meeting.objects.first(), official_id=10**9, role="participant"
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL bulk-load mode")
def test_foreign_key_check_names_the_orphan():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "INSERT INTO engagements_meeting_countries (meeting_id, country_id) "
                "SELECT id, 999999 FROM engagements_meeting LIMIT 1"
            )
        with pytest.raises(IntegrityError, match="country_id = 999999"):
            bulkload.check_foreign_keys([Meeting.countries.through], "default")
        transaction.set_rollback(True)


def test_command_prints_figures_and_refuses_to_add_twice():
    out = StringIO()
    call_command("synthesize", meetings=25, seed=9, stdout=out)
    text = out.getvalue()
    assert "Synthesized 25 meetings (seed 9)" in text
    assert "engagements_participation" in text and "rows/s" in text
    with pytest.raises(CommandError, match="--clear"):
        call_command("synthesize", meetings=25, stdout=StringIO())
    out = StringIO()
    call_command("synthesize", meetings=10, clear=True, stdout=out)
    assert "Deleted" in out.getvalue()
    assert Meeting.objects.filter(slug__startswith="syn-").count() == 10
    call_command("synthesize", clear=True, stdout=StringIO())
    assert not clearing.has_synthetic()


def test_command_rejects_negative_counts():
    with pytest.raises(CommandError, match="negative"):
        call_command("synthesize", meetings=-1, stdout=StringIO())


def test_dates_are_fixed_not_today():
    synthesize(50, seed=1)
    latest = (
        Meeting.objects.filter(slug__startswith="syn-", start_date__isnull=False)
        .order_by("-start_date")
        .first()
    )
    assert latest.start_date <= dt.date(2025, 12, 31)


def test_a_big_clear_vacuums_the_big_tables(monkeypatch):
    calls = []
    monkeypatch.setattr(bulkload, "vacuum_big_tables", lambda **kw: calls.append(kw))
    call_command("synthesize", meetings=20, stdout=StringIO())
    monkeypatch.setattr(clearing, "BIG_DELETE", 10_000)
    call_command("synthesize", meetings=20, clear=True, stdout=StringIO())
    assert calls == []  # ~150 rows deleted: autovacuum's business
    monkeypatch.setattr(clearing, "BIG_DELETE", 100)
    call_command("synthesize", clear=True, stdout=StringIO())
    assert calls == [{"using": "default", "analyze": True}]


def test_vacuum_runs_on_postgresql_outside_a_transaction_only():
    assert bulkload.vacuum_big_tables() is False  # inside the test's transaction, or SQLite


@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_vacuum_big_tables_on_postgresql():
    assert bulkload.vacuum_big_tables(analyze=True) is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
            "FROM pg_stat_user_tables WHERE relname = 'engagements_participation'"
        )
        assert cursor.fetchone() == (True,)
