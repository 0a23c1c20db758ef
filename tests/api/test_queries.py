"""A list endpoint runs a fixed number of queries whatever its page size and however much
data there is: one bounded count, the page's rows, one query per relation its rows embed,
the data's last change. No query per row, none per embedded row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from engagements.models import Meeting
from engagements.scale.clearing import clear
from engagements.scale.synthesizer import synthesize

from .reading import API

pytestmark = pytest.mark.django_db

#: Queries of each list: the count, whether the table is big, the rows, each relation the
#: rows embed or list (countries, topics, participants and their posts…), the last change.
EXPECTED = {
    "meetings": 10,
    "participants": 5,
    "agreements": 12,
    "initiatives": 13,
    "outcomes": 11,
    "officials": 8,
    "posts": 8,
    "tenures": 5,
    "countries": 9,  # its counts (three) order the rows, as on its page
    "groupings": 7,
    "sources": 4,
}
#: Lists read by date, newest first: a page that runs past the dated rows reads the undated
#: ones in one more query (keyset pages, one per segment), whatever its size.
BY_DATE = {"meetings", "outcomes"}


@pytest.mark.parametrize("name", EXPECTED)
@pytest.mark.parametrize("size", [1, 2, 200])
def test_a_list_runs_the_same_queries_at_any_page_size(
    client, django_assert_num_queries, name, size
):
    crossing = 1 if name in BY_DATE and size == 200 else 0
    with django_assert_num_queries(EXPECTED[name] + crossing):
        response = client.get(API + name, {"per_page": size})
    assert response.status_code == 200


def test_meetings_by_title_run_the_same_queries_at_any_size(client, django_assert_num_queries):
    for size in (1, 7, 200):
        with django_assert_num_queries(EXPECTED["meetings"]):
            assert (
                client.get(API + "meetings", {"sort": "title", "per_page": size}).status_code == 200
            )


def count_queries(client, path: str, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(API + path, params or {})
    assert response.status_code == 200, (path, response.content[:300])
    return len(ctx.captured_queries)


def test_one_record_costs_the_same_however_many_rows_it_embeds(client):
    # (With none at all, the participants' posts are not asked for: one query fewer.)
    counted = (
        Meeting.objects.annotate(n=Count("participations")).filter(n__gte=1).order_by("n", "slug")
    )
    few, many = counted.first(), counted.last()
    assert few.n < many.n
    assert count_queries(client, f"meetings/{few.slug}") == count_queries(
        client, f"meetings/{many.slug}"
    )


AT_SCALE = [
    ("meetings", {"per_page": 200, "sort": "title"}),  # one segment (see BY_DATE)
    ("meetings", {"per_page": 200, "country": "IN", "year_from": 1995, "sort": "-title"}),
    ("participants", {"per_page": 200}),
    ("agreements", {"per_page": 200}),
    ("initiatives", {"per_page": 200}),
    ("officials", {"per_page": 200}),
    ("tenures", {"per_page": 200}),
    ("sources", {"per_page": 200}),
]


def test_ten_times_the_data_runs_no_more_queries(client):
    results = []
    for size in (50, 500):
        clear()
        synthesize(size, seed=1)
        results.append([count_queries(client, name, params) for name, params in AT_SCALE])
    assert results[0] == results[1], results
