"""Every filter of the list pages on the seed data, and what bad values do (never a 500)."""

import datetime as dt

import pytest

from engagements.models import (
    Agreement,
    AgreementStatus,
    Initiative,
    Meeting,
    MeetingKind,
    Official,
)

pytestmark = pytest.mark.django_db


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row.slug for row in response.context["rows"]}


def meeting_slugs(**lookups) -> set[str]:
    return set(Meeting.objects.filter(**lookups).values_list("slug", flat=True))


# --- meetings -----------------------------------------------------------------------------


def test_country_is_repeatable_and_case_insensitive(client):
    one = slugs(client.get("/meetings/", {"country": "kr"}))
    assert one == meeting_slugs(countries__iso2="KR")
    both = slugs(client.get("/meetings/?country=KR&country=GB"))
    assert both == meeting_slugs(countries__iso2__in=["KR", "GB"])
    assert both > one
    assert slugs(client.get("/meetings/?country=KR,GB")) == both


def test_year_range_works_across_date_precisions(client):
    got = slugs(client.get("/meetings/", {"year_from": 2024, "year_to": 2024}))
    assert got == meeting_slugs(start_date__year=2024)
    # A meeting known only to the year (2024) and one known to the month are both in.
    assert "2024-narendra-modi-visit-to-singapore" in got
    assert "2024-11-rajnath-singh-kim-yong-hyun-talks" in got
    assert slugs(client.get("/meetings/", {"year_to": 2019})) == meeting_slugs(
        start_date__year__lte=2019
    )


def test_kind_status_grouping_official(client):
    assert slugs(client.get("/meetings/", {"kind": "summit"})) == meeting_slugs(kind="summit")
    several = slugs(client.get("/meetings/?kind=summit&kind=visit"))
    assert several == meeting_slugs(kind__in=[MeetingKind.SUMMIT, MeetingKind.VISIT])
    assert slugs(client.get("/meetings/", {"status": "scheduled"})) == meeting_slugs(
        status="scheduled"
    )
    assert slugs(client.get("/meetings/", {"grouping": "admm-plus"})) == {"admm-plus-11"}
    attended = slugs(client.get("/meetings/", {"official": "kim-yong-hyun"}))
    assert attended == {"2024-11-rajnath-singh-kim-yong-hyun-talks"}


def test_text_search_finds_words_in_titles_and_summaries(client):
    got = slugs(client.get("/meetings/", {"q": "Lawrence Wong"}))
    assert got >= {
        "2025-09-lawrence-wong-visit-to-india",
        "2025-09-narendra-modi-lawrence-wong-talks",
    }
    assert all(
        "wong" in (m.title + m.summary).lower() for m in Meeting.objects.filter(slug__in=got)
    )
    assert slugs(client.get("/meetings/", {"q": "zzzqqq"})) == set()


def test_filters_combine(client):
    got = slugs(client.get("/meetings/", {"country": "KR", "year_from": 2020, "kind": "bilateral"}))
    assert got == meeting_slugs(countries__iso2="KR", start_date__year__gte=2020, kind="bilateral")
    assert got == {"2024-11-rajnath-singh-kim-yong-hyun-talks"}


def test_facets_count_the_filtered_rows_and_link_to_a_narrower_view(client):
    response = client.get("/meetings/", {"year_from": 2024})
    facets = {f.param: f for f in response.context["facets"]}
    kinds = {v.value: v.count for v in facets["kind"].values}
    for kind, count in kinds.items():
        assert count == Meeting.objects.filter(start_date__year__gte=2024, kind=kind).count()
    partners = {v.value: v for v in facets["country"].values}
    assert "IN" not in partners  # India is in every meeting: not a useful facet
    korea = partners["KR"]
    assert (
        korea.count
        == Meeting.objects.filter(start_date__year__gte=2024, countries__iso2="KR").count()
    )
    narrowed = client.get("/meetings/" + korea.href)
    assert slugs(narrowed) == meeting_slugs(start_date__year__gte=2024, countries__iso2="KR")
    again = {f.param: f for f in narrowed.context["facets"]}["country"]
    selected = next(v for v in again.values if v.value == "KR")
    assert selected.selected
    assert "country" not in selected.href  # clicking a selected facet removes it
    years = {v.value: v.count for v in facets["year"].values}
    for year, count in years.items():
        assert count == Meeting.objects.filter(start_date__year=int(year)).count()
    assert sum(years.values()) == len(slugs(response))
    assert "<svg" in facets["year"].chart


# --- agreements, initiatives, officials ---------------------------------------------------


