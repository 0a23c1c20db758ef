"""A country page shows the latest events of the relationship, whatever its length.

A partner of a million-meeting database has tens of thousands of meetings and hundreds of
agreements: its page shows the latest TIMELINE_LIMIT events and the first COUNTRY_LIST_LIMIT
agreements and initiatives, links to the full lists, counts everything, and costs the same
number of queries at any size.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from engagements.models import Agreement, AgreementStatusChange, Country, Initiative, Meeting
from engagements.scale.clearing import clear
from engagements.scale.synthesizer import synthesize
from engagements.views import details

pytestmark = pytest.mark.django_db


def busiest_partner() -> Country:
    return (
        Country.objects.exclude(iso2="IN")
        .annotate(n=Count("meetings"))
        .order_by("-n", "iso2")
        .first()
    )


def latest_events(country: Country) -> list[tuple]:
    """Every dated event of the relationship, newest first, as (date, kind, pk)."""
    events = [
        *(
            (d, "meeting", pk)
            for pk, d in Meeting.objects.filter(countries=country).values_list("pk", "start_date")
        ),
        *(
            (d, "status", pk)
            for pk, d in AgreementStatusChange.objects.filter(
                agreement__parties=country
            ).values_list("pk", "date")
        ),
        *(
            (d, "start", pk)
            for pk, d in Initiative.objects.filter(countries=country).values_list(
                "pk", "start_date"
            )
        ),
    ]
    return sorted((e for e in events if e[0] is not None), key=lambda e: e[0], reverse=True)


def test_a_long_relationship_shows_its_latest_events_and_links_the_rest(client, monkeypatch):
    monkeypatch.setattr(details, "TIMELINE_LIMIT", 12)
    monkeypatch.setattr(details, "COUNTRY_LIST_LIMIT", 2)
    synthesize(400, seed=8)
    country = busiest_partner()
    response = client.get(country.get_absolute_url())
    assert response.status_code == 200
    context = response.context
    shown = [(d, what, item.pk) for _, events in context["timeline"] for d, _, what, item in events]
    expected = latest_events(country)
    assert len(expected) > 12 and len(shown) == 12 and context["undated"] == []
    assert [d for d, _, _ in shown] == [d for d, _, _ in expected[:12]]
    assert set(shown) <= set(expected[:20])  # ties on a date may come in either order
    assert context["timeline_truncated"]
    body = response.content.decode()
    assert "The timeline shows the latest 12 events" in body
    # The counts are of everything; the lists stop at the limit and link to the rest.
    agreements = Agreement.objects.filter(parties=country)
    assert context["meeting_count"] == Meeting.objects.filter(countries=country).count()
    assert context["agreement_count"] == agreements.count() > 2
    assert [a.pk for a in context["agreements"]] == list(
        agreements.order_by("title").values_list("pk", flat=True)[:2]
    )
    assert f"The first 2 of {agreements.count()} by title" in body
    assert f"/agreements/?country={country.iso2}" in body


def test_a_short_relationship_is_shown_whole(client):
    response = client.get("/countries/kr/")
    context = response.context
    assert not context["timeline_truncated"]
    meetings = Meeting.objects.filter(countries__iso2="KR")
    shown = [item for _, events in context["timeline"] for _, _, what, item in events]
    undated = [item for _, _, what, item in context["undated"]]
    assert {m.pk for m in [*shown, *undated] if isinstance(m, Meeting)} == set(
        meetings.values_list("pk", flat=True)
    )
    assert "The timeline shows the latest" not in response.content.decode()


def test_a_country_page_costs_the_same_queries_at_any_size(client):
    counts = []
    for size in (60, 600):
        clear()
        synthesize(size, seed=8)
        url = busiest_partner().get_absolute_url()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
