"""``engagements.copy``: rows in by COPY (or executemany / bulk_create), query results out.

A field the caller leaves out is written as ``save()`` would store it unset, so a model can
gain a field with a default without a change in the synthesizer, the benchmark or the import.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from engagements import copy
from engagements.models import Meeting, Official, Participation

pytestmark = pytest.mark.django_db


def test_write_gives_fields_left_out_their_defaults():
    fields = ["slug", "title", "kind", "start_date", "summary"]
    copy.write(Meeting, fields, [("copy-1", "Talks", "bilateral", "2024-03-15", "S")], "default")
    meeting = Meeting.objects.get(slug="copy-1")
    assert meeting.start_date == dt.date(2024, 3, 15)
    # Python defaults, "" for blank texts, NULL for nullable fields; the id from the sequence.
    assert (meeting.status, meeting.date_precision) == ("held", "day")
    assert (meeting.city, meeting.end_date, meeting.country_id, meeting.edition) == (
        "",
        None,
        None,
        None,
    )
    meeting.full_clean()


def test_write_takes_foreign_keys_by_name_or_attname():
    meeting = Meeting.objects.order_by("pk").first()
    official, other = Official.objects.exclude(participations__meeting=meeting).order_by("pk")[:2]
    copy.write(Participation, ["meeting", "official"], [(meeting.pk, official.pk)], "default")
    copy.write(Participation, ["meeting_id", "official_id"], [(meeting.pk, other.pk)], "default")
    written = Participation.objects.filter(meeting=meeting, official__in=[official, other])
    values = sorted(written.values_list("role", "note", "description"))
    assert values == [("participant", "", "")] * 2


def test_a_callable_default_is_called_for_each_row():
    before = dt.datetime.now(dt.UTC)
    rows = [("copy-a", "!"), ("copy-b", "!")]
    copy.write(get_user_model(), ["username", "password"], rows, "default")
    users = get_user_model().objects.filter(username__startswith="copy-").order_by("username")
    assert [(u.is_active, u.is_staff, u.email, u.last_login) for u in users] == [
        (True, False, "", None)
    ] * 2
    assert all(u.date_joined >= before for u in users)


def test_write_is_checked_by_the_database():
    fields = ["slug", "title", "kind", "summary", "date_precision"]  # no date, yet "day"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.write(Meeting, fields, [("copy-bad", "Bad", "bilateral", "", "month")], "default")
    assert not Meeting.objects.filter(slug="copy-bad").exists()


def test_insert_returns_the_new_ids_and_defaults_what_rows_leave_out():
    meeting = Meeting.objects.order_by("pk").first()
    officials = Official.objects.exclude(participations__meeting=meeting).order_by("pk")[:3]
    rows = [{"meeting_id": meeting.pk, "official_id": o.pk} for o in officials]
    rows[0]["role"] = "head"
    ids = copy.insert(Participation, rows, "default")
    assert len(ids) == 3
    written = Participation.objects.in_bulk(ids)
    assert [written[pk].official_id for pk in ids] == [o.pk for o in officials]
    assert [written[pk].role for pk in ids] == ["head", "participant", "participant"]
    assert {written[pk].note for pk in ids} == {""}
    if connection.vendor == "postgresql":  # the ids drawn from the sequence, set in the rows
        assert [row["id"] for row in rows] == ids
    assert copy.insert(Participation, [], "default") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY TO STDOUT is PostgreSQL's")
def test_copy_out_joins_rows_into_blocks():
    statement = "COPY (SELECT repeat('x', 999) FROM generate_series(1, 600)) TO STDOUT"
    with connection.cursor() as cursor:
        blocks = list(copy.copy_out(cursor, statement))
    assert b"".join(blocks) == (b"x" * 999 + b"\n") * 600
    assert len(blocks) == 3
    assert all(len(block) >= copy.BLOCK_BYTES for block in blocks[:-1])
