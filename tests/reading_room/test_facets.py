"""Facets count what a click gives: each facet is counted with its own filter left out."""

from urllib.parse import parse_qsl, urlencode

import pytest

from engagements.models import Meeting, Official, Source

pytestmark = pytest.mark.django_db

VIEWS = [
    "/meetings/",
    "/meetings/?year_from=2019&country=KR",
    "/meetings/?year_from=2019&country=KR&kind=bilateral",
    "/meetings/?country=KR,GB&kind=bilateral&kind=visit",
    "/meetings/?grouping=admm-plus",
    "/meetings/?q=defence&year_to=2024",
    "/agreements/",
    "/agreements/?country=US",
    "/agreements/?status=signed&kind=mou",
    "/initiatives/?country=KR",
    "/initiatives/?grouping=quad&kind=mechanism",
    "/officials/?q=Austin",
    "/officials/?country=US&year_from=2019",
    "/groupings/?kind=minilateral",
    "/sources/",
    "/sources/?publisher=Press%2C+Information+Bureau",
]


@pytest.fixture(autouse=True)
def publishers():
    """Sources with publishers (the seed's have none), one with a comma in its name."""
    Source.objects.bulk_create(
        Source(
            key=f"facet-{n}",
            title=f"Source {n}",
            publisher=publisher,
            summary="s",
            published_precision="unknown",
        )
        for n, publisher in enumerate(
            ["Press, Information Bureau", "Press, Information Bureau", "Reuters", "The Hindu"]
        )
    )


def rows_of(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.context["count_is_lower_bound"]
    assert response.context["count"] == len(client.get(url + "&per_page=200").context["rows"])
    return response.context["count"]


def only(url: str, param: str, value: str) -> str:
    """``url`` with ``param`` set to ``value`` alone."""
    path, _, query = url.partition("?")
    params = [(k, v) for k, v in parse_qsl(query) if k != param]
    return f"{path}?{urlencode([*params, (param, value)])}"


@pytest.mark.parametrize("url", VIEWS)
def test_every_facet_count_is_what_a_click_gives(client, url):
    response = client.get(url)
    assert response.status_code == 200
    path = url.partition("?")[0]
    facets = [f for f in response.context["facets"] if not f.chart]
    assert facets
    checked = 0
    for facet in facets:
        for value in facet.values:
            if value.selected:
                # Ticked: its count is its own rows (with the other filters).
                expected = rows_of(client, only(url, facet.param, value.value))
            else:
                expected = rows_of(client, path + value.href)
            assert value.count == expected, (url, facet.param, value.value)
            checked += 1
    assert checked


def test_a_chosen_kind_keeps_the_other_kinds_on_offer(client):
    response = client.get("/meetings/", {"kind": "bilateral"})
    kinds = {f.param: f for f in response.context["facets"]}["kind"].values
    assert len(kinds) > 1
    assert kinds[0].value == "bilateral" and kinds[0].selected
    assert len({v.value for v in kinds}) == len(set(Meeting.objects.values_list("kind", flat=True)))


def test_official_facet_counts_each_official_once_when_searching(client):
    response = client.get("/officials/", {"q": "Austin"})
    assert len(response.context["rows"]) == response.context["count"] == 1
    country = {f.param: f for f in response.context["facets"]}["country"].values
    assert [(v.label, v.count) for v in country] == [("United States", 1)]
    official = Official.objects.get(slug=response.context["rows"][0].slug)
    assert official.aliases.count() >= 1  # the alias table is searched too


def test_publisher_facet_is_one_at_a_time(client):
    publisher = "Reuters"
    response = client.get("/sources/", {"publisher": publisher})
    values = {f.param: f for f in response.context["facets"]}["publisher"].values
    assert values[0].value == publisher and values[0].selected
    assert all(not v.selected for v in values[1:])


def test_facets_over_many_rows_are_cached_and_still_exact(client, monkeypatch):
    """Past COUNT_LIMIT rows (here 5) facet counts are cached, and stay what a click gives."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("engagements.caching.COUNT_LIMIT", 5)
    cache.clear()
    urls = ["/meetings/?country=KR", "/meetings/?kind=bilateral&kind=visit", "/meetings/"]
    seen = {}
    for url in urls:
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        with CaptureQueriesContext(connection) as warm:
            again = client.get(url)
        assert len(warm) < len(cold), url  # the facets came from the cache
        assert [(v.value, v.count) for f in again.context["facets"] for v in f.values] == [
            (v.value, v.count) for f in response.context["facets"] for v in f.values
        ]
        seen[url] = response.context["facets"]
    monkeypatch.undo()
    cache.clear()
    try:
        for url, facets in seen.items():
            for facet in facets:
                if facet.chart:
                    continue
                for value in facet.values:
                    target = only(url, facet.param, value.value) if value.selected else value.href
                    if not value.selected:
                        target = "/meetings/" + target
                    assert value.count == rows_of(client, target), (url, value.value)
    finally:
        cache.clear()
