"""The big tables import in batches (``engagements.resources.bulk``) with nothing lost on the way.

Batches must write what row-by-row saving wrote (the rows, their links, a first version in
the change history with its links, who imported and why), keep every check and its message,
and cost a number of queries that does not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
import random
import tracemalloc

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.dates import DatePrecision
from engagements.models import Meeting, MeetingCitation, Official, Participation, Post, Tenure
from engagements.resources import MeetingResource, ParticipationResource
from engagements.resources.files import read_csv

pytestmark = pytest.mark.django_db

HEADER = "slug,title,kind,status,dates,city,country,countries,mechanism,edition,parent,citations"
#: Every new meeting cites a source: here a paragraph of the first source (KEY ¶ 1).
CITED = "002_e5b3391f3894ea28 ¶ 1"


def meeting_lines(n: int, start: int = 0, year: int = 2025) -> list[str]:
    return [
        f"bulk-{i:05d},Bulk talks {i},bilateral,held,{year}-{1 + i % 12:02d},Delhi,IN,IN; SG,,,,"
        f"{CITED}"
        for i in range(start, start + n)
    ]


def import_meetings(*lines: str, **kwargs):
    resource = MeetingResource()
    dataset = read_csv(("\n".join([HEADER, *lines]) + "\n").encode())
    return resource, resource.import_data(dataset, dry_run=False, use_transactions=True, **kwargs)


def test_new_rows_carry_their_links_and_a_first_version_with_them():
    user = get_user_model().objects.create_user("importer", password="pw-12345678")
    _, result = import_meetings(
        *meeting_lines(3), user=user, file_name="talks.csv", retain_instance_in_row_result=True
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    meeting = Meeting.objects.get(slug="bulk-00001")
    assert sorted(meeting.countries.values_list("iso2", flat=True)) == ["IN", "SG"]
    versions = list(meeting.history.all())
    assert len(versions) == 1
    version = versions[0]
    assert version.history_type == "+" and version.history_user == user
    assert version.history_change_reason == "CSV import of talks.csv"
    assert version.title == "Bulk talks 1"
    # The version knows the links it was created with (simple-history's m2m history).
    assert sorted(c.country.iso2 for c in version.countries.all()) == ["IN", "SG"]
    # Its citation is written in the batch too, with its own first version.
    (citation,) = meeting.citations.all()
    assert (citation.source.key, citation.paragraph) == ("002_e5b3391f3894ea28", 1)
    (cited,) = MeetingCitation.history.filter(id=citation.pk)
    assert cited.history_type == "+" and cited.history_user == user
    assert cited.history_change_reason == "CSV import of talks.csv"
    # The rows the admin retains for its log entries have their database ids.
    assert {row.instance.pk for row in result.rows} == set(
        Meeting.objects.filter(slug__startswith="bulk-").values_list("pk", flat=True)
    )


def test_a_parent_earlier_in_the_same_file_is_found():
    child = (
        "bulk-child,Talks on the sidelines,bilateral,held,2025-03,Delhi,IN,IN; SG,,,bulk-00000,"
        f"{CITED}"
    )
    _, result = import_meetings(*meeting_lines(1), child)
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert Meeting.objects.get(slug="bulk-child").parent.slug == "bulk-00000"


def test_a_row_the_database_refuses_is_named_and_nothing_is_written():
    before = Meeting.objects.count(), Meeting.history.count()
    clash = [
        "bulk-a,First session,mechanism,held,2025-01,London,GB,IN; GB,"
        f"india-uk-defence-consultative-group,90,,{CITED}",
        "bulk-b,Same session again,mechanism,held,2025-02,London,GB,IN; GB,"
        f"india-uk-defence-consultative-group,90,,{CITED}",
    ]
    resource, result = import_meetings(*meeting_lines(5), *clash)
    assert result.has_validation_errors()
    problems = resource.problems(result)
    assert [(p.line, p.column, p.value) for p in problems] == [(8, "edition", "90")], problems
    assert "already has a session with this edition" in problems[0].message
    assert result.totals["invalid"] == 1 and result.totals["new"] == 6
    assert (Meeting.objects.count(), Meeting.history.count()) == before


def test_a_refused_check_is_named_in_its_column():
    resource, result = import_meetings(
        f"bulk-e,Numbered talks,bilateral,held,2025-01,Delhi,IN,IN; SG,,3,,{CITED}"
    )
    problems = resource.problems(result)
    assert [(p.line, p.column, p.value) for p in problems] == [(2, "edition", "3")]
    assert "needs a mechanism or a grouping" in problems[0].message
    assert not Meeting.objects.filter(slug="bulk-e").exists()


def test_queries_do_not_grow_with_the_rows():
    counts = []
    for n, start in ((20, 0), (400, 1000)):
        with CaptureQueriesContext(connection) as queries:
            _, result = import_meetings(*meeting_lines(n, start))
        assert result.totals["new"] == n
        counts.append(len(queries.captured_queries))
    # A batch of up to 1,000 rows costs a handful of statements on PostgreSQL (COPY); SQLite
    # takes a multi-row INSERT per ~60 rows (its limit on parameters): never one per row.
    per_row = (counts[1] - counts[0]) / 380
    assert per_row < (0.01 if connection.vendor == "postgresql" else 0.1), counts


def test_participants_are_checked_against_tenures_loaded_once():
    _, result = import_meetings(*meeting_lines(30, year=2023))  # his tenure: 2019-2024
    assert result.totals["new"] == 30
    minister = Official.objects.get(slug="rajnath-singh")
    post = minister.tenures.first().post
    lines = [f"bulk-{i:05d},rajnath-singh,{post.slug},head," for i in range(30)]
    resource = ParticipationResource()
    dataset = read_csv(("meeting,official,posts,role,note\n" + "\n".join(lines) + "\n").encode())
    with CaptureQueriesContext(connection) as queries:
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    tenure_queries = [q for q in queries.captured_queries if "engagements_tenure" in q["sql"]]
    assert len(tenure_queries) == 1  # not one per row
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert Participation.objects.filter(meeting__slug__startswith="bulk-").count() == 30


def test_a_post_held_by_nobody_at_the_meeting_is_refused_in_bulk():
    _, result = import_meetings(
        f"bulk-old,Old talks,bilateral,held,1950,Delhi,IN,IN; SG,,,,{CITED}"
    )
    minister = Official.objects.get(slug="rajnath-singh")
    post = minister.tenures.first().post
    resource = ParticipationResource()
    dataset = read_csv(
        f"meeting,official,posts,role\nbulk-old,rajnath-singh,{post.slug},head\n".encode()
    )
    result = resource.import_data(dataset, dry_run=False, use_transactions=True)
    problems = resource.problems(result)
    assert [(p.line, p.column) for p in problems] == [(2, "posts")]
    assert "No tenure of Rajnath Singh" in problems[0].message


def test_tenure_covers_agrees_with_held_between():
    """The Python check of a bulk import and the SQL one answer alike, at every precision."""
    official = Official.objects.get(slug="rajnath-singh")
    starts = {
        DatePrecision.DAY: dt.date(2020, 3, 15),
        DatePrecision.MONTH: dt.date(2020, 3, 1),
        DatePrecision.YEAR: dt.date(2020, 1, 1),
        DatePrecision.UNKNOWN: None,
    }
    ends = {
        DatePrecision.DAY: dt.date(2022, 6, 10),
        DatePrecision.MONTH: dt.date(2022, 6, 1),
        DatePrecision.YEAR: dt.date(2022, 1, 1),
        DatePrecision.UNKNOWN: None,
    }
    tenures = []
    for i, ((start_p, start), (end_p, end)) in enumerate(
        (s, e) for s in starts.items() for e in ends.items()
    ):
        post = Post.objects.create(
            slug=f"bulk-post-{i}", title=f"Bulk test post {i}", country=official.country
        )
        tenures.append(
            Tenure.objects.create(
                official=official,
                post=post,
                start_date=start,
                start_precision=start_p,
                end_date=end,
                end_precision=end_p,
            )
        )
    rng = random.Random(5)
    split = False
    for _ in range(300):
        first = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 1600))
        last = first + dt.timedelta(days=rng.choice([0, 0, 3, 40, 400]))
        in_sql = set(
            Tenure.objects.filter(pk__in=[t.pk for t in tenures])
            .held_between(first, last)
            .values_list("pk", flat=True)
        )
        in_python = {t.pk for t in tenures if t.covers(first, last)}
        assert in_python == in_sql, (first, last)
        split = split or 0 < len(in_sql) < len(tenures)
    assert split  # some windows catch some tenures and not others


def test_invalid_rows_keep_their_messages_but_not_their_tracebacks():
    # A kept exception keeps every frame of its row's import alive (about 20 KB a row): a
    # file of 100,000 bad rows must not take gigabytes to report.
    lines = [line.replace("IN; SG", "IN; XX") for line in meeting_lines(400)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _, result = import_meetings(*lines)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert result.totals["invalid"] == 400 and not Meeting.objects.filter(slug__startswith="bulk-")
    assert "XX" in str(result.invalid_rows[-1].error_dict["countries"])
    assert all(row.error.__traceback__ is None for row in result.invalid_rows)
    assert kept / 400 < 6_000, f"{kept / 400:,.0f} bytes kept per invalid row"
