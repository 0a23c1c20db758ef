"""Source texts are for staff only: no answer of the API carries one, its schema has no such
field, and no query it runs even reads the column."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Source
from tests.helpers import source_texts_dir
from tests.model.test_wording import allowed_phrases, copied_runs, runs, tokens

from .reading import API, get, walk

pytestmark = pytest.mark.django_db

#: Our own words, stored as every source's text for the test (a text no answer may show).
MARKER = "Staff only: this stand-in text must never leave the curation desk, says the test."
LISTS = [
    "meetings",
    "participants",
    "agreements",
    "initiatives",
    "outcomes",
    "officials",
    "posts",
    "tenures",
    "countries",
    "groupings",
    "sources",
]


@pytest.fixture
def texts():
    """Every source's text, stored: the seed's own where they can be read, else ours."""
    folder = source_texts_dir()
    stored = {}
    for source in Source.objects.all():
        path = folder / f"{source.key}.txt"
        stored[source.key] = path.read_text() if path.is_file() else MARKER
        Source.objects.filter(pk=source.pk).update(text=stored[source.key] + "\n\n" + MARKER)
    return stored


def every_answer(client) -> list[bytes]:
    bodies = []
    for name in LISTS:
        rows, _ = walk(client, name, {"per_page": 200})
        bodies.append(json.dumps(rows, ensure_ascii=False).encode())
        for row in rows[:40]:
            if row.get("api_url"):
                bodies.append(client.get(row["api_url"].removeprefix("http://testserver")).content)
    return bodies


def test_no_answer_carries_a_source_text(client, texts):
    bodies = every_answer(client)
    assert len(bodies) > len(LISTS)
    everything = b"\n".join(bodies).decode()
    assert MARKER not in everything
    # The repository's own check: no eight words of a source, but names and titles.
    sources = set().union(*(runs(tokens(text)) for text in texts.values()))
    assert copied_runs(everything, sources, allowed_phrases()) == []
    assert all('"text"' not in body.decode() for body in bodies)


def test_the_source_schema_has_no_text(client):
    schemas = json.loads(client.get(API + "openapi.json").content)["components"]["schemas"]
    assert "text" not in schemas["Source"]["properties"]
    assert "paragraph_count" not in schemas["Source"]["properties"]
    source = get(client, "sources/002_e5b3391f3894ea28")
    assert "text" not in source and source["key"] == "002_e5b3391f3894ea28"


@pytest.mark.parametrize(
    "path",
    ["sources", "sources/002_e5b3391f3894ea28", "meetings", "tenures", "agreements/aitiga"],
)
def test_no_query_reads_the_text_column(client, texts, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API + path).status_code == 200
    column = connection.ops.quote_name("text")
    reading = [q["sql"] for q in queries if "engagements_source" in q["sql"]]
    assert reading, "the answer reads sources"
    assert not [
        sql
        for sql in reading
        if f"{connection.ops.quote_name('engagements_source')}.{column}" in sql
    ]
