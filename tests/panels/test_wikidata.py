"""A country's Wikidata QID: curators fill it in the admin; the database keeps it well formed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagements.models import Country
from engagements.panels import country_year_panel
from engagements.permissions import EDITORS
from tests.curation.test_admin import form_data
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["q884", "Q", "Q0", "Q0884", "Q 884", "884", "wd:Q884"])
def test_a_malformed_qid_is_refused_by_the_form_and_the_database(value):
    korea = Country.objects.get(iso2="KR")
    korea.wikidata = value
    with pytest.raises(ValidationError, match="Wikidata QID"):
        korea.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.filter(pk=korea.pk).update(wikidata=value)


def test_two_countries_cannot_share_a_qid():
    Country.objects.filter(iso2="KR").update(wikidata="Q884")
    with pytest.raises(IntegrityError), transaction.atomic():
        Country.objects.filter(iso2="JP").update(wikidata="Q884")
    # Blank is not a value: many countries have none.
    assert Country.objects.filter(wikidata="").count() > 100


def test_a_curator_fills_it_in_the_admin_and_the_panel_carries_it(login):
    client = login(EDITORS)
    korea = Country.objects.get(iso2="KR")
    change = url(Country, "change", korea.pk)
    page = client.get(change)
    assert 'name="wikidata"' in page.content.decode()
    data = form_data(page)
    data["wikidata"] = "Q884 "  # a pasted value with a trailing space is trimmed
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    korea.refresh_from_db()
    assert korea.wikidata == "Q884"
    data["wikidata"] = "wd:Q884"  # a prefixed value (a URL is refused by its length first)
    response = client.post(change, data)
    assert response.status_code == 200
    assert "A Wikidata QID is Q followed by the item" in response.content.decode()
    assert country_year_panel(["KR"], 2024, 2024)[0]["partner_wikidata"] == "Q884"
