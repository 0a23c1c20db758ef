"""A streamed export never passes a database failure off as data.

A database that cannot read the rows is a 503 (no 200 with a header row, which saved looks
like "no rows matched"); a failure part-way raises out of the response's iterator, so the
server aborts the response and the client sees no clean end of file. The database is
made to fail where it really would: the export's queries (through Django's
``execute_wrapper``) and, on PostgreSQL, the ``COPY`` that writes a CSV.
"""

from __future__ import annotations

import contextlib

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from engagements import copy as copy_module
from engagements.models import Meeting
from engagements.views import copysql, exports, jsonsql

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "json"]


@contextlib.contextmanager
def database_failing(monkeypatch, table: str, after: int):
    """The database fails on the query reading ``table`` after ``after`` of them succeeded
    (the rows' query, or a chunk's prefetch), and a COPY after ``after`` blocks."""
    seen = {"queries": 0}

    def wrapper(execute, sql, params, many, context):
        if f'"{table}"' in sql and sql.lstrip().upper().startswith(("SELECT", "DECLARE")):
            seen["queries"] += 1
            if seen["queries"] > after:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    real_copy_out = copysql.copy_out

    def failing_copy_out(cursor, statement):
        for n, block in enumerate(real_copy_out(cursor, statement)):
            if n >= after:
                break
            yield block
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(copysql, "copy_out", failing_copy_out)  # the CSV's COPY
    monkeypatch.setattr(jsonsql, "copy_out", failing_copy_out)  # the JSON's
    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_database_failing_at_the_start_is_a_503_not_an_empty_file(client, monkeypatch, fmt):
    with database_failing(monkeypatch, "engagements_meeting", after=0):
        response = client.get(reverse("engagements:meeting_list"), {"format": fmt})
    assert response.status_code == 503
    assert not response.streaming
    assert "Content-Disposition" not in response
    assert response["Retry-After"]
    body = response.content.decode()
    assert "nothing was exported" in body
    assert "slug" not in body  # no header row


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_database_failing_part_way_cuts_the_stream_short(client, monkeypatch, fmt):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    monkeypatch.setattr(exports, "BLOCK_ROWS", 2)
    monkeypatch.setattr(copy_module, "BLOCK_BYTES", 200)
    # The rows' query and the first chunk's prefetch of countries succeed; the second
    # chunk's fails (on PostgreSQL's COPY: the second block).
    table = "engagements_meeting_countries"
    with database_failing(monkeypatch, table, after=1):
        response = client.get(reverse("engagements:meeting_list"), {"format": fmt})
        assert response.status_code == 200 and response.streaming
        received = []
        with pytest.raises(OperationalError):
            for chunk in response.streaming_content:  # what the WSGI server iterates
                received.append(chunk)
    body = b"".join(received).decode()
    assert body  # the first rows went out before the failure
    lines = body.count("\n")
    assert lines < Meeting.objects.count()  # and the stream did not end as if complete
    if fmt == "json":
        assert '"count"' not in body  # the document is never closed


def test_the_stream_starts_after_the_request_is_done_with_the_database(
    client, django_user_model, monkeypatch
):
    """A logged-in reader's session is saved on the way out of every request: the export's
    transaction (on PostgreSQL its COPY, which holds the connection) starts only when the
    server reads the body, so the session is saved first, and other requests run meanwhile."""
    monkeypatch.setattr(exports, "BLOCK_ROWS", 2)
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(user)
    url = reverse("engagements:meeting_list")
    downloads = [client.get(url, {"format": fmt}) for fmt in FORMATS]
    assert client.get(url).status_code == 200  # before either body is read
    csv_body, json_body = (b"".join(d.streaming_content).decode() for d in downloads)
    assert csv_body.count("\n") > Meeting.objects.count()
    assert json_body.rstrip().endswith(f'"count": {Meeting.objects.count()}}}')
