"""Every list page runs a fixed number of queries, at two data sizes and at any page size.

The data comes from the synthesizer (50, then 500 meetings with their officials, agreements,
initiatives and citations). Timings are the benchmark's business (``manage.py benchmark``);
this proves the shape that makes them hold: no query per row, no query per page of depth.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import Country, Meeting, Outcome, OutcomeCitation, Source, Topic
from engagements.scale.clearing import clear
from engagements.scale.synthesizer import synthesize

pytestmark = pytest.mark.django_db

SIZES = (50, 500)


def partner_code() -> str:
    """A partner country of the synthetic meetings (the same one at both sizes)."""
    return (
        Country.objects.filter(meetings__slug="syn-m0000001")
        .exclude(iso2="IN")
        .values_list("iso2", flat=True)
        .first()
    )


def variants(page: str) -> dict[str, dict]:
    filtered = {"country": partner_code(), "year_from": 1995, "year_to": 2024}
    return {
        "meetings": {
            "plain": {},
            "filtered": filtered,
            "search": {"q": "maritime security"},
            "per_page=200": {"per_page": 200},
            "per_page=25": {"per_page": 25},
        },
        "agreements": {
            "plain": {},
            "filtered": filtered,
            "search": {"q": "maritime"},
            "per_page=25": {"per_page": 25},
        },
        "initiatives": {
            "plain": {},
            "filtered": filtered,
            "search": {"q": "dialogue"},
            "per_page=25": {"per_page": 25},
        },
        "officials": {
            "plain": {},
            "filtered": {"country": partner_code()},
            "search": {"q": "singh"},
            "per_page=200": {"per_page": 200},
            "per_page=25": {"per_page": 25},
        },
        "countries": {"plain": {}, "search": {"q": "island"}},
        "groupings": {
            "plain": {},
            "filtered": {"country": partner_code(), "kind": "regional"},
            "search": {"q": "asean"},
            "per_page=25": {"per_page": 25},
        },
        "sources": {
            "plain": {},
            "filtered": {"year_from": 1995, "year_to": 2024},
            "search": {"q": "defence"},
            "per_page=200": {"per_page": 200},
            "per_page=25": {"per_page": 25},
        },
    }[page]


def count_queries(client, url: str, params: dict) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, (url, params)
    return len(ctx.captured_queries), response


def measure(client, page: str) -> dict[str, int]:
    url = reverse(f"engagements:{page[:-1] if page != 'countries' else 'country'}_list")
    counts = {}
    for name, params in variants(page).items():
        counts[name], response = count_queries(client, url, params)
        if name == "plain":
            assert response.context["rows"], f"{page}: no rows"
            following = response.context["page"]["next"] if response.context["page"] else ""
            if following:  # a deeper page, through the keyset cursor
                counts["next page"], _ = count_queries(client, url + following, {})
    return counts


PAGES = ["meetings", "agreements", "initiatives", "officials", "countries", "groupings", "sources"]


@pytest.mark.parametrize("page", PAGES)
def test_list_page_queries_do_not_grow_with_the_data(client, page):
    synthesize(SIZES[0], seed=1)
    small = measure(client, page)
    clear()
    synthesize(SIZES[1], seed=1)
    large = measure(client, page)
    # Ten times the data, no more queries. (The small run may take one more: a meeting page
    # reads dated rows, then undated ones when the dated ones do not fill it.)
    # (A list may fill a second page only at the larger size: sources, agreements.)
    assert small.keys() - {"next page"} == large.keys() - {"next page"}
    for name in small.keys() & large.keys():
        assert large[name] <= small[name] <= large[name] + 1, (page, name, small, large)
    if "next page" in large:  # a deeper page costs what the first does
        assert large["next page"] <= large["plain"] + 1, large
    # The page size changes the rows fetched, never the number of queries.
    sizes = {v for k, v in large.items() if k.startswith("per_page") or k == "plain"}
    assert len(sizes) == 1, large


def test_meeting_export_streams_in_a_fixed_number_of_queries(client):
    url = reverse("engagements:meeting_list")
    results = []
    for size in SIZES:
        clear()
        synthesize(size, seed=1)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"format": "csv"})
            lines = b"".join(response.streaming_content).decode().splitlines()
        results.append((len(ctx.captured_queries), len(lines)))
    (few, small_rows), (many, large_rows) = results
    assert large_rows - small_rows == SIZES[1] - SIZES[0]
    # Chunked iteration may add a query per chunk of 2,000 rows, not per row.
    assert many <= few + 3, results


def test_admin_meeting_changelist_queries_do_not_grow(client):
    user = get_user_model().objects.create_superuser("scale", "scale@example.org", "pw-12345678")
    client.force_login(user)
    url = reverse("admin:engagements_meeting_changelist")
    results = []
    for size in SIZES:
        clear()
        synthesize(size, seed=1)
        counts = {}
        for name, params in {
            "plain": {},
            "search": {"q": "maritime"},
            "filtered": {"kind__exact": "bilateral"},
        }.items():
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url + ("?" + urlencode(params) if params else ""))
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(ctx.captured_queries)
        results.append(counts)
    assert results[0] == results[1], results
    # A deeper page (500 meetings fill more than one) costs what the first does.
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"p": 2})
    assert response.status_code == 200
    assert len(ctx.captured_queries) == results[1]["plain"]


def test_admin_meeting_search_finds_words_prefixes_and_slugs(client):
    user = get_user_model().objects.create_superuser("find", "find@example.org", "pw-12345678")
    client.force_login(user)
    synthesize(200, seed=3)
    url = reverse("admin:engagements_meeting_changelist")

    def found(term: str) -> tuple[int, set[str]]:
        response = client.get(url, {"q": term})
        assert response.status_code == 200
        cl = response.context["cl"]
        return cl.result_count, {m.slug for m in cl.result_list}

    count, first_page = found("maritime security")
    assert count > 0 and all(s.startswith("syn-") for s in first_page)
    assert found("maritim")[0] >= count  # the last word as typed so far (autocomplete)
    assert "syn-m0000007" in found("syn-m0000007")[1]
    assert found("zzzqqq") == (0, set())


def synthetic_outcomes() -> None:
    """Two outcomes per synthetic meeting, each with actors, a target, topics and a citation
    (the synthesizer writes none): what the outcomes page lists."""
    Outcome.objects.filter(slug__startswith="syn-").delete()
    india = Country.objects.get(iso2="IN")
    topics = list(Topic.objects.order_by("pk")[:3])
    source = Source.objects.order_by("pk").first()
    meetings = Meeting.objects.filter(slug__startswith="syn-").prefetch_related("countries")
    links = []
    for meeting in meetings:
        partner = next((c for c in meeting.countries.all() if c.iso2 != "IN"), india)
        for n, kind in enumerate(("agree", "request")):
            links.append(
                (Outcome(slug=f"{meeting.slug}-o{n}", meeting=meeting, kind=kind,
                         summary="Agreed to work on maritime security."), partner)
            )  # fmt: skip
    Outcome.objects.bulk_create([o for o, _ in links])
    Outcome.actors.through.objects.bulk_create(
        Outcome.actors.through(outcome_id=o.pk, country_id=c.pk)
        for o, partner in links
        for c in {india, partner}
    )
    Outcome.targets.through.objects.bulk_create(
        Outcome.targets.through(outcome_id=o.pk, country_id=partner.pk) for o, partner in links
    )
    Outcome.topics.through.objects.bulk_create(
        Outcome.topics.through(outcome_id=o.pk, topic_id=t.pk) for o, _ in links for t in topics
    )
    OutcomeCitation.objects.bulk_create(
        OutcomeCitation(outcome=o, source=source, paragraph=1) for o, _ in links
    )


OUTCOME_VARIANTS = {
    "plain": {},
    "filtered": {"kind": "request", "year_from": 1995, "year_to": 2024},
    "by country": {"actor": "IN", "target": "KR"},
    "topic": {"topic": "shipbuilding"},
    "search": {"q": "maritime"},
    "per_page=200": {"per_page": 200},
    "per_page=25": {"per_page": 25},
}


def test_outcome_list_queries_do_not_grow_with_the_data(client):
    url = reverse("engagements:outcome_list")
    results = []
    for size in SIZES:
        Outcome.objects.filter(slug__startswith="syn-").delete()
        clear()
        synthesize(size, seed=1)
        synthetic_outcomes()
        counts = {}
        for name, params in OUTCOME_VARIANTS.items():
            counts[name], response = count_queries(client, url, params)
            if name == "plain":
                assert response.context["rows"]
                following = response.context["page"]["next"]
                if following:
                    counts["next page"], _ = count_queries(client, url + following, {})
        results.append(counts)
    small, large = results
    for name in small.keys() & large.keys():
        assert large[name] <= small[name] <= large[name] + 1, (name, small, large)
    assert large["next page"] <= large["plain"] + 1, large
    sizes = {v for k, v in large.items() if k.startswith("per_page") or k == "plain"}
    assert len(sizes) == 1, large
    Outcome.objects.filter(slug__startswith="syn-").delete()
