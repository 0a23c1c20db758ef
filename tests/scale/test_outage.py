"""While the database cannot be reached, pages answer 503 with Retry-After, not a 500."""

from __future__ import annotations

import re

import pytest
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.test import Client

from engagements.views.lists import MeetingListView

pytestmark = pytest.mark.django_db


def failing(exc):
    def get(self, request, *args, **kwargs):
        raise exc

    return get


@pytest.mark.parametrize(
    "exc",
    [OperationalError("connection refused"), InterfaceError("connection already closed")],
)
def test_a_database_outage_is_a_503_to_retry(monkeypatch, exc):
    monkeypatch.setattr(MeetingListView, "get", failing(exc))
    response = Client(raise_request_exception=False).get("/meetings/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert "Briefly unavailable" in body and "{#" not in body


def test_other_failures_keep_the_500_page(monkeypatch):
    monkeypatch.setattr(MeetingListView, "get", failing(ValueError("a bug")))
    response = Client(raise_request_exception=False).get("/meetings/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_the_503_page_has_the_style_the_policy_allows():
    """Content-Security-Policy allows the 500 page's inline style by its hash: same text."""

    def style(name):
        return re.search(r"<style>(.*?)</style>", render_to_string(name), re.DOTALL)[1]

    assert style("503.html") == style("500.html")
