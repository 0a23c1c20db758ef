"""On PostgreSQL the CSV exports are written by ``COPY … TO STDOUT``, each cell's SQL derived
from its column's kind: the same rows, in the same order, as the CSV resource writes.

Checked for every record whose columns all have SQL, on the seed and on synthetic meetings
with every kind of value the SQL formats: formulae to escape, quotes and line breaks, empty
texts, every date precision, spans, open ends and days within spans, groupings, mechanisms
and parents.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse

from engagements.columns import RECORDS
from engagements.columns.links import link_records
from engagements.models import Agreement, Meeting, Official, OfficialAlias, Topic
from engagements.resources import resource_for
from engagements.resources.files import FORMULA_STARTS
from engagements.resources.links import link_resource
from engagements.scale.synthesizer import synthesize
from engagements.views import exports
from engagements.views.copysql import copy_columns, copy_lines, copyable

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="COPY is PostgreSQL's; SQLite exports through the resource",
    ),
]

NEWEST_FIRST = (F("start_date").desc(nulls_last=True), "-pk")
#: Records whose every exported column has SQL (the others export through the resource).
COPIED = sorted(name for name, record in RECORDS.items() if copyable(record))
#: The long tables of multi-valued columns (a meeting's countries, one a row).
LINKS = {link.name: link for record in RECORDS.values() for link in link_records(record).values()}


def parse(blocks) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(blocks).decode())))


def resource_rows(model, queryset, resource_class=None) -> list[list[str]]:
    resource = (resource_class or resource_for(model))()
    return [resource.export_csv_row(obj) for obj in type(resource).export_queryset(queryset)]


def test_most_records_are_copied():
    # Every record: alias lists, an official's name (a slug where ambiguous) and an
    # agreement's current status (read from its latest step) have SQL too.
    assert {"meeting", "grouping", "source", "initiative", "meetingcitation"} <= set(COPIED)
    assert {"official", "country", "post", "participation", "tenure"} <= set(COPIED)
    assert set(COPIED) == set(RECORDS)


@pytest.mark.parametrize("name", COPIED)
def test_copy_writes_the_rows_the_resource_writes(name):
    record = RECORDS[name]
    model = record.model
    record_obj = model._default_manager.order_by("pk").first()
    # Text that needs escaping and quoting, in the first text column (not the key).
    text = next(
        (
            c.kind.attribute
            for c in record.columns
            if type(c.kind).__name__ == "Text"
            and c.name not in record.key
            and "__" not in c.kind.attribute
            # long enough for the tricky value (not a three-letter code such as a currency)
            and (model._meta.get_field(c.kind.attribute).max_length or 100) >= 20
            # free text (not a code the database checks, such as a Wikidata QID)
            and not model._meta.get_field(c.kind.attribute).validators
        ),
        None,
    )
    if record_obj is not None and text is not None:
        model._default_manager.filter(pk=record_obj.pk).update(**{text: '=1, "a"\nb'})
    queryset = model._default_manager.order_by("pk")
    copied = parse(copy_lines(record, queryset))
    assert copied == resource_rows(model, queryset)
    assert len(copied) == queryset.count() > 0


@pytest.mark.parametrize("name", ["participation", "tenure", "officialalias"])
def test_copy_writes_an_ambiguous_official_as_its_slug(name):
    """Two officials of one country sharing a name are written by slug, as the resource
    writes them (the others by name)."""
    official = Official.objects.filter(tenures__isnull=False).order_by("pk").first()
    twin = Official.objects.create(
        slug=f"{official.slug}-twin", name=official.name, country=official.country
    )
    OfficialAlias.objects.create(official=twin, name="Twin alias for the copy test")
    record = RECORDS[name]
    queryset = record.model._default_manager.order_by("pk")
    copied = parse(copy_lines(record, queryset))
    assert copied == resource_rows(record.model, queryset)
    if name == "tenure":
        assert any(official.slug in row for row in copied)


@pytest.mark.parametrize("name", sorted(LINKS))
def test_copy_writes_the_long_tables_as_their_resource(name):
    record = LINKS[name]
    assert copyable(record)
    queryset = record.model._default_manager.order_by("pk")
    copied = parse(copy_lines(record, queryset))
    assert copied == resource_rows(record.model, queryset, link_resource(record))


@pytest.fixture
def meetings():
    synthesize(300, seed=11)
    tricky = Meeting.objects.filter(slug__startswith="syn-").order_by("pk")
    # A cell for every formula start, quotes, commas and line breaks, and an empty city.
    for meeting, start in zip(tricky, FORMULA_STARTS, strict=False):
        meeting.title = f"{start}SUM(A1)"
        meeting.save(update_fields=["title"])
    Meeting.objects.filter(pk=tricky[10].pk).update(
        summary='They said "yes", then\nleft;\r\nagain', city=""
    )
    return Meeting.objects.order_by(*NEWEST_FIRST)


def test_copy_writes_every_kind_of_meeting_value_as_the_resource(meetings):
    copied = parse(copy_lines(RECORDS["meeting"], meetings))
    assert len(copied) == meetings.count() > 300
    assert copied == resource_rows(Meeting, meetings)
    # The data covers what the SQL formats: every precision, spans, unknown dates, links.
    precisions = set(meetings.values_list("date_precision", flat=True))
    assert precisions == {"day", "month", "year", "unknown"}
    names = [c.name for c in RECORDS["meeting"].exported]
    dates, mechanism, parent = (names.index(n) for n in ("dates", "mechanism", "parent"))
    assert any("/" in row[dates] for row in copied) and any(row[dates] == "" for row in copied)
    # Every EDTF form of the dates: an open end and one day within a span too.
    assert any(row[dates].endswith("/..") for row in copied)
    assert any(row[dates].startswith("[") and row[dates].endswith("]") for row in copied)
    assert any(row[mechanism] for row in copied) and any(row[parent] for row in copied)
    # The ISO days and precision beside them, as the resource writes them (checked above).
    start = names.index("start_date")
    assert all(len(row[start]) in (0, 10) for row in copied)
    assert {row[1][0] for row in copied if row[1].startswith("'")} == {"'"}
    assert sum(row[1].startswith("'") for row in copied) == len(FORMULA_STARTS)


def test_copy_keeps_the_querysets_filters_and_order(meetings):
    subset = meetings.filter(kind="visit", countries__iso2="IN").order_by("title", "pk")
    slugs = [row[0] for row in parse(copy_lines(RECORDS["meeting"], subset))]
    assert slugs == list(subset.values_list("slug", flat=True))
    assert 0 < len(slugs) < meetings.count()
    assert parse(copy_lines(RECORDS["meeting"], meetings.none())) == []


def test_a_download_stopped_half_way_leaves_the_connection_usable(meetings):
    stream = copy_lines(RECORDS["meeting"], meetings)
    next(stream)
    stream.close()
    assert Meeting.objects.filter(slug__startswith="syn-").count() >= 300


def test_the_researcher_export_is_written_by_copy_and_matches(client, meetings):
    response = client.get(reverse("engagements:meeting_list"), {"format": "csv", "kind": "visit"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff") and "\r\n" not in body.split("\n", 1)[0] + "\n"
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    visits = Meeting.objects.filter(kind="visit").order_by(*NEWEST_FIRST)
    assert rows[0] == [c.name for c in RECORDS["meeting"].exported]
    assert rows[1:] == resource_rows(Meeting, visits)


@pytest.mark.parametrize("fmt_table", ["", "countries", "citations"])
def test_the_copy_export_is_the_same_bytes_as_the_resource_export(
    client, meetings, monkeypatch, fmt_table
):
    """The same download, byte for byte, whether PostgreSQL or the resource writes it (as
    it is on SQLite): the same line ending, quoting and escaping."""
    params = {"format": "csv", **({"table": fmt_table} if fmt_table else {})}
    url = reverse("engagements:meeting_list")
    copied = b"".join(client.get(url, params).streaming_content)
    monkeypatch.setattr(exports, "copy_lines", lambda record, queryset: None)
    written = b"".join(client.get(url, params).streaming_content)
    assert copied == written
    assert copied.count(b"\n") > 300


def test_a_list_starting_like_a_formula_is_escaped_once(meetings):
    # A key list is one cell: escaped as a whole (its first key), as the resource does, with
    # the list computed once a row rather than once for the test and again for the value.
    first = Topic.objects.create(slug="-drills", name="Drills (test)", description="Ours.")
    last = Topic.objects.create(slug="zz-last", name="Last (test)", description="Ours.")
    meeting = meetings.first()
    meeting.topics.set([first, last])
    copied = parse(copy_lines(RECORDS["meeting"], meetings))
    assert copied == resource_rows(Meeting, meetings)
    topics = [c.name for c in RECORDS["meeting"].exported].index("topics")
    assert copied[0][topics] == "'-drills; zz-last"


def test_each_list_and_key_is_computed_once_a_row():
    # PostgreSQL runs every copy of a subquery on its own: the formula escaping of a list
    # names it once, and a key's subquery runs only for the rows that name a record.
    meetings = Meeting.objects.order_by(*NEWEST_FIRST)
    columns = copy_columns(RECORDS["meeting"], meetings.db)
    rows = meetings.annotate(**{f"c{n}": sql for n, sql in enumerate(columns.values())})
    query = str(rows.values_list(*[f"c{n}" for n in range(len(columns))]).query)
    assert query.count('FROM "engagements_meeting_topics"') == 1
    assert query.count('FROM "engagements_meeting_countries"') == 1
    assert 'WHEN "engagements_meeting"."grouping_id" IS NULL THEN NULL' in query


def test_copy_writes_each_agreements_current_status_as_the_resource():
    """The latest dated step, else the last recorded; every precision; none at all."""
    agreements = list(Agreement.objects.order_by("pk")[:4])
    assert len(agreements) == 4
    undated, by_month, by_year, bare = agreements
    undated.status_history.all().delete()
    undated.status_history.create(status="proposed", date=None, precision="unknown")
    undated.status_history.create(status="signed", date=None, precision="unknown")
    by_month.status_history.create(status="in_force", date="2099-03-01", precision="month")
    by_year.status_history.create(status="signed", date="2098-01-01", precision="year")
    bare.status_history.all().delete()
    queryset = Agreement.objects.order_by("pk")
    copied = parse(copy_lines(RECORDS["agreement"], queryset))
    assert copied == resource_rows(Agreement, queryset)
    names = [c.name for c in RECORDS["agreement"].exported]
    status, date, day, precision = (
        names.index(n) for n in ("status", "status_date", "status_date_iso", "status_precision")
    )
    rows = {row[0]: row for row in copied}
    assert [rows[undated.slug][i] for i in (status, date, day, precision)] == [
        "signed",
        "",
        "",
        "unknown",
    ]
    assert [rows[by_month.slug][i] for i in (status, date, day, precision)] == [
        "in_force",
        "2099-03",
        "2099-03-01",
        "month",
    ]
    assert rows[by_year.slug][date] == "2098"
    assert [rows[bare.slug][i] for i in (status, date, day, precision)] == ["", "", "", ""]
