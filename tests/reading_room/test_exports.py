"""CSV/JSON exports from the list pages: exactly the filtered rows, the admin's columns."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements import resources, views
from engagements.models import (
    Agreement,
    AgreementStatusChange,
    Initiative,
    Meeting,
    MeetingCitation,
    Participation,
)
from engagements.views import exports

pytestmark = pytest.mark.django_db


def download(client, url: str, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response.streaming  # streamed: rows are written as they are read
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(body: str) -> list[dict]:
    assert body.startswith("\ufeff")  # spreadsheets then read UTF-8
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_meeting_csv_is_exactly_the_filtered_rows_with_the_admin_columns(client):
    body = download(client, "/meetings/", country="KR", year_from=2019, format="csv")
    rows = read_csv(body)
    expected = Meeting.objects.filter(countries__iso2="KR", start_date__year__gte=2019)
    assert [r["slug"] for r in rows] == [m.slug for m in expected.order_by("-start_date", "-id")]
    header = body.removeprefix("\ufeff").splitlines()[0].split(",")
    assert header == resources.MeetingResource().get_export_headers()
    resource = resources.MeetingResource()
    by_slug = {r["slug"]: r for r in rows}
    for meeting in expected:
        exported = dict(
            zip(resource.get_export_headers(), resource.export_csv_row(meeting), strict=True)
        )
        assert by_slug[meeting.slug] == exported
    assert by_slug["2024-11-rajnath-singh-kim-yong-hyun-talks"]["dates"] == "2024-11"


def test_the_export_holds_every_page(client):
    Meeting.objects.bulk_create(
        Meeting(slug=f"extra-{n}", title=f"Extra {n}", kind="call", date_precision="unknown")
        for n in range(10)
    )
    all_rows = read_csv(download(client, "/meetings/", format="csv", per_page=25))
    assert len(all_rows) == Meeting.objects.count()
    # Paging parameters are ignored: the export is the whole filtered set.
    after = client.get("/meetings/", {"per_page": 25}).context["page"]["next"]
    assert after
    again = read_csv(download(client, "/meetings/" + after + "&format=csv"))
    assert len(again) == Meeting.objects.count()


def test_json_has_the_same_fields_typed_plus_permalinks(client):
    body = download(client, "/agreements/", country="US", format="json")
    data = json.loads(body)
    rows = data["data"]
    headers = resources.AgreementResource().get_export_headers()
    expected = Agreement.objects.filter(parties__iso2="US")
    assert {r["slug"] for r in rows} == set(expected.values_list("slug", flat=True))
    assert data["count"] == len(rows) == expected.count()
    assert [f["name"] for f in data["schema"]["fields"]] == [*headers, "permalink"]
    for row in rows:
        assert list(row) == [*headers, "permalink"]
        agreement = expected.get(slug=row["slug"])
        assert row["permalink"] == "http://testserver" + agreement.get_absolute_url()
        # Several values are an array, a missing value null (never ""), as in the API.
        assert "US" in row["parties"] and isinstance(row["parties"], list)
        assert row["short_name"] is None or row["short_name"]
    assert data["meta"]["table"] == "Agreements"
    assert "country=US" in data["meta"]["source"]


def test_who_attended_and_status_and_citation_tables(client):
    """“…with who attended”, “…and its status”, “each answer links to its sources”."""
    people = read_csv(
        download(
            client, "/meetings/", country="KR", year_from=2019, format="csv", table="participants"
        )
    )
    expected = Participation.objects.filter(
        meeting__countries__iso2="KR", meeting__start_date__year__gte=2019
    )
    assert sorted((r["meeting"], r["official"], r["description"]) for r in people) == sorted(
        (p.meeting.slug, p.official.name if p.official else "", p.description) for p in expected
    )
    assert any(r["description"] and r["country"] == "KR" for r in people)  # a described one
    assert people[0].keys() == set(resources.ParticipationResource().get_export_headers())

    status = json.loads(
        download(client, "/agreements/", country="US", format="json", table="status")
    )
    changes = AgreementStatusChange.objects.filter(agreement__parties__iso2="US")
    assert len(status["data"]) == status["count"] == changes.count()
    for row in status["data"]:
        assert row["agreement_permalink"].startswith("http://testserver/agreements/")

    cited = json.loads(
        download(
            client, "/meetings/", country="KR", year_from=2019, format="json", table="citations"
        )
    )
    citations = MeetingCitation.objects.filter(
        meeting__countries__iso2="KR", meeting__start_date__year__gte=2019
    )
    assert len(cited["data"]) == citations.count()
    assert all(
        r["source_permalink"].startswith("http://testserver/sources/") for r in cited["data"]
    )


@pytest.mark.parametrize(
    ("url", "resource"),
    [
        ("/initiatives/?grouping=quad", resources.InitiativeResource),
        ("/officials/?country=KR", resources.OfficialResource),
        ("/countries/?grouping=quad", resources.CountryResource),
        ("/groupings/", resources.GroupingResource),
        ("/sources/", resources.SourceResource),
    ],
)
def test_every_list_exports(client, url, resource):
    page_rows = client.get(url + ("&" if "?" in url else "?") + "per_page=200").context["rows"]
    body = download(client, url + ("&" if "?" in url else "?") + "format=csv")
    rows = read_csv(body)
    assert len(rows) == len(page_rows)
    assert list(rows[0].keys()) == resource().get_export_headers()


def test_initiatives_of_the_quad_as_csv(client):
    rows = read_csv(download(client, "/initiatives/", grouping="quad", format="csv"))
    assert {r["slug"] for r in rows} == set(
        Initiative.objects.filter(groupings__slug="quad").values_list("slug", flat=True)
    )


def test_invalid_filters_export_nothing_and_say_why(client):
    response = client.get("/meetings/", {"country": "ZZ", "format": "csv"})
    assert response.status_code == 400
    assert not response.streaming
    assert "country: No country has the ISO code ZZ." in response.content.decode()


def test_an_unknown_table_or_format_is_a_400_naming_those_that_exist(client):
    response = client.get("/meetings/", {"format": "csv", "table": "secrets"})
    assert response.status_code == 400
    assert not response.streaming and response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "“secrets” is not a table of the meetings list" in body
    assert "participants, citations, marks, countries, topics" in body
    response = client.get("/meetings/", {"format": "xlsx"})
    assert response.status_code == 400
    assert "“xlsx” is not an export format: use format=csv or format=json" in (
        response.content.decode()
    )


def test_formulae_are_escaped_in_csv(client):
    meeting = Meeting.objects.get(slug="admm-plus-11")
    meeting.summary = '=HYPERLINK("http://evil")'
    meeting.save()
    rows = read_csv(download(client, "/meetings/", grouping="admm-plus", format="csv"))
    assert rows[0]["summary"].startswith("'=")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_queries_do_not_grow_with_the_rows(client, monkeypatch, fmt):
    # Several chunks on the seed data (exports.CHUNK_SIZE rows read at a time).
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = download(client, "/meetings/", format=fmt, **params)
        return len(captured), rows

    few, _ = queries(status="scheduled")  # 1 chunk (a filter that costs no query itself)
    many, body = queries()  # every meeting: several chunks
    total = Meeting.objects.count()
    rows = read_csv(body) if fmt == "csv" else json.loads(body)["data"]
    assert len(rows) == total > 10
    if connection.vendor == "postgresql":
        assert many == few  # PostgreSQL writes the CSV or JSON rows itself: one COPY
        return
    chunks = -(-total // 5)
    assert many > few  # the chunks were really several
    # Each chunk costs a query per looked-up or prefetched relation (the small export's one
    # chunk may need fewer: no parent meeting); no query per row.
    per_chunk = 2 if fmt == "csv" else 4
    assert many - few <= chunks * per_chunk
    assert many < total


def test_list_pages_link_to_their_exports(client):
    body = client.get(reverse("engagements:meeting_list"), {"country": "KR"}).content.decode()
    assert "?country=KR&amp;format=csv" in body
    assert "?country=KR&amp;format=json&amp;table=participants" in body


def csv_text(values) -> str:
    """A CSV line as both databases write it: a value holding a comma, a quote, a CR or a
    LF quoted (quotes doubled), the line ended by LF."""
    cells = [
        '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v for v in values
    ]
    return ",".join(cells) + "\n"


def test_csv_lines_end_in_lf_and_quote_line_breaks_as_copy_does(client):
    """One line ending, LF, whichever database writes the file (PostgreSQL's COPY writes LF):
    the same export is the same bytes on SQLite and PostgreSQL."""
    meeting = Meeting.objects.get(slug="admm-plus-11")
    meeting.summary = 'Said "yes", then a lone\rreturn, a\nnewline and\r\nboth'
    meeting.save()
    body = b"".join(client.get("/meetings/", {"format": "csv"}).streaming_content).decode()
    view = views.MeetingListView()
    meetings = Meeting.objects.order_by(*view.ordering(""))
    resource = resources.MeetingResource()
    rows = type(resource).export_queryset(meetings)
    expected = "\ufeff" + csv_text(resource.get_export_headers())
    expected += "".join(csv_text(resource.export_csv_row(m)) for m in rows)
    assert body == expected
    assert '"Said ""yes"", then a lone\rreturn, a\nnewline and\r\nboth"' in body
    # No line of the file itself ends in CRLF: only the value above holds one.
    assert body.count("\r\n") == 1
