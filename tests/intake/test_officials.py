"""Officials in a report: matched by name or alias with honorifics and ranks stripped, the
post held on the day found through tenures, new ones proposed as the text gives them."""

import pytest

from engagements.intake.drafting import draft_report

from . import reports

pytestmark = pytest.mark.django_db


def official(draft, name):
    found = [o for o in draft["officials"] if o["name"] == name]
    assert len(found) == 1, [o["name"] for o in draft["officials"]]
    return found[0]


def test_honorifics_and_a_hindi_post_are_stripped_and_the_official_matched():
    draft = draft_report(reports.MONDAY)
    rajnath = official(draft, "Rajnath Singh")  # "Raksha Mantri Shri Rajnath Singh"
    assert rajnath["match"] == "rajnath-singh"
    assert rajnath["country"] == "IN"
    assert rajnath["post"] == "Minister of Defence"  # the database's post "Raksha Mantri" is


def test_malay_honorifics_and_ranks_are_kept_apart_from_the_name():
    draft = draft_report(reports.KUALA_LUMPUR)
    nordin = official(draft, "Khaled Nordin")  # "Datuk Seri Mohamed Khaled Nordin"
    assert nordin["match"] == "khaled-nordin"
    assert nordin["written"] == "Mohamed Khaled Nordin"
    pande = official(draft, "Manoj Pande")  # "Gen. Manoj Pande"
    assert pande["honorific"] == "Gen."
    assert (pande["country"], pande["post"], pande["match"]) == (
        "IN",
        "Chief of the Army Staff",
        None,
    )
    army = official(draft, "Mohammad Hafizuddeain Jantan")  # "Gen. Tan Sri …"
    assert army["honorific"] == "Gen. Tan Sri"
    # A post without a country, held by someone a visitor from India met abroad: the host's.
    assert army["country"] == "MY"


def test_an_alias_of_the_database_finds_the_official():
    draft = draft_report(reports.TWO_PLUS_TWO)
    austin = official(draft, "Lloyd J. Austin")  # written "Lloyd Austin", an alias
    assert austin["match"] == "lloyd-austin"
    assert austin["written"] == "Lloyd Austin"


def test_a_near_miss_of_a_name_is_the_official():
    text = (
        " date 2019-09-03 Rajnath Singh held talks with Defence Minister of Japan, "
        "Takeshi lwaya, in Tokyo."  # a capital I read as an l
    )
    iwaya = official(draft_report(text), "Takeshi Iwaya")
    assert iwaya["match"] == "takeshi-iwaya"
    assert iwaya["written"] == "Takeshi lwaya"


def test_a_new_official_is_proposed_with_the_country_and_post_the_text_gives():
    draft = draft_report(reports.CANBERRA_VISIT)
    marles = official(draft, "Richard Marles")
    assert marles["match"] is None
    assert marles["country"] == "AU"  # "Australian"
    assert marles["posts"] == ["Deputy Prime Minister and Defence Minister"]
    teodoro = official(draft_report(reports.MONDAY), "Gilberto Teodoro")
    assert (teodoro["country"], teodoro["post"]) == ("PH", "Secretary of National Defense")


def test_a_post_after_the_name_and_a_counterpart_give_country_and_post():
    text = (
        " date 2024-05-02 Defence Minister Rajnath Singh met Ali Baraka, Minister of Defence, "
        "Jordan, and later spoke with his Egyptian counterpart, Omar Farouk."
    )
    draft = draft_report(text)
    baraka = official(draft, "Ali Baraka")
    assert (baraka["country"], baraka["post"]) == ("JO", "Minister of Defence")
    farouk = official(draft, "Omar Farouk")
    assert (farouk["country"], farouk["post"]) == ("EG", "")


def test_the_post_held_on_the_day_comes_from_the_tenures_when_the_text_gives_none():
    # Rajnath Singh's seeded tenure as Minister of Defence covers 2022.
    text = " date 2022-03-10 Rajnath Singh met Ali Baraka, Minister of Defence, Jordan."
    rajnath = official(draft_report(text), "Rajnath Singh")
    assert rajnath["post"] == "Minister of Defence"
    assert rajnath["post_matches"] == ["in-minister-of-defence"]


def test_a_surname_later_on_is_the_same_official_and_a_spouse_is_not():
    draft = draft_report(reports.CANBERRA_VISIT)
    assert official(draft, "Richard Marles")["paragraphs"] == [1, 2]  # "Marles, who …"
    text = (
        " date 2025-01-10 Prime Minister Narendra Modi received Singapore PM Lawrence Wong. "
        "Wong was accompanied by his spouse, Mrs. Lawrence Wong."
    )
    draft = draft_report(text)
    assert [o["name"] for o in draft["officials"]].count("Lawrence Wong") == 1
