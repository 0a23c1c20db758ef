"""The intake's reading of a report: paragraphs, its date, dateline, countries, dates."""

import datetime as dt

import pytest

from engagements.intake.drafting import draft_report
from engagements.paragraphs import count_paragraphs

from . import reports

pytestmark = pytest.mark.django_db


def by_iso(draft) -> dict:
    return {c["iso2"]: c for c in draft["countries"]}


def only(items, **values):
    found = [i for i in items if all(i.get(k) == v for k, v in values.items())]
    assert len(found) == 1, (values, [i.get("title") or i.get("name") for i in items])
    return found[0]


def test_the_date_prefix_and_dateline_give_the_source_its_date_and_place():
    draft = draft_report(reports.CANBERRA_VISIT)
    assert draft["source"] == {
        "date": "2023-06-23",
        "paragraphs": count_paragraphs(reports.CANBERRA_VISIT),
        "dateline": "New Delhi",
    }


def test_a_given_date_wins_over_the_text_and_a_dateline_alone_has_its_place():
    draft = draft_report(reports.TWO_PLUS_TWO, published=dt.date(2022, 4, 13))
    assert draft["source"]["date"] == "2022-04-13"
    assert draft["source"]["dateline"] == "Washington"  # "WASHINGTON:" in capitals


def test_a_date_printed_under_the_headline_is_the_report_date():
    draft = draft_report(reports.SUMMIT)
    assert draft["source"]["date"] == "2023-09-12"
    assert draft["source"]["dateline"] is None


def test_an_undated_report_has_no_date_and_no_relative_day_is_guessed():
    draft = draft_report(reports.TOKYO_UNDATED)
    assert draft["source"]["date"] is None
    visit = only(draft["meetings"], kind="visit")
    assert visit["dates"] == ""  # "on Friday" of an unknown week


def test_countries_come_from_names_demonyms_and_aliases():
    countries = by_iso(draft_report(reports.NAVY_CHIEF))
    # "Indian", "the ROK", "Lao PDR", "Singapore"
    assert {"IN", "KR", "LA", "SG"} <= set(countries)
    assert countries["KR"]["paragraphs"] == [1]
    countries = by_iso(draft_report(reports.TWO_PLUS_TWO))
    assert set(countries) == {"IN", "US"}  # "the US", "US Defense Secretary"
    countries = by_iso(draft_report(reports.CANBERRA_VISIT))
    assert "AU" in countries and countries["AU"]["paragraphs"][0] == 1  # "Australian"


def test_the_pages_trailing_links_name_no_country():
    countries = by_iso(draft_report(reports.TOKYO_UNDATED))
    assert set(countries) == {"IN", "JP"}  # not Pakistan or China of "Recent Articles"


def test_an_ocean_named_after_a_country_is_no_mention_of_it():
    text = " date 2024-02-01 Mauritius and France discussed security in the Indian Ocean."
    assert set(by_iso(draft_report(text))) == {"MU", "FR"}


def test_explicit_dates_keep_the_precision_the_text_gives():
    draft = draft_report(reports.CANBERRA_VISIT)
    mlsa = only(draft["agreements"], short_name="MLSA")
    assert mlsa["status"] == "signed"
    assert mlsa["dates"] == "2020-06"  # "signed in June 2020": a month, not a day
    visit = only(draft["meetings"], kind="visit")
    # Arrived on June 20 for a four-day visit: June 20 to 23.
    assert visit["dates"] == "2023-06-20/2023-06-23"


def test_a_span_of_days_without_a_year_takes_the_reports_year():
    visit = only(draft_report(reports.KUALA_LUMPUR)["meetings"], kind="visit")
    assert visit["dates"] == "2024-03-11/2024-03-15"  # "from March 11-15"


def test_a_weekday_is_the_last_one_on_or_before_the_reports_date():
    draft = draft_report(reports.CANBERRA_VISIT)  # Friday 23 June 2023
    talks = only(draft["meetings"], kind="bilateral")
    assert talks["dates"] == "2023-06-21"  # "on Wednesday"
    draft = draft_report(reports.MONDAY)  # Monday 15 July 2024
    assert only(draft["meetings"], kind="bilateral")["dates"] == "2024-07-15"  # that Monday


def test_relative_months_and_years_are_months_and_years():
    draft = draft_report(reports.KUALA_LUMPUR)  # 14 March 2024
    postponed = only(draft["meetings"], status="cancelled")
    assert postponed["dates"] == "2024-02"  # "last month"
    talks = only(draft["meetings"], edition=1)
    assert talks["dates"] == "2024"  # "later this year"
    assert talks["status"] == "scheduled"
    draft = draft_report(reports.TWO_PLUS_TWO)  # 12 April 2022
    next_one = only(draft["meetings"], status="scheduled")
    assert next_one["dates"] == "2023"  # "next year"


def test_every_item_cites_paragraphs_of_its_report():
    for text in (
        reports.CANBERRA_VISIT,
        reports.TWO_PLUS_TWO,
        reports.TOKYO_UNDATED,
        reports.KUALA_LUMPUR,
        reports.NAVY_CHIEF,
        reports.MONDAY,
        reports.SUMMIT,
    ):
        draft = draft_report(text)
        count = draft["source"]["paragraphs"]
        for kind in (
            "countries",
            "groupings",
            "officials",
            "meetings",
            "agreements",
            "initiatives",
        ):
            for item in draft[kind]:
                assert item["paragraphs"], item
                assert all(1 <= p <= count for p in item["paragraphs"]), item
                assert item["id"].startswith(kind[:-1] if kind != "countries" else "country")