def test_agreement_filters(client):
    assert slugs(client.get("/agreements/", {"status": "signed"})) == {
        a.slug for a in Agreement.objects.all() if a.latest_status.status == AgreementStatus.SIGNED
    }
    assert slugs(client.get("/agreements/", {"kind": "mou"})) == set(
        Agreement.objects.filter(kind="mou").values_list("slug", flat=True)
    )
    in_2024 = slugs(client.get("/agreements/", {"year_from": 2024, "year_to": 2024}))
    assert in_2024 == set(
        Agreement.objects.filter(status_history__date__year=2024).values_list("slug", flat=True)
    )
    assert slugs(client.get("/agreements/", {"official": "kim-yong-hyun"})) == set(
        Agreement.objects.filter(
            meetings__participations__official__slug="kim-yong-hyun"
        ).values_list("slug", flat=True)
    )
    assert "india-rok-road-map-defence-industry-cooperation" in slugs(
        client.get("/agreements/", {"q": "road map"})
    )


def test_initiative_filters(client):
    assert slugs(client.get("/initiatives/", {"kind": "mechanism"})) == set(
        Initiative.objects.filter(kind="mechanism").values_list("slug", flat=True)
    )
    assert slugs(client.get("/initiatives/", {"country": "KR"})) == set(
        Initiative.objects.filter(countries__iso2="KR").values_list("slug", flat=True)
    )
    assert "maitri" in slugs(client.get("/initiatives/", {"q": "MAITRI"}))


def test_official_filters(client):
    met_2019 = slugs(client.get("/officials/", {"year_from": 2019, "year_to": 2019}))
    assert met_2019 == set(
        Official.objects.filter(participations__meeting__start_date__year=2019).values_list(
            "slug", flat=True
        )
    )
    quad = slugs(client.get("/officials/", {"grouping": "quad"}))
    assert quad == set(
        Official.objects.filter(country__iso2__in=["AU", "IN", "JP", "US"]).values_list(
            "slug", flat=True
        )
    )


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/meetings/?sort=date", lambda m: (m.start_date is None, m.start_date or 0)),
        ("/meetings/?sort=title", lambda m: m.title),
        ("/agreements/?sort=-title", None),
        ("/initiatives/?sort=-date", None),
        ("/officials/?sort=country", lambda o: (o.country.name, o.name)),
    ],
)
def test_sorting(client, url, key):
    for n, year in enumerate([2001, 2015, 2008]):  # initiatives of several dates
        Initiative.objects.create(
            slug=f"sort-{n}",
            name=f"Sort {n}",
            kind="programme",
            start_date=dt.date(year, 1, 1),
            start_precision="year",
        )
    rows = client.get(url + "&per_page=200").context["rows"]
    assert len(rows) > 1
    if url.startswith("/agreements/"):  # Z–A
        titles = [a.title for a in rows]
        assert titles == sorted(titles, reverse=True) and titles[0] > titles[-1]
        return
    if url.startswith("/initiatives/"):  # newest first, undated last
        dates = [i.start_date for i in rows]
        dated = [d for d in dates if d is not None]
        assert len(set(dated)) > 1
        assert dated == sorted(dated, reverse=True)
        assert dates == [*dated, *[None] * (len(dates) - len(dated))]
        return
    assert [key(r) for r in rows] == sorted(key(r) for r in rows)


# --- bad values: a message or nothing, never a 500 ------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("country=XX", "No country has the ISO code XX"),
        ("country=Narnia", "No country has the code, name or alias “Narnia”"),
        ("year_from=abc", "“abc” is not a year"),
        ("year_to=99999999999999999999", "999999… is not a year covered here"),
        ("year_from=-5", "-5 is not a year covered here"),
        ("kind=party", "Select a valid choice"),
        ("grouping=nato", "No grouping has the identifier “nato”"),
        ("official=no-such-person", "No official has the identifier"),
        ("official=<script>", "No official has the identifier or name “&lt;script&gt;”"),
        ("sort=id;drop", "Select a valid choice"),
        ("q=%00", "Null characters are not allowed"),
    ],
)
def test_bad_filter_values_give_a_message_and_no_rows(client, query, message):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 400
    assert response.context["rows"] == []
    body = response.content.decode()
    assert message in body
    assert "These filters cannot be applied" in body
    assert "<script>" not in body.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=99999999", "beyond the first 10,000 rows"),
        ("page=abc", "is not a page number"),
        ("page=-1", "is not a page number"),
        ("after=garbage", "The page link is damaged"),
        ("before=WzFd", "does not match this sort order"),
        ("per_page=100000", "rows per page is not offered"),
    ],
)
def test_bad_page_parameters_give_a_note(client, query, message):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_search_text_is_never_sql_or_html(client):
    for q in ["'; DROP TABLE engagements_meeting; --", '"<b>bold</b>', "%", "_", "a & | ! b"]:
        response = client.get("/meetings/", {"q": q})
        assert response.status_code == 200, q
        assert "<b>bold</b>" not in response.content.decode()
    assert Meeting.objects.exists()
    # "%" and "_" are characters, not wildcards: no meeting has them, none is found.
    for q in ("%", "_"):
        assert not meeting_slugs(title__contains=q) and not meeting_slugs(summary__contains=q)
        assert slugs(client.get("/meetings/", {"q": q})) == set()


