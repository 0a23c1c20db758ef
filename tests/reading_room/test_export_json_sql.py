"""On PostgreSQL the JSON exports' rows are built in SQL (``views.jsonsql``): the same
document, byte for byte, as the Python path writes (as it is on SQLite), for every list and
every table it exports, on the seed and on synthetic meetings with tricky values."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from engagements import views
from engagements.models import Meeting
from engagements.resources.files import FORMULA_STARTS
from engagements.scale.synthesizer import synthesize
from engagements.views import exports

pytestmark = pytest.mark.django_db

LISTS = {
    "meetings": views.MeetingListView,
    "outcomes": views.OutcomeListView,
    "agreements": views.AgreementListView,
    "initiatives": views.InitiativeListView,
    "officials": views.OfficialListView,
    "posts": views.PostListView,
    "countries": views.CountryListView,
    "groupings": views.GroupingListView,
    "sources": views.SourceListView,
}
TABLES = [
    (name, key) for name, view in LISTS.items() for key in ["", *view.export_tables()] if key
] + [(name, "") for name in LISTS]


def body(client, url: str, params: dict) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def both(client, monkeypatch, url: str, params: dict) -> tuple[bytes, bytes]:
    """The download as the database writes it, then as the Python path writes it; the
    first line (``meta``, with its time) apart."""
    fast = body(client, url, params)
    monkeypatch.setattr(exports, "json_lines", lambda *args: None)
    slow = body(client, url, params)
    monkeypatch.undo()
    return fast.split(b"\n", 1)[1], slow.split(b"\n", 1)[1]


@pytest.mark.parametrize(("name", "table"), sorted(TABLES))
def test_every_json_table_is_the_python_paths_document(client, monkeypatch, name, table):
    params = {"format": "json", **({"table": table} if table else {})}
    fast, slow = both(client, monkeypatch, f"/{name}/", params)
    assert fast == slow
    json.loads(b'{"meta": {},\n' + fast)  # one valid document


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL rows are PostgreSQL's")
def test_the_meetings_json_is_built_in_sql_and_equal_on_tricky_values(client, monkeypatch):
    synthesize(200, seed=5)
    tricky = Meeting.objects.filter(slug__startswith="syn-").order_by("pk")
    for meeting, start in zip(tricky, FORMULA_STARTS, strict=False):
        meeting.title = f'{start}SUM(A1) "quoted" \\ back\tslash'
        meeting.save(update_fields=["title"])
    Meeting.objects.filter(pk=tricky[10].pk).update(
        summary='They said "yes", then\nleft;\r\nagain \u2028 \x01 é', city=""
    )
    called = []
    real = exports.json_lines

    def spy(*args):
        lines = real(*args)
        called.append(lines is not None)
        return lines

    monkeypatch.setattr(exports, "json_lines", spy)
    fast = body(client, "/meetings/", {"format": "json"})
    assert called == [True]
    monkeypatch.setattr(exports, "json_lines", lambda *args: None)
    slow = body(client, "/meetings/", {"format": "json"})
    assert fast.split(b"\n", 1)[1] == slow.split(b"\n", 1)[1]
    document = json.loads(fast)
    assert document["count"] == Meeting.objects.count() > 200
    row = next(r for r in document["data"] if r["slug"] == tricky[10].slug)
    assert row["city"] is None and row["summary"].startswith('They said "yes", then\nleft')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL rows are PostgreSQL's")
def test_a_filtered_json_export_is_the_filtered_rows_and_an_empty_one_is_valid(client):
    document = json.loads(body(client, "/meetings/", {"format": "json", "country": "KR"}))
    expected = Meeting.objects.filter(countries__iso2="KR").distinct().count()
    assert document["count"] == len(document["data"]) == expected > 0
    empty = json.loads(body(client, "/meetings/", {"format": "json", "q": "zzzz-no-such"}))
    assert empty["data"] == [] and empty["count"] == 0
