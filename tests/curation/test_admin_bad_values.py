"""Bad values in the admin's filters: a message and the page, never a 500 (both databases)."""

import re

import pytest
from django.contrib import admin
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reading_room.test_fuzz import EXAMPLES, FUZZ, percent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/admin/engagements/meeting/?start_date_year=0", "“0” is not a year from 1 to 9999"),
        ("/admin/engagements/meeting/?start_date_year=99999", "“99999” is not a year"),
        ("/admin/engagements/source/?published_on_year=" + "1" * 21, "is not a year"),
        ("/admin/engagements/agreement/?status_year=0", "“0” is not a year"),
        ("/admin/engagements/tenure/?start_date_year=-5", "“-5” is not a year"),
    ],
)
def test_a_year_out_of_range_is_a_message_and_no_rows(admin_client, url, message):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "url",
    [
        "/admin/engagements/agreement/?status=%00&kind__exact=treaty",
        "/admin/engagements/meeting/?kind__exact=%00&kind__exact=visit",
        "/admin/engagements/meeting/?q=a%00b",
        "/admin/engagements/official/?%00=1",
    ],
)
def test_a_nul_in_a_filter_is_removed_with_a_message(admin_client, url):
    response = admin_client.get(url, follow=True)
    assert response.status_code == 200
    assert "held a NUL character: it was removed" in response.content.decode()
    final = response.redirect_chain[-1][0]
    assert "%00" not in final
    # The other filters stay.
    if "kind__exact=treaty" in url:
        assert "kind__exact=treaty" in final


CHANGELISTS = sorted(
    f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    for model in admin.site._registry
    if model._meta.app_label == "engagements"
)
FILTER_PARAMS = re.compile(r'href="\?([^"]*)"')


def filter_names(client, url: str) -> list[str]:
    """The parameters the change list's own filter and sort links use."""
    body = client.get(url).content.decode()
    names = {"q", "o", "p", "e", "all", "_popup", "bogus__gte"}
    for query in FILTER_PARAMS.findall(body):
        names.update(part.split("=")[0] for part in query.replace("&amp;", "&").split("&"))
    return sorted(name for name in names if name)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_no_filter_value_gives_a_server_error(admin_client, url):
    names = filter_names(admin_client, url)
    values = st.one_of(
        st.sampled_from(["0", "-1", "99999", "1" * 25, "2019", "IN", "None", "true", "x"]),
        st.text(max_size=20).map(lambda text: percent(text.encode())),
        st.binary(max_size=12).map(percent),
    )
    pairs = st.lists(st.tuples(st.sampled_from(names), values), min_size=1, max_size=3)

    # A third of the public pages' examples: the admin has 34 change lists, each slower.
    @settings(FUZZ, max_examples=max(8, EXAMPLES // 3))
    @given(pairs=pairs)
    def fuzz(pairs):
        query = "&".join(f"{name}={value}" for name, value in pairs)
        response = admin_client.get(f"{url}?{query}", follow=True)
        assert response.status_code < 500, f"{url}?{query}"

    fuzz()


@pytest.mark.parametrize(
    "query, removed",
    [
        ("published_on__year=" + "1" * 25, "published_on__year"),
        ("published_on__year=2019&published_on__month=99", "published_on__month"),
        ("published_on__year=２０１９", "published_on__year"),
        ("published_on__year=2019&published_on__month=3&published_on__day=0", "published_on__day"),
    ],
)
def test_a_date_drilldown_out_of_range_is_removed_with_a_message(admin_client, query, removed):
    """Django's date hierarchy lets a thirty-digit year through as an OverflowError (a 500)."""
    response = admin_client.get(f"/admin/engagements/source/?{query}", follow=True)
    assert response.status_code == 200
    assert f"The date filter “{removed}” was not a date: it was removed." in (
        response.content.decode()
    )
    final = response.redirect_chain[-1][0]
    assert f"{removed}=" not in final
    if removed != "published_on__year":
        assert "published_on__year=2019" in final


def test_a_date_drilldown_in_range_is_kept(admin_client):
    response = admin_client.get("/admin/engagements/source/?published_on__year=2019")
    assert response.status_code == 200
    assert "was not a date" not in response.content.decode()
