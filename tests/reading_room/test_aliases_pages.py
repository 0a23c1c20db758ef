"""The reading room and the sources' own names: search by alias, "also called" on the
detail pages, partnership levels on initiative and country pages, the level filter."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row.slug for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("page", "term", "slug"),
    [
        ("/agreements/", "SOSA", "india-us-security-of-supply-arrangement"),
        (
            "/agreements/",
            "Security of Supplies Agreement",
            "india-us-security-of-supply-arrangement",
        ),
        (
            "/agreements/",
            "Road map for Defence Industry Corporation",
            "india-rok-road-map-defence-industry-cooperation",
        ),
        ("/agreements/", "EoL", "india-malaysia-exchange-of-letters-2023"),
        ("/initiatives/", "Act-East policy", "act-east-policy"),
        ("/initiatives/", "MIDCOM", "malaysia-india-defence-cooperation-committee"),
    ],
)
def test_search_finds_a_record_by_the_sources_spelling(client, page, term, slug):
    assert slug in slugs(client.get(page, {"q": term}))


def test_alias_search_is_not_a_match_for_everything(client):
    assert not slugs(client.get("/agreements/", {"q": "Corporation Zzyzx"}))


def test_detail_pages_say_also_called_with_the_paragraph(client):
    html = client.get("/agreements/india-us-security-of-supply-arrangement/").content.decode()
    assert "Also called" in html
    assert "Security of Supplies Agreement" in html and "¶ 20" in html
    html = client.get("/posts/us-secretary-of-defense/").content.decode()
    assert "Also called" in html and "US Secretary of Defence" in html
    html = client.get("/initiatives/act-east-policy/").content.decode()
    assert "Act-East policy" in html
    assert "Also called" not in client.get("/initiatives/defexpo-2020/").content.decode()


def test_the_initiative_page_shows_the_level_and_what_its_date_means(client):
    html = client.get("/initiatives/india-rok-special-strategic-partnership/").content.decode()
    assert "Partnership level" in html and "Special Strategic Partnership" in html
    assert "in force on this date" in html and "¶ 5" in html
    html = client.get("/initiatives/india-uk-strategic-partnership/").content.decode()
    assert (
        "<strong>Strategic Partnership</strong>" in html and "in force at a date not known" in html
    )
    assert "Comprehensive Strategic Partnership</strong>" not in html


def test_the_country_page_shows_its_partnership_level(client):
    html = client.get("/countries/kr/").content.decode()
    assert "— Special Strategic Partnership, in force by 22 November 2024" in html
    html = client.get("/countries/jp/").content.decode()
    assert "Special Strategic and Global Partnership" in html


def test_the_initiatives_list_filters_by_level(client):
    got = slugs(client.get("/initiatives/", {"level": "special_strategic_global"}))
    assert got == {"india-japan-special-strategic-and-global-partnership"}
    both = slugs(client.get("/initiatives/?level=enhanced_strategic&level=strategic"))
    assert both == {
        "india-malaysia-enhanced-strategic-partnership",
        "india-uk-strategic-partnership",
    }
    bad = client.get("/initiatives/", {"level": "best_friends"})
    assert bad.status_code in (200, 400) and not bad.context["rows"]


def download_csv(client, url: str, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_lists_export_aliases_and_levels_with_their_sources(client):
    rows = download_csv(client, "/agreements/", q="SOSA", format="csv", table="aliases")
    assert {(r["name"], r["source"][:3], r["paragraph"]) for r in rows} >= {
        ("SOSA", "002", "20"),
        ("Security of Supplies Agreement", "002", "20"),
    }
    (sosa,) = [
        r
        for r in download_csv(client, "/agreements/", q="SOSA", format="csv")
        if r["slug"] == "india-us-security-of-supply-arrangement"
    ]
    assert sosa["aliases"] == "Security of Supplies Agreement; SOSA"
    levels = download_csv(
        client, "/initiatives/", level="special_strategic", format="csv", table="levels"
    )
    assert [(r["initiative"], r["level"], r["date"], r["attested"]) for r in levels] == [
        ("india-rok-special-strategic-partnership", "special_strategic", "2024-11-22", "no")
    ]
    names = download_csv(client, "/initiatives/", q="MIDCOM", format="csv", table="aliases")
    assert {r["name"] for r in names} == {"MIDCOM", "Malaysia-India Defence Cooperation Committee"}
