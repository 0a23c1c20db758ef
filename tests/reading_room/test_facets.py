"""Facets count what a click gives: each facet is counted with its own filter left out."""

import html
import re
from urllib.parse import parse_qsl, urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Grouping, GroupingKind, Meeting, Official, Source, Topic

pytestmark = pytest.mark.django_db

VIEWS = [
    "/meetings/",
    "/meetings/?year_from=2019&country=KR",
    "/meetings/?year_from=2019&country=KR&kind=bilateral",
    "/meetings/?country=KR,GB&kind=bilateral&kind=visit",
    "/meetings/?grouping=admm-plus",
    "/meetings/?topic=defence-industry",
    "/meetings/?topic=defence-technology&country=US",
    "/meetings/?q=defence&year_to=2024",
    "/agreements/",
    "/agreements/?country=US",
    "/agreements/?status=signed&kind=mou",
    "/agreements/?topic=trade",
    "/initiatives/?country=KR",
    "/initiatives/?grouping=quad&kind=mechanism",
    "/initiatives/?topic=investment",
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


def select_options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the select ``name``."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, name
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select[1])
    return [(value, html.unescape(label), bool(chosen)) for value, chosen, label in options]


def reads_table(sql: str, table: str) -> bool:
    """Whether ``sql`` lists the vocabulary ``table``: reads it whole, or counts rows by it
    (the rows' own labels, joined or listed for the page's rows, are not that)."""
    return f'FROM "{table}"' in sql or (f'JOIN "{table}"' in sql and "GROUP BY" in sql)


VOCABULARIES = [
    ("/meetings/", "grouping", Grouping, "short_name", "Any grouping"),
    ("/meetings/", "topic", Topic, "name", "Any topic"),
    ("/agreements/", "grouping", Grouping, "short_name", "Any grouping"),
    ("/initiatives/", "topic", Topic, "name", "Any topic"),
]


@pytest.mark.parametrize(("path", "param", "model", "label", "empty"), VOCABULARIES)
def test_a_vocabulary_is_read_once_for_its_facet_and_its_select(
    client, path, param, model, label, empty
):
    if model is Topic:
        unused = Topic.objects.create(slug="zz-unused", name="Unused (test)", description="Ours.")
    else:
        unused = Grouping.objects.create(
            slug="zz-unused", name="Unused grouping (test)", short_name="Unused (test)",
            kind=GroupingKind.values[0],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    reads = [q for q in ctx.captured_queries if reads_table(q["sql"], model._meta.db_table)]
    # One query lists the vocabulary with each entry's count: the facet and the select.
    assert len(reads) == 1
    entries = model.objects.order_by(label).values_list("slug", label)
    expected = [("", empty, True)] + [(slug, shown, False) for slug, shown in entries]
    page = response.content.decode()
    assert select_options(page, param) == expected  # every entry, those unused too
    facet = {f.param: f for f in response.context["facets"]}[param]
    assert unused.slug not in [v.value for v in facet.values]  # no rows: no facet value
    # Chosen, it is the selected option (and the filter finds it by its identifier).
    chosen = facet.values[0].value
    page = client.get(path, {param: chosen}).content.decode()
    assert [value for value, _, selected in select_options(page, param) if selected] == [chosen]


def test_over_a_big_table_the_select_comes_with_the_kept_facet(client, monkeypatch):
    monkeypatch.setattr("engagements.caching.COUNT_LIMIT", 5)
    cache.clear()
    try:
        cold = client.get("/meetings/").content.decode()
        with CaptureQueriesContext(connection) as ctx:
            warm = client.get("/meetings/").content.decode()
        assert not [q for q in ctx.captured_queries if reads_table(q["sql"], "engagements_topic")]
        assert select_options(warm, "topic") == select_options(cold, "topic")
        assert len(select_options(warm, "topic")) == Topic.objects.count() + 1
    finally:
        cache.clear()
