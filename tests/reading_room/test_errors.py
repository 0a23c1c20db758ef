"""Error pages in the site's style; query strings with commas; the whole timeline."""

import pytest
from django.contrib.auth.models import User
from django.http import QueryDict
from django.test import RequestFactory

from engagements.models import Agreement, AgreementStatusChange, Country, Initiative
from engagements.views.querystring import toggled

pytestmark = pytest.mark.django_db


# --- error pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/meetings/nope/", "/countries/zz/", "/no-such-page/"])
def test_404_is_a_page_of_the_site(client, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "defrel.css" in body and "Not found" in body
    assert 'href="/meetings/"' in body


def test_403_is_a_page_of_the_site(client, settings):
    settings.DEFREL_PUBLIC = False
    client.force_login(User.objects.create_user("nobody", password="x-Secret-123"))
    response = client.get("/meetings/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "defrel.css" in body and "Not allowed" in body


def test_500_needs_no_context():
    from django.template import Context, Engine, loader
    from django.views.defaults import server_error

    template = loader.get_template("500.html")
    assert "Something went wrong" in template.template.render(Context())
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    source = Engine.get_default().find_template("500.html")[0].source
    assert "{%" not in source and "{{" not in source  # nothing that could fail in turn


# --- values with commas ----------------------------------------------------------------------


def test_only_documented_lists_split_on_commas():
    query = QueryDict("publisher=Press%2C+Information+Bureau&country=KR,GB")
    href, selected = toggled(query, "publisher", "Press, Information Bureau", single=True)
    assert selected and "publisher" not in href
    href, selected = toggled(query, "country", "GB")
    assert selected and "country=KR" in href and "GB" not in href


def test_a_publisher_with_a_comma_can_be_ticked_and_unticked(client):
    from engagements.models import Source

    Source.objects.create(
        key="comma-1",
        title="t",
        publisher="Press, Information Bureau",
        summary="s",
        published_precision="unknown",
    )
    response = client.get("/sources/", {"publisher": "Press, Information Bureau"})
    assert [s.key for s in response.context["rows"]] == ["comma-1"]
    value = response.context["facets"][0].values[0]
    assert value.selected and "publisher" not in value.href
    chips = response.context["active_filters"]
    assert chips == [("Publisher", "Press, Information Bureau", "?")]


# --- the country timeline --------------------------------------------------------------------


def test_undated_steps_and_starts_are_on_the_timeline(client):
    korea = Country.objects.get(iso2="KR")
    agreement = Agreement.objects.filter(parties=korea).first()
    AgreementStatusChange.objects.create(
        agreement=agreement, status="proposed", date=None, precision="unknown"
    )
    initiative = Initiative.objects.create(
        slug="undated-start", name="Undated initiative", kind="programme", start_precision="unknown"
    )
    initiative.countries.add(korea)
    response = client.get("/countries/kr/")
    undated = {
        (what, getattr(item, "pk", None)) for _, _, what, item in response.context["undated"]
    }
    assert ("start", initiative.pk) in undated
    assert any(what == "status" for what, _ in undated)
    body = response.content.decode()
    tail = body.split("Date unknown", 1)[1]
    assert "Undated initiative" in tail and agreement.get_absolute_url() in tail
