"""ETag and Last-Modified on every answer; a conditional GET of a current copy is a 304,
and any change to the data makes the next one a 200 again."""

from __future__ import annotations

import pytest
from django.utils.http import http_date, parse_http_date

from engagements.api.conditional import data_changed_at
from engagements.models import Meeting

from .reading import API

pytestmark = pytest.mark.django_db

PATHS = [
    "meetings?country=KR",
    "meetings/admm-plus-11",
    "agreements",
    "participants",
    "countries/kr",
    "sources/002_e5b3391f3894ea28",
    "tenures?per_page=2",
]


@pytest.mark.parametrize("path", PATHS)
def test_a_current_copy_is_a_304(client, path):
    first = client.get(API + path)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    assert parse_http_date(modified)
    again = client.get(API + path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    by_date = client.get(API + path, headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    head = client.head(API + path, headers={"If-None-Match": etag})
    assert head.status_code == 304


def test_other_etags_and_older_dates_get_the_data(client):
    first = client.get(API + "meetings")
    stale = client.get(API + "meetings", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == first.content
    older = http_date(parse_http_date(first["Last-Modified"]) - 60)
    assert client.get(API + "meetings", headers={"If-Modified-Since": older}).status_code == 200
    # An ETag names this answer only: another page or filter has its own.
    other = client.get(API + "meetings?per_page=1")
    assert other["ETag"] != first["ETag"]


def test_a_change_to_the_data_is_a_new_etag(client):
    url = API + "meetings/admm-plus-11"
    first = client.get(url)
    elsewhere = client.get(API + "meetings", {"country": "SG"})
    meeting = Meeting.objects.get(slug="admm-plus-11")
    meeting.city = "Vientiane (National Convention Centre)"
    meeting.save()  # a change as the admin makes it: its history row dates it
    after = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert b"National Convention Centre" in after.content
    listed = client.get(API + "meetings", {"grouping": "admm-plus"})
    assert b"National Convention Centre" in listed.content
    # A list without the meeting answers the same, so its ETag stays (the body's digest).
    same = client.get(API + "meetings", {"country": "SG"})
    assert same.content == elsewhere.content and same["ETag"] == elsewhere["ETag"]


@pytest.mark.parametrize("change", ["save", "delete"])
def test_last_modified_is_the_latest_change(client, change):
    url = API + "meetings?per_page=1"
    before = data_changed_at()
    assert client.get(url)["Last-Modified"] == http_date(int(before.timestamp()))
    meeting = Meeting.objects.get(slug="admm-plus-11")
    meeting.save() if change == "save" else meeting.delete()  # either writes a history row
    after = data_changed_at()
    assert after > before
    assert client.get(url)["Last-Modified"] == http_date(int(after.timestamp()))


def test_errors_carry_no_validators(client):
    missing = client.get(API + "meetings/no-such-meeting")
    assert missing.status_code == 404 and not missing.has_header("ETag")
