"""Dated grouping membership: "members of ADMM-Plus in 2024" leaves out a state that joined
later, and the dates are reference data entered, exported and shown with where they come from."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from engagements.models import Country, Grouping, Membership
from engagements.permissions import EDITORS
from tests.curation.test_admin import form_data
from tests.helpers import url

pytestmark = pytest.mark.django_db


def codes(countries) -> set[str]:
    return set(countries.values_list("iso2", flat=True))


def test_members_on_a_date_leave_out_a_state_that_joined_later():
    admm = Grouping.objects.get(slug="admm-plus")
    in_2024 = codes(admm.members_on(dt.date(2024, 11, 21)))
    assert len(in_2024) == 18 and "TL" not in in_2024 and {"IN", "US", "CN"} <= in_2024
    assert "TL" in codes(admm.members_on(dt.date(2025, 11, 1)))
    # A month-precise date counts from the first of the month, no earlier.
    assert "TL" not in codes(admm.members_on(dt.date(2025, 9, 30)))
    asean = Grouping.objects.get(slug="asean")
    assert codes(asean.members_on(dt.date(1990, 1, 1))) == {"ID", "MY", "PH", "SG", "TH", "BN"}


def test_every_seed_membership_says_where_its_date_comes_from():
    assert Membership.objects.count() == 34
    assert not Membership.objects.filter(note="").exists()
    assert not Membership.objects.filter(joined_on__isnull=True).exists()


def test_a_country_cannot_leave_before_it_joined_or_join_twice():
    membership = Membership.objects.get(grouping__slug="quad", country__iso2="IN")
    membership.left_on, membership.left_precision = dt.date(2010, 1, 1), "day"
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(grouping=membership.grouping, country=membership.country)


def test_the_grouping_page_shows_when_each_member_joined(client):
    html = client.get(Grouping.objects.get(slug="asean").get_absolute_url()).content.decode()
    assert "Joined" in html and "8 August 1967" in html and "26 October 2025" in html


def test_memberships_export_with_their_dates_and_import_refuses_a_bad_one(client, tmp_path):
    response = client.get(
        reverse("engagements:grouping_list"), {"format": "csv", "table": "memberships"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {(r["grouping"], r["country"]): r for r in csv.DictReader(io.StringIO(text))}
    assert rows[("admm-plus", "TL")]["joined"] == "2025-10"
    assert rows[("asean", "BN")]["joined"] == "1984-01-07"
    path = tmp_path / "m.csv"
    path.write_text("grouping,country,joined,left,note\nquad,NZ,2017-13,,A test.\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "membership", str(path), stdout=io.StringIO(), stderr=err)
    assert "2017-13" in err.getvalue()
    assert not Membership.objects.filter(grouping__slug="quad", country__iso2="NZ").exists()


def test_an_editor_adds_a_member_with_a_month_on_the_grouping_page(login):
    client = login(EDITORS)
    quad = Grouping.objects.get(slug="quad")
    page = client.get(url(Grouping, "change", quad.pk))
    assert "members (with when each joined and left)" in page.content.decode().lower()
    data = form_data(page)
    n = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(n + 1)
    data |= {
        f"memberships-{n}-country": Country.objects.get(iso2="NZ").pk,
        f"memberships-{n}-joined": "2030-02",
        f"memberships-{n}-left": "",
        f"memberships-{n}-note": "A test entry.",
    }
    response = client.post(url(Grouping, "change", quad.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    added = Membership.objects.get(grouping=quad, country__iso2="NZ")
    assert (added.joined_on, added.joined_precision) == (dt.date(2030, 2, 1), "month")
    assert added.history.get().history_user.username == "editors"
