"""Search finds what people type: cities, countries by other names, quoted phrases, the home
page's own examples; the country filter takes names and codes; counts read in English."""

import re
from html import unescape

import pytest

from engagements.models import Country, Meeting
from engagements.search import terms

pytestmark = pytest.mark.django_db


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content[:500]
    return {row.slug for row in response.context["rows"]}


def meeting_slugs(**lookups) -> set[str]:
    return set(Meeting.objects.filter(**lookups).distinct().values_list("slug", flat=True))


def test_a_city_finds_every_meeting_held_there(client):
    held = meeting_slugs(city="Vientiane")
    assert len(held) > 1
    assert slugs(client.get("/meetings/", {"q": "Vientiane"})) >= held
    assert slugs(client.get("/meetings/", {"q": "vientiane"})) >= held  # any case


def test_a_country_alias_finds_its_meetings(client):
    korea = meeting_slugs(countries__iso2="KR")
    assert korea
    assert Country.objects.get(iso2="KR").aliases.filter(name="ROK").exists()
    for typed in ("ROK", "rok", "South Korea", "KOR", "Republic of Korea"):
        assert slugs(client.get("/meetings/", {"q": typed})) >= korea, typed


def test_an_alpha3_code_counts_only_in_capitals(client):
    """``NZL`` is New Zealand; ``nzl``, like ``are`` or ``can``, is a word to look for."""
    zealand = meeting_slugs(countries__iso2="NZ")
    assert zealand
    assert slugs(client.get("/meetings/", {"q": "NZL"})) >= zealand
    assert not slugs(client.get("/meetings/", {"q": "nzl"})) & zealand


def test_a_place_does_not_widen_other_words(client):
    """Every term must still match: a city and a word narrow each other."""
    found = slugs(client.get("/meetings/", {"q": "Vientiane Austin"}))
    assert found == {"2024-11-21-rajnath-singh-lloyd-austin-talks"}


def test_quoted_phrases(client):
    assert terms('"defence industry" Seoul') == ["defence industry", "Seoul"]
    phrase = slugs(client.get("/meetings/", {"q": '"defence industry"'}))
    exact = meeting_slugs(title__icontains="defence industry") | meeting_slugs(
        summary__icontains="defence industry"
    )
    assert exact and phrase >= exact  # PostgreSQL's stems may find “defence industries” too
    for slug in phrase:
        meeting = Meeting.objects.get(slug=slug)
        text = f"{meeting.title} {meeting.summary}".lower()
        assert "defence industr" in text
    # The words apart match more than the phrase (they need not be adjacent)…
    apart = slugs(client.get("/meetings/", {"q": "industry defence"}))
    assert apart >= phrase
    # …and a phrase in the wrong order matches nothing.
    assert slugs(client.get("/meetings/", {"q": '"industry defence"'})) == set()


def test_the_home_pages_example_searches_find_meetings(client):
    html = client.get("/").content.decode()
    examples = re.findall(r'<p class="examples">(.*?)</p>', html, re.S)
    assert examples
    links = re.findall(r'href="([^"]+\?q=[^"]+)"', examples[0])
    assert len(links) >= 2
    for link in links:
        response = client.get(unescape(link))
        assert response.status_code == 200
        assert response.context["rows"], link


@pytest.mark.parametrize(
    "typed", ["KR", "kr", "KOR", "kor", "South Korea", "south korea", "ROK", "Korea, Republic of"]
)
def test_the_country_filter_takes_codes_names_and_aliases(client, typed):
    assert slugs(client.get("/meetings/", {"country": typed})) == meeting_slugs(
        countries__iso2="KR"
    )


def test_several_countries_by_name(client):
    both = slugs(client.get("/meetings/?country=ROK,Singapore"))
    assert both == meeting_slugs(countries__iso2__in=["KR", "SG"])
    chips = client.get("/meetings/?country=ROK&country=SG").context["active_filters"]
    # Removing one country keeps the other, by its code.
    assert [(label, value, href) for label, value, href in chips] == [
        ("Country", "South Korea", "?country=SG"),
        ("Country", "Singapore", "?country=KR"),
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("country=XX", "No country has the ISO code XX"),
        ("country=Narnia", "No country has the code, name or alias “Narnia”"),
        ("country=KR,Atlantis", "“Atlantis”"),
    ],
)
def test_an_unknown_country_is_still_a_clear_400(client, query, message):
    response = client.get(f"/meetings/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_one_result_reads_in_the_singular(client):
    response = client.get("/meetings/", {"q": "Austin"})
    assert len(response.context["rows"]) == 1
    heading = re.search(r'<h2 id="results-h"[^>]*>(.*?)</h2>', response.content.decode(), re.S)
    assert " ".join(heading.group(1).split()) == "1 meeting matching"
    many = client.get("/meetings/").content.decode()
    assert re.search(r"\d+\s+meetings\s*</h2>", many)


PAGES = ["/", "/meetings/", "/officials/", "/posts/", "/countries/", "/groupings/"]


def test_no_page_counts_one_thing_in_the_plural(client):
    """“1 meetings” nowhere: the list pages, the home page, every partner's page."""
    pages = PAGES + [c.get_absolute_url() for c in Country.objects.partners()]
    pages += ["/meetings/?q=Austin", "/countries/?q=singapore", "/posts/?country=US"]
    one_plural = re.compile(
        r"(?<![\d,.])1\s*(?:</strong>\s*)?(meetings|agreements|initiatives|officials|posts|"
        r"countries|groupings|sources|outcomes)\b"
    )
    for page in pages:
        html = re.sub(r"<[^>]+>", " ", client.get(page).content.decode())
        found = one_plural.search(" ".join(html.split()))
        assert found is None, (page, found and found.group(0))


def test_a_country_given_by_name_is_ticked_in_its_facet(client):
    response = client.get("/meetings/?country=ROK")
    facet = next(f for f in response.context["facets"] if f.param == "country")
    ticked = [v for v in facet.values if v.selected]
    assert [v.value for v in ticked] == ["KR"]
    assert ticked[0].href == "?"  # unticking it clears the filter
