"""Change lists count filtered rows only so far and say so ("more than …"), never a wrong count."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.admin.base import EstimatedCountPaginator
from engagements.models import Meeting
from engagements.scale.synthesizer import synthesize

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("counts", "c@example.org", "pw-12345678")
    client.force_login(user)
    synthesize(120, seed=4)
    return client


def test_a_search_beyond_the_bound_says_more_than(staff, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "bound", 20)
    url = reverse("admin:engagements_meeting_changelist")
    matching = Meeting.objects.filter(slug__startswith="syn-", kind="bilateral").count()
    assert matching > 20
    with CaptureQueriesContext(connection) as queries:
        response = staff.get(url, {"kind__exact": "bilateral"})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.paginator.count_is_lower_bound and cl.result_count == 21
    page = response.content.decode()
    assert "more than 20 meetings" in page
    assert "Select all (more than 20) meetings" in page
    assert f"{matching} meetings" not in page
    # The count stopped at the bound: a LIMIT inside the COUNT, never a full count. (The
    # database cache counts its own table before it keeps the figure: MAX_ENTRIES bounds it.)
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "defrel_cache" not in q["sql"]
    ]
    assert counts and all("LIMIT 21" in sql for sql in counts)


def test_a_search_within_the_bound_is_counted_exactly(staff):
    url = reverse("admin:engagements_meeting_changelist")
    expected = Meeting.objects.filter(kind="industry").count()
    assert 0 < expected <= EstimatedCountPaginator.bound
    response = staff.get(url, {"kind__exact": "industry"})
    cl = response.context["cl"]
    assert cl.result_count == expected and not cl.paginator.count_is_lower_bound
    noun = "meeting" if expected == 1 else "meetings"
    assert f"{expected} {noun}" in response.content.decode()
    assert "more than" not in response.content.decode()


def test_more_than_the_bound_is_remembered_and_exact_counts_are_not(staff, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(EstimatedCountPaginator, "bound", 20)
    cache.clear()
    url = reverse("admin:engagements_meeting_changelist")

    def counted(params) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            response = staff.get(url, params)
        assert response.status_code == 200
        return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]

    big = {"kind__exact": "bilateral"}
    assert counted(big)  # counted once, up to the bound
    assert not counted(big)  # "more than 20" remembered
    small = {"kind__exact": "industry"}
    assert counted(small) and counted(small)  # exact counts are counted every time
    cache.clear()
