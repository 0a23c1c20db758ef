"""The country list: one page in the order it says, exported in that same order."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


def exported(client, url: str, fmt: str) -> list[str]:
    response = client.get(url + ("&" if "?" in url else "?") + f"format={fmt}")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    if fmt == "csv":
        return [row["iso2"] for row in csv.DictReader(io.StringIO(body))]
    return [row["iso2"] for row in json.loads(body)["data"]]


@pytest.mark.parametrize(
    "url",
    [
        "/countries/",
        "/countries/?sort=-meetings",
        "/countries/?sort=name",
        "/countries/?sort=-name",
        "/countries/?grouping=quad",
        "/countries/?engaged=on",
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_export_is_in_the_page_order(client, url, fmt):
    shown = [c.iso2 for c in client.get(url).context["rows"]]
    assert len(shown) > 3
    assert exported(client, url, fmt) == shown


def test_the_default_order_is_by_meetings(client):
    rows = client.get("/countries/").context["rows"]
    meetings = [c.counts.get("meetings", 0) for c in rows]
    assert meetings == sorted(meetings, reverse=True)
    assert exported(client, "/countries/", "csv")[:3] == [c.iso2 for c in rows[:3]]


def test_one_page_offers_no_page_size(client):
    body = client.get("/countries/").content.decode()
    assert "Rows per page" not in body and 'name="per_page"' not in body
    response = client.get("/countries/", {"per_page": "abc"})
    assert response.status_code == 200
    assert "rows per page is not offered" not in response.content.decode()
    assert "Rows per page" in client.get("/meetings/").content.decode()
