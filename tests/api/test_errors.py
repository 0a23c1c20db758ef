"""Errors are JSON: 404 for an unknown record or path, 405 for any write (nothing changes),
401/403 when the data is not public; HEAD answers as GET does."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from engagements.models import Meeting, Source

from .reading import API, get

pytestmark = pytest.mark.django_db

DETAILS = [
    "meetings/{}",
    "agreements/{}",
    "initiatives/{}",
    "outcomes/{}",
    "officials/{}",
    "posts/{}",
    "countries/{}",
    "groupings/{}",
    "sources/{}",
]


@pytest.mark.parametrize("path", DETAILS)
@pytest.mark.parametrize("key", ["no-such-record", "zz", "x" * 300, "a\x00b", "é/ü", "a/b/"])
def test_an_unknown_key_is_a_404_in_json(client, path, key):
    problem = get(client, path.format(key), status=404)
    assert problem["status"] == 404 and problem["errors"] == {}
    assert "No " in problem["detail"]


def test_an_unknown_path_is_a_404_in_json(client):
    problem = get(client, "meeting", status=404)
    assert "no API endpoint" in problem["detail"]


def test_country_codes_are_read_in_any_case(client):
    assert get(client, "countries/kr") == get(client, "countries/KR")


ALL = [
    "",
    "meetings",
    "meetings/admm-plus-11",
    "participants",
    "agreements/aitiga",
    "tenures",
    "countries/kr",
    "sources",
    "openapi.json",
    "nothing-here",
]


@pytest.mark.parametrize("path", [p for p in ALL if p != "openapi.json"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_writing_is_405_and_changes_nothing(client, path, method):
    before = (Meeting.objects.count(), Source.objects.count())
    response = getattr(client, method)(
        API + path, data=json.dumps({"title": "x"}), content_type="application/json"
    )
    if path == "nothing-here":
        assert response.status_code == 404
        return
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert json.loads(response.content)["status"] == 405
    assert (Meeting.objects.count(), Source.objects.count()) == before


def test_the_openapi_document_refuses_writes_too(client):
    assert client.post(API + "openapi.json").status_code == 405


@pytest.mark.parametrize("path", ["", "meetings", "meetings/admm-plus-11", "countries/kr"])
def test_head_answers_as_get(client, path):
    got, head = client.get(API + path), client.head(API + path)
    assert head.status_code == got.status_code == 200
    assert head["Content-Type"] == "application/json"
    if path:
        assert head["ETag"] == got["ETag"]


def test_not_public_asks_for_a_login(client, settings, django_user_model):
    settings.DEFREL_PUBLIC = False
    assert get(client, "meetings", status=401)["status"] == 401
    assert get(client, "meetings/admm-plus-11", status=401)["status"] == 401
    stranger = django_user_model.objects.create_user("stranger", password="x")
    client.force_login(stranger)
    assert get(client, "meetings", status=403)["status"] == 403
    reader = django_user_model.objects.create_user("reader", password="x")
    reader.groups.add(Group.objects.get(name="Researchers"))
    client.force_login(reader)
    assert get(client, "meetings")["count"] == Meeting.objects.count()


def test_not_public_hides_the_api_description(client, settings, django_user_model):
    settings.DEFREL_PUBLIC = False
    assert get(client, "openapi.json", status=401)["status"] == 401
    page = client.get(API + "docs")
    assert page.status_code == 302
    assert page["Location"].startswith(reverse(settings.LOGIN_URL))
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert "paths" in get(client, "openapi.json")
    assert client.get(API + "docs").status_code == 200
