"""Researchers see what is inferred or reference knowledge: on the record's page and in the
exports, next to what the sources state."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from engagements.models import Agreement, Meeting

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_meeting_page_shows_its_reference_values_and_why(client):
    quad = Meeting.objects.get(slug="2024-09-21-quad-summit")
    html = client.get(quad.get_absolute_url()).content.decode()
    assert "Values not read from a source" in html
    assert "Reference knowledge" in html
    assert "four members" in html  # the mark's note
    plain = Meeting.objects.get(slug="2024-11-rajnath-singh-judith-collins-talks")
    assert (
        "Values not read from a source" not in client.get(plain.get_absolute_url()).content.decode()
    )


def test_a_meeting_page_says_how_it_stands_to_its_parent(client):
    talks = Meeting.objects.get(slug="2024-11-rajnath-singh-judith-collins-talks")
    html = client.get(talks.get_absolute_url()).content.decode()
    assert "On the sidelines of</dt>" in html
    visit = Meeting.objects.get(slug="rajesh-kumar-singh-visit-to-uk")
    assert "Alongside</dt>" in client.get(visit.get_absolute_url()).content.decode()


def test_an_agreement_page_marks_an_inferred_step_and_a_reported_date(client):
    dca = Agreement.objects.get(short_name="DCA")
    html = client.get(dca.get_absolute_url()).content.decode()
    assert 'class="tag mark-inferred"' in html
    assert "when it was reached is not reported" in html
    sosa = Agreement.objects.get(short_name="SOSA")
    html = client.get(sosa.get_absolute_url()).content.decode()
    assert "mark-inferred" not in html and "not reported" not in html


def test_the_marks_of_the_filtered_meetings_export_as_csv_and_json(client):
    url = reverse("engagements:meeting_list")
    response = client.get(url, {"grouping": "quad", "format": "csv", "table": "marks"})
    assert response.status_code == 200
    rows = csv_rows(response)
    assert [(r["meeting"], r["column"], r["basis"]) for r in rows] == [
        ("2024-09-21-quad-summit", "countries", "reference")
    ]
    response = client.get(url, {"format": "json", "table": "marks"})
    body = json.loads(b"".join(response.streaming_content))
    records = body["data"]
    assert {r["meeting"] for r in records} >= {"2024-09-21-quad-summit", "2023-midcom-next"}
    # Offered on the page beside the other tables.
    assert "table=marks" in client.get(url).content.decode()


def test_status_history_export_says_which_dates_are_reached_and_which_inferred(client):
    url = reverse("engagements:agreement_list")
    response = client.get(
        url, {"q": "Defence Cooperation Agreement", "format": "csv", "table": "status"}
    )
    rows = csv_rows(response)
    dca = [r for r in rows if r["agreement"] == "india-new-zealand-defence-cooperation-agreement"]
    assert [(r["status"], r["basis"], r["date_exact"]) for r in dca] == [
        ("under_negotiation", "inferred", "no")
    ]
