"""The API's values are typed: ISO dates with their precision, arrays, numbers as numbers,
null for missing; a researcher's pandas reads them without coercion or loss."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pandas as pd
import pytest

from engagements.models import Agreement, Amount, Meeting, Participation

from .reading import API, get, walk

pytestmark = pytest.mark.django_db


def test_a_month_precise_meeting_is_its_first_day_with_its_precision(client):
    meeting = get(client, "meetings/admm-plus-11")
    assert meeting["start_date"] == "2024-11-01"
    assert meeting["date_precision"] == "month"
    assert meeting["end_date"] is None and meeting["date_extent"] == "single"
    assert meeting["edition"] == 11 and isinstance(meeting["edition"], int)
    assert meeting["countries"] == sorted(meeting["countries"]) and "IN" in meeting["countries"]
    assert meeting["grouping"] == "admm-plus"
    assert meeting["parent"] is None and meeting["parent_relation"] is None  # not ""
    assert meeting["permalink"] == "http://testserver/meetings/admm-plus-11/"
    assert meeting["api_url"] == "http://testserver/api/v1/meetings/admm-plus-11"
    head = meeting["participants"][0]
    assert head == {
        "official": "rajnath-singh",
        "official_country": "IN",
        "description": None,
        "country": None,
        "posts": ["in-minister-of-defence"],
        "role": "head",
        "note": None,
    }
    assert all(isinstance(c["paragraph"], int) for c in meeting["citations"])


def test_a_span_has_both_ends(client):
    meeting = get(client, "meetings/2025-09-lawrence-wong-visit-to-india")
    assert (meeting["start_date"], meeting["end_date"]) == ("2025-09-02", "2025-09-04")
    assert (meeting["date_precision"], meeting["date_extent"]) == ("day", "span")


def test_every_meeting_matches_the_database(client):
    rows, _ = walk(client, "meetings", {"per_page": 200})
    stored = {m.slug: m for m in Meeting.objects.prefetch_related("countries")}
    assert {r["slug"] for r in rows} == set(stored)
    for row in rows:
        meeting = stored[row["slug"]]
        iso = meeting.start_date.isoformat() if meeting.start_date else None
        assert row["start_date"] == iso
        assert row["end_date"] == (meeting.end_date.isoformat() if meeting.end_date else None)
        assert row["date_precision"] == meeting.date_precision
        assert row["date_extent"] == meeting.date_extent
        assert row["city"] == (meeting.city or None)
        assert row["edition"] == meeting.edition
        assert row["countries"] == sorted(c.iso2 for c in meeting.countries.all())
        assert len(row["participants"]) == Participation.objects.filter(meeting=meeting).count()


def test_pandas_reads_the_rows_losslessly(client):
    """No coercion: dates parse, whole numbers stay whole, arrays stay arrays."""
    rows, _ = walk(client, "meetings", {"per_page": 200})
    frame = pd.read_json(io.StringIO(json.dumps(rows)), dtype_backend="numpy_nullable")
    assert len(frame) == Meeting.objects.count()
    starts = pd.to_datetime(frame["start_date"], format="ISO8601")
    undated = frame["date_precision"] == "unknown"
    assert starts[~undated].notna().all() and starts[undated].isna().all()
    ends = pd.to_datetime(frame["end_date"], format="ISO8601")
    spans = frame["date_extent"].isin(["span", "within"])
    assert ends[spans].notna().all() and ends[~spans].isna().all()
    assert (ends[spans] > starts[spans]).all()
    assert str(frame["edition"].dtype) == "Int64"  # not float64: whole numbers, with nulls
    assert set(frame.loc[frame["edition"].notna(), "edition"]) == set(
        Meeting.objects.filter(edition__isnull=False).values_list("edition", flat=True)
    )
    assert all(isinstance(codes, list) for codes in frame["countries"])
    # Tidy in one step: a row per meeting and country.
    pairs = frame[["slug", "countries"]].explode("countries")
    assert len(pairs) == Meeting.countries.through.objects.count()


def test_pandas_reads_a_page_straight_from_the_api(client):
    """``pd.json_normalize`` on the results of one response: no string to split."""
    page = get(client, "agreements", {"per_page": 200})
    frame = pd.json_normalize(page["results"])
    assert len(frame) == page["count"] == Agreement.objects.count()
    history = pd.json_normalize(page["results"], record_path="status_history", meta=["slug"])
    assert len(history) == sum(a.status_history.count() for a in Agreement.objects.all())
    assert (
        pd.to_datetime(history["date"], format="ISO8601").notna().sum()
        == (history["date_precision"] != "unknown").sum()
    )


def test_an_agreements_status_is_the_latest_step_of_its_history(client):
    for row in get(client, "agreements", {"per_page": 200})["results"]:
        agreement = Agreement.objects.get(slug=row["slug"])
        latest = agreement.latest_status
        assert row["status"] == (latest.status if latest else None)
        assert row["status_date"] == (latest.date.isoformat() if latest and latest.date else None)
        assert row["status_precision"] == (latest.precision if latest else None)
        assert [step["status"] for step in row["status_history"]] == [
            s.status for s in agreement.status_history.order_by("id")
        ]


def test_amounts_are_numbers(client):
    amount = Amount.objects.select_related("outcome").order_by("id").first()
    outcome = get(client, f"outcomes/{amount.outcome.slug}")
    values = [a["value"] for a in outcome["amounts"]]
    assert all(isinstance(v, int | float) for v in values)
    assert Decimal(str(values[0])) == amount.value
    assert json.loads(json.dumps(outcome))["amounts"][0]["currency"] == amount.currency


def test_booleans_and_dates_of_tenures(client):
    tenure = get(client, "officials/rajnath-singh")["tenures"][0]
    assert isinstance(tenure["start_exact"], bool) and isinstance(tenure["end_exact"], bool)
    assert dt.date.fromisoformat(tenure["start_date"])
    assert tenure["start_precision"] in ("day", "month", "year")


def test_every_field_is_declared_in_the_schema_and_nothing_else(client):
    """The OpenAPI components list every field the answers carry (no undocumented ones)."""
    components = json.loads(client.get(API + "openapi.json").content)["components"]["schemas"]
    for path, name in [
        ("meetings/admm-plus-11", "Meeting"),
        ("countries/kr", "Country"),
        ("groupings/admm-plus", "Grouping"),
        ("posts/in-minister-of-defence", "Post"),
    ]:
        record = get(client, path)
        assert (
            set(record) == set(components[name]["properties"]) == set(components[name]["required"])
        )