def test_column_headings_sort_and_reverse(client):
    body = client.get("/meetings/", {"country": "KR"}).content.decode()
    assert "href='?country=KR&amp;sort=date'" in body  # the date column, now newest first
    assert 'aria-sort="descending"' in body
    body = client.get("/meetings/", {"country": "KR", "sort": "date"}).content.decode()
    assert "href='?country=KR&amp;sort=-date'" in body
    assert 'aria-sort="ascending"' in body


# --- ranges and links that follow the right rows --------------------------------------------


def test_agreement_year_range_applies_to_one_status_change(client):
    """The 1993 MoU (signed 1993, amended 2023) has no status change in 2000–2010."""
    got = slugs(client.get("/agreements/", {"year_from": 2000, "year_to": 2010}))
    assert "india-malaysia-defence-cooperation-mou-1993" not in got
    expected = {
        a.slug
        for a in Agreement.objects.prefetch_related("status_history")
        if any(s.date and 2000 <= s.date.year <= 2010 for s in a.status_history.all())
    }
    assert got == expected
    # One bound alone still works.
    assert "india-malaysia-defence-cooperation-mou-1993" in slugs(
        client.get("/agreements/", {"year_to": 1995})
    )


def test_official_year_range_applies_to_one_meeting(client):
    got = slugs(client.get("/officials/", {"year_from": 2020, "year_to": 2022}))
    assert "rajnath-singh" not in got  # met in 2019 and in 2023–2024, not in 2020–2022
    expected = set(
        Official.objects.filter(
            participations__meeting__start_date__year__gte=2020,
            participations__meeting__start_date__year__lte=2022,
        ).values_list("slug", flat=True)
    )
    assert got == expected


def test_initiatives_by_official_include_mechanism_sessions(client):
    got = slugs(client.get("/initiatives/", {"official": "rajesh-kumar-singh"}))
    assert "india-uk-defence-consultative-group" in got
    official = "rajesh-kumar-singh"
    expected = set(
        Initiative.objects.filter(meetings__participations__official__slug=official).values_list(
            "slug", flat=True
        )
    ) | set(
        Initiative.objects.filter(sessions__participations__official__slug=official).values_list(
            "slug", flat=True
        )
    )
    assert got == expected


# --- the official box: identifier, name or alias ------------------------------------------------


@pytest.mark.parametrize("typed", ["rajnath-singh", "Rajnath Singh", "rajnath singh"])
def test_official_by_identifier_or_name(client, typed):
    response = client.get("/meetings/", {"official": typed})
    assert slugs(response) == meeting_slugs(participations__official__slug="rajnath-singh")
    assert "Rajnath Singh" in str(response.context["active_filters"])


def test_official_by_alias(client):
    from engagements.models import OfficialAlias

    alias = OfficialAlias.objects.select_related("official").first()
    got = slugs(client.get("/meetings/", {"official": alias.name.upper()}))
    assert got == meeting_slugs(participations__official=alias.official)


def test_a_name_shared_by_two_officials_lists_their_identifiers(client):
    rajnath = Official.objects.get(slug="rajnath-singh")
    Official.objects.create(slug="rajnath-singh-2", name="Rajnath Singh", country=rajnath.country)
    response = client.get("/meetings/", {"official": "Rajnath Singh"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "names several officials" in body
    assert "rajnath-singh, rajnath-singh-2" in body
    assert body.count("field-error") == 1  # one message, not two
    # The identifier still picks one.
    assert client.get("/meetings/", {"official": "rajnath-singh-2"}).status_code == 200


def test_official_box_suggests_names_and_says_what_it_means(client):
    body = client.get("/meetings/").content.decode()
    assert "<datalist id='official-names'>" in body
    assert "<option value='rajnath-singh'>Rajnath Singh</option>" in body
    assert 'list="official-names"' in body
    agreements = client.get("/agreements/").content.decode()
    assert "Official (at a meeting where it was signed or discussed)" in agreements


def test_no_official_suggestions_when_there_are_very_many(client, monkeypatch):
    monkeypatch.setattr("engagements.templatetags.reading_room.OFFICIAL_DATALIST_MAX", 3)
    body = client.get("/meetings/").content.decode()
    assert "official-names'>" not in body
