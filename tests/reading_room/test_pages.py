"""The researcher pages on the seed data: lists, details, the overview, access rules."""

import re

import pytest
from django.contrib.auth.models import Group, User

from engagements.models import (
    Agreement,
    Country,
    Grouping,
    Initiative,
    Meeting,
    Official,
    Post,
    Source,
)

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return [row.slug for row in response.context["rows"]]


def text(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def shows_day(page: str, day: str) -> bool:
    """``day`` (“1 November 2024”) appears, not as the tail of “21 November 2024”."""
    return re.search(rf"(?<!\d){re.escape(day)}", page) is not None


LIST_URLS = [
    "/",
    "/meetings/",
    "/agreements/",
    "/initiatives/",
    "/officials/",
    "/countries/",
    "/groupings/",
    "/sources/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_list_page_renders(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "<main" in body and "</html>" in body
    assert "defrel.css" in body  # served by the app (whitenoise), no CDN
    assert "cdn" not in body.lower() and "//fonts.googleapis" not in body


def test_meetings_list_is_newest_first_with_undated_last(client):
    response = client.get("/meetings/", {"per_page": 200})
    rows = response.context["rows"]
    assert len(rows) == Meeting.objects.count()
    dated = [m.start_date for m in rows if m.start_date]
    assert dated == sorted(dated, reverse=True)
    first_undated = next(i for i, m in enumerate(rows) if m.start_date is None)
    assert all(m.start_date is None for m in rows[first_undated:])


def test_meeting_rows_show_precision_participants_and_sources(client):
    response = client.get("/meetings/", {"country": "KR", "year_from": 2019})
    page = text(response)
    kim = Meeting.objects.get(slug="2024-11-rajnath-singh-kim-yong-hyun-talks")
    assert "November 2024" in page
    assert not shows_day(page, "1 November 2024")  # a month is never shown as its first day
    assert "Kim Yong Hyun" in page and "Rajnath Singh" in page
    body = response.content.decode()
    assert kim.get_absolute_url() in body
    for citation in kim.citations.all():
        assert citation.source.get_absolute_url() in body


def test_done_when_meetings_with_south_korea_since_2019(client):
    """“Every meeting between India and South Korea since 2019, with who attended.”"""
    response = client.get("/meetings/", {"country": "KR", "year_from": "2019"})
    expected = set(
        Meeting.objects.filter(countries__iso2="KR", start_date__year__gte=2019).values_list(
            "slug", flat=True
        )
    )
    assert set(slugs(response)) == expected
    assert "2019-09-rajnath-singh-wang-jung-hong-talks" in expected
    assert "admm-plus-11" in expected
    assert "Wang Jung-hong" in text(response)


def test_done_when_agreements_with_the_united_states_and_status(client):
    response = client.get("/agreements/", {"country": "US"})
    expected = set(Agreement.objects.filter(parties__iso2="US").values_list("slug", flat=True))
    assert set(slugs(response)) == expected
    assert "india-us-security-of-supply-arrangement" in expected
    # Each row shows its own status (the labels are on the page anyway, in the filters).
    body = response.content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    assert len(rows) == len(expected)
    for agreement in response.context["rows"]:
        row = next(r for r in rows if f'href="{agreement.get_absolute_url()}"' in r)
        status = re.search(r'data-label="Current status">(.*?)</td>', row, re.S).group(1)
        assert agreement.latest_status.get_status_display() in status


def test_done_when_initiatives_of_the_quad(client):
    response = client.get("/initiatives/", {"grouping": "quad"})
    assert set(slugs(response)) == {
        "maitri",
        "quad-indo-pacific-logistics-network",
        "quad-at-sea-ship-observer-mission",
    }
    for initiative in response.context["rows"]:
        for citation in initiative.citations.all():
            assert citation.source.get_absolute_url() in response.content.decode()


def test_countries_list_ranks_partners_by_meetings(client):
    response = client.get("/countries/")
    rows = response.context["rows"]
    assert len(rows) == Country.objects.count()
    meetings = [c.counts.get("meetings", 0) for c in rows]
    assert meetings == sorted(meetings, reverse=True)
    assert rows[0].iso2 == "IN"  # India takes part in every meeting
    korea = next(c for c in rows if c.iso2 == "KR")
    assert korea.counts["meetings"] == Meeting.objects.filter(countries__iso2="KR").count()


def test_countries_engaged_filter_and_grouping(client):
    engaged = client.get("/countries/", {"engaged": "on"}).context["rows"]
    assert {c.iso2 for c in engaged} >= {"KR", "US", "GB", "SG", "MY"}
    assert "AQ" not in {c.iso2 for c in engaged}
    assert "IN" not in {c.iso2 for c in engaged}  # India's partners, not India
    quad = client.get("/countries/", {"grouping": "quad"}).context["rows"]
    assert {c.iso2 for c in quad} == {"AU", "IN", "JP", "US"}


def test_officials_groupings_sources_lists(client):
    officials = client.get("/officials/", {"country": "KR"}).context["rows"]
    assert {o.slug for o in officials} == set(
        Official.objects.filter(country__iso2="KR").values_list("slug", flat=True)
    )
    rajnath = client.get("/officials/", {"q": "Rajnath"}).context["rows"]
    assert [o.slug for o in rajnath] == ["rajnath-singh"]
    assert (
        rajnath[0].meeting_count
        == Meeting.objects.filter(participations__official__slug="rajnath-singh").count()
    )
    groupings = client.get("/groupings/", {"kind": "minilateral"}).context["rows"]
    assert [g.slug for g in groupings] == ["quad"]
    sources = client.get("/sources/").context["rows"]
    assert len(sources) == Source.objects.count()
    assert [s.key for s in sources] == sorted(s.key for s in sources)


def test_overview_counts_latest_partners_and_charts(client):
    response = client.get("/")
    counts = response.context["counts"]
    assert counts["meetings"] == Meeting.objects.count()
    # "N partner countries" is exactly the list it links to, India left out.
    body = response.content.decode()
    link = re.search(r'href="(/countries/\?[^"]*)"><strong>(\d+)</strong> partner countries', body)
    listed = client.get(link.group(1).replace("&amp;", "&")).context["rows"]
    assert counts["countries"] == int(link.group(2)) == len(listed)
    assert "IN" not in {c.iso2 for c in listed}
    assert {c.iso2 for c in listed} == set(
        Country.objects.exclude(iso2="IN")
        .filter(meetings__isnull=False)
        .values_list("iso2", flat=True)
    ) | set(
        Country.objects.exclude(iso2="IN")
        .filter(agreements__isnull=False)
        .values_list("iso2", flat=True)
    ) | set(
        Country.objects.exclude(iso2="IN")
        .filter(initiatives__isnull=False)
        .values_list("iso2", flat=True)
    )
    assert counts["agreements"] == Agreement.objects.count()
    latest = response.context["latest"]
    assert (
        latest[0].start_date
        == Meeting.objects.exclude(start_date=None).latest("start_date").start_date
    )
    partners = response.context["partners"]
    assert "IN" not in {p["iso2"] for p in partners}
    assert [p["n"] for p in partners] == sorted((p["n"] for p in partners), reverse=True)
    page = text(response)
    assert "Rajnath Singh – Pat Conroy talks Australia " in page  # partners: India left out
    body = response.content.decode()
    assert ", </span>" not in body  # no list ends in a stray comma
    assert body.count("<svg class='chart wide'") == 3  # each also drawn for a phone
    assert body.count("<svg class='chart narrow'") == 3
    assert "Engagements per year" in body


# --- detail pages -------------------------------------------------------------------------


def test_every_record_has_a_working_detail_page(client):
    records = [
        *Meeting.objects.all(),
        *Agreement.objects.all(),
        *Initiative.objects.all(),
        *Official.objects.all(),
        *Post.objects.all(),
        *Grouping.objects.all(),
        *Source.objects.all(),
        *Country.objects.filter(iso2__in=["IN", "KR", "US", "AQ"]),
    ]
    for record in records:
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200, record.get_absolute_url()


def test_meeting_detail_shows_parent_siblings_participants_sources(client):
    kim = Meeting.objects.get(slug="2024-11-rajnath-singh-kim-yong-hyun-talks")
    response = client.get(kim.get_absolute_url())
    body = response.content.decode()
    assert kim.parent.get_absolute_url() in body  # the ADMM-Plus it was on the sidelines of
    for sibling in kim.parent.children.exclude(pk=kim.pk):
        assert sibling.get_absolute_url() in body
    for participation in kim.participations.all():
        assert participation.official.get_absolute_url() in body
        for post in participation.posts.all():
            assert post.get_absolute_url() in body
    for citation in kim.citations.all():
        assert citation.source.get_absolute_url() in body
        assert f"¶ {citation.paragraph}" in body
    page = text(response)
    assert "November 2024" in page and not shows_day(page, "1 November 2024")

    parent = client.get(kim.parent.get_absolute_url()).content.decode()
    assert kim.get_absolute_url() in parent  # the parent lists its sideline meetings


def test_agreement_detail_shows_status_history_and_amendments(client):
    mou = Agreement.objects.get(slug="india-malaysia-defence-cooperation-mou-1993")
    letters = Agreement.objects.get(slug="india-malaysia-exchange-of-letters-2023")
    body = client.get(mou.get_absolute_url()).content.decode()
    assert letters.get_absolute_url() in body
    assert "amends this" in body
    for change in mou.status_history.all():
        assert change.get_status_display() in body
    back = client.get(letters.get_absolute_url()).content.decode()
    assert mou.get_absolute_url() in back and "This amends" in back


def test_official_detail_shows_posts_over_time_and_meetings(client):
    official = Official.objects.get(slug="rajnath-singh")
    response = client.get(official.get_absolute_url())
    body = response.content.decode()
    for tenure in official.tenures.all():
        assert tenure.post.get_absolute_url() in body
        assert tenure.period in text(response)
    attended = Meeting.objects.filter(participations__official=official)
    for meeting in attended:
        assert meeting.get_absolute_url() in body
    assert "/meetings/?official=rajnath-singh" in body


def test_country_detail_is_a_timeline_of_the_relationship(client):
    response = client.get("/countries/kr/")
    assert response.status_code == 200
    timeline = response.context["timeline"]
    years = [year for year, _ in timeline]
    assert years == sorted(years, reverse=True)
    shown = {
        item.slug for _, events in timeline for _, _, what, item in events if what == "meeting"
    }
    assert shown == set(Meeting.objects.filter(countries__iso2="KR").values_list("slug", flat=True))
    body = response.content.decode()
    for agreement in Agreement.objects.filter(parties__iso2="KR"):
        assert agreement.get_absolute_url() in body
    upper = client.get("/countries/KR/?x=1")  # codes in any case, one canonical address
    assert upper.status_code == 301 and upper["Location"] == "/countries/kr/?x=1"
    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/countries/korea/").status_code == 404


def test_source_detail_lists_what_it_supports(client):
    source = Source.objects.get(key="002_e5b3391f3894ea28")
    body = client.get(source.get_absolute_url()).content.decode()
    for meeting in Meeting.objects.filter(citations__source=source).distinct():
        assert meeting.get_absolute_url() in body


def test_unknown_records_are_404(client):
    for url in ["/meetings/nope/", "/agreements/nope/", "/officials/nope/", "/sources/nope/"]:
        assert client.get(url).status_code == 404


# --- access -------------------------------------------------------------------------------


def test_pages_require_login_with_view_permission_when_not_public(client, settings):
    settings.DEFREL_PUBLIC = False
    response = client.get("/meetings/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/meetings/"
    assert client.get("/meetings/", {"format": "csv"}).status_code == 302  # exports too

    nobody = User.objects.create_user("nobody", password="x-Secret-123")
    client.force_login(nobody)
    assert client.get("/meetings/").status_code == 403

    researcher = User.objects.create_user("researcher", password="x-Secret-123")
    researcher.groups.add(Group.objects.get(name="Researchers"))
    client.force_login(researcher)
    for url in [*LIST_URLS, "/meetings/admm-plus-11/", "/countries/kr/", "/meetings/?format=csv"]:
        assert client.get(url).status_code == 200, url


def test_a_researcher_without_staff_status_logs_in_on_the_reading_rooms_page(client, settings):
    settings.DEFREL_PUBLIC = False
    researcher = User.objects.create_user("reader", password="x-Secret-123")
    researcher.groups.add(Group.objects.get(name="Researchers"))
    form = client.get("/login/?next=/meetings/")
    assert form.status_code == 200
    assert 'name="next" value="/meetings/"' in form.content.decode()
    wrong = client.post("/login/", {"username": "reader", "password": "nope", "next": "/meetings/"})
    assert wrong.status_code == 200
    assert "enter a correct username and password" in wrong.content.decode()
    response = client.post(
        "/login/", {"username": "reader", "password": "x-Secret-123", "next": "/meetings/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/meetings/"
    page = client.get("/meetings/")
    assert page.status_code == 200
    assert "Logged in as reader" in page.content.decode()
    # The admin still refuses a login without staff status.
    assert client.get("/admin/").status_code == 302
    # Logging out ends the session; the pages ask for a login again.
    assert client.post("/logout/").status_code == 302
    assert client.get("/meetings/").status_code == 302


def test_an_offsite_next_address_is_not_followed(client, settings):
    settings.DEFREL_PUBLIC = False
    User.objects.create_user("reader", password="x-Secret-123")
    response = client.post(
        "/login/",
        {"username": "reader", "password": "x-Secret-123", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_pages_are_public_by_default(client, settings):
    settings.DEFREL_PUBLIC = True
    assert client.get("/meetings/admm-plus-11/").status_code == 200


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/meetings/", Meeting),
        ("/agreements/", Agreement),
        ("/initiatives/", Initiative),
        ("/officials/", Official),
        ("/groupings/", Grouping),
        ("/sources/", Source),
        ("/countries/", Country),
    ],
)
def test_the_list_pages_link_each_row_to_its_get_absolute_url(client, path, model):
    # The rows build links from each detail URL reversed once (engagements.views.cells).
    body = client.get(path, {"per_page": 200}).content.decode()
    for record in model.objects.all():
        assert f'href="{record.get_absolute_url()}"' in body, record
