"""On PostgreSQL the meetings CSV is written by ``COPY … TO STDOUT``: the same rows, the same order.

The three ways of writing a meeting row (``MeetingResource.export_csv_row``, the Python fast path
``exportrows.meeting_rows``, and the database's ``exportrows.meeting_csv_copy``) must agree cell
for cell on every kind of value: formulae to escape, quotes and line breaks, empty texts, every
date precision and spans, groupings, mechanisms and parents.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse

from engagements import synthetic
from engagements.exportrows import copy_csv_for, meeting_csv_copy, meeting_rows
from engagements.models import Meeting
from engagements.resources import MeetingResource
from engagements.resources.files import FORMULA_STARTS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="COPY is PostgreSQL's; SQLite uses the Python path",
    ),
]

NEWEST_FIRST = (F("start_date").desc(nulls_last=True), "-pk")


def parse(blocks) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(blocks).decode())))


@pytest.fixture
def meetings():
    synthetic.synthesize(300, seed=11)
    tricky = Meeting.objects.filter(slug__startswith="syn-").order_by("pk")
    # A cell for every formula start, quotes, commas and line breaks, and an empty city.
    for meeting, start in zip(tricky, FORMULA_STARTS, strict=False):
        meeting.title = f"{start}SUM(A1)"
        meeting.save(update_fields=["title"])
    Meeting.objects.filter(pk=tricky[10].pk).update(
        summary='They said "yes", then\nleft;\r\nagain', city=""
    )
    return Meeting.objects.order_by(*NEWEST_FIRST)


def test_copy_writes_the_rows_the_python_paths_write(meetings):
    resource = MeetingResource()
    by_resource = [resource.export_csv_row(m) for m in MeetingResource.export_queryset(meetings)]
    python = list(meeting_rows(meetings))
    copied = parse(meeting_csv_copy(meetings))
    assert len(copied) == meetings.count() > 300
    assert copied == python == by_resource
    # The data covers what the SQL formats: every precision, spans, unknown dates, links.
    precisions = set(meetings.values_list("date_precision", flat=True))
    assert precisions == {"day", "month", "year", "unknown"}
    assert any("/" in row[4] for row in copied) and any(row[4] == "" for row in copied)
    assert any(row[10] for row in copied) and any(row[12] for row in copied)  # mechanism, parent
    assert {row[1][0] for row in copied if row[1].startswith("'")} == {"'"}
    assert sum(row[1].startswith("'") for row in copied) == len(FORMULA_STARTS)


def test_copy_keeps_the_querysets_filters_and_order(meetings):
    subset = meetings.filter(kind="visit", countries__iso2="IN").order_by("title", "pk")
    slugs = [row[0] for row in parse(meeting_csv_copy(subset))]
    assert slugs == list(subset.values_list("slug", flat=True))
    assert 0 < len(slugs) < meetings.count()
    assert parse(meeting_csv_copy(meetings.none())) == []


def test_a_download_stopped_half_way_leaves_the_connection_usable(meetings):
    stream = meeting_csv_copy(meetings)
    next(stream)
    stream.close()
    assert Meeting.objects.filter(slug__startswith="syn-").count() >= 300


def test_the_researcher_export_is_written_by_copy_and_matches(client, meetings):
    assert copy_csv_for("MeetingResource", meetings) is meeting_csv_copy
    assert copy_csv_for("AgreementResource", meetings) is None
    response = client.get(reverse("engagements:meeting_list"), {"format": "csv", "kind": "visit"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff") and "\r\n" not in body.split("\n", 1)[0] + "\n"
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    visits = Meeting.objects.filter(kind="visit").order_by(*NEWEST_FIRST)
    assert rows[0] == MeetingResource().get_export_headers()
    assert rows[1:] == list(meeting_rows(visits))
