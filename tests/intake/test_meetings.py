"""Meetings in a report: who met whom, where and when, the kind, the parent, editions."""

import pytest

from engagements.intake.drafting import draft_report

from . import reports

pytestmark = pytest.mark.django_db


def meeting(draft, **values):
    found = [m for m in draft["meetings"] if all(m.get(k) == v for k, v in values.items())]
    assert len(found) == 1, (values, [(m["title"], m["dates"]) for m in draft["meetings"]])
    return found[0]


def by_id(draft, item_id):
    return next(m for m in draft["meetings"] if m["id"] == item_id)


def test_talks_during_a_visit_are_part_of_it_and_a_call_on_the_host_is_a_call():
    draft = draft_report(reports.CANBERRA_VISIT)
    visit = meeting(draft, kind="visit")
    assert (visit["country"], visit["participants"]) == ("IN", ["Richard Marles"])
    talks = meeting(draft, kind="bilateral")
    assert set(talks["participants"]) == {"Richard Marles", "Rajnath Singh"}
    assert (talks["city"], talks["country"]) == ("New Delhi", "IN")
    assert (talks["parent"], talks["parent_relation"]) == (visit["id"], "part_of")
    call = meeting(draft, kind="call")  # "called on Prime Minister Narendra Modi"
    assert call["title"] == "Richard Marles's call on Narendra Modi"
    assert call["parent"] == visit["id"]
    assert call["dates"] == "2023-06"  # the text gives no day: the visit's month
    assert sorted(call["countries"]) == ["AU", "IN"]


def test_a_two_plus_two_dialogue_is_a_session_with_its_edition_and_who_led_it():
    draft = draft_report(reports.TWO_PLUS_TWO)
    fourth = meeting(draft, edition=4)
    assert fourth["kind"] == "mechanism"
    assert (fourth["dates"], fourth["city"], fourth["country"]) == (
        "2022-04-11",
        "Washington",
        "US",
    )
    assert set(fourth["participants"]) == {"Rajnath Singh", "Lloyd J. Austin"}
    mechanism = next(i for i in draft["initiatives"] if i["id"] == fourth["mechanism"])
    assert mechanism["kind"] == "mechanism"
    assert "2+2" in mechanism["title"] and set(mechanism["countries"]) == {"IN", "US"}


def test_an_earlier_edition_and_the_next_one_are_sessions_of_the_same_mechanism():
    draft = draft_report(reports.TWO_PLUS_TWO)
    fourth = meeting(draft, edition=4)
    third = meeting(draft, edition=3)  # "since the third edition in New Delhi in October 2020"
    assert (third["status"], third["dates"], third["city"]) == ("held", "2020-10", "New Delhi")
    upcoming = meeting(draft, status="scheduled")  # "the next dialogue … in India next year"
    assert (upcoming["country"], upcoming["dates"], upcoming["edition"]) == ("IN", "2023", None)
    assert third["mechanism"] == fourth["mechanism"] == upcoming["mechanism"]


def test_on_the_sidelines_of_a_meeting_makes_it_the_parent():
    draft = draft_report(reports.TWO_PLUS_TWO)
    call = meeting(draft, kind="call")
    assert set(call["participants"]) == {"Rajnath Singh", "Kamala Harris"}
    fourth = meeting(draft, edition=4)
    assert (call["parent"], call["parent_relation"]) == (fourth["id"], "sidelines")
    assert call["dates"] == "2022-04-11"  # a one-day parent's day


def test_a_grouping_summit_with_talks_on_its_sidelines():
    draft = draft_report(reports.SUMMIT)
    summit = meeting(draft, kind="summit")
    assert (summit["grouping"], summit["edition"]) == ("asean", 20)
    assert (summit["city"], summit["country"]) == ("Jakarta", "ID")
    talks = meeting(draft, kind="bilateral")
    assert talks["dates"] == "2023-09-07"
    assert (talks["parent"], talks["parent_relation"]) == (summit["id"], "sidelines")
    # The summit's own day is not given: the month of what was held on its sidelines.
    assert summit["dates"] == "2023-09"


def test_an_earlier_visit_recalled_by_its_year():
    visit = meeting(draft_report(reports.SUMMIT), kind="visit")
    assert (visit["dates"], visit["country"], visit["participants"]) == (
        "2016",
        "VN",
        ["Narendra Modi"],
    )


def test_inaugural_is_the_first_edition_and_what_is_agreed_to_be_held_is_scheduled():
    draft = draft_report(reports.MONDAY)
    first = meeting(draft, kind="mechanism")
    assert (first["edition"], first["status"], first["dates"]) == (1, "scheduled", "2024-08")


def test_a_postponed_session_is_cancelled():
    draft = draft_report(reports.KUALA_LUMPUR)
    postponed = meeting(draft, status="cancelled")
    mechanism = next(i for i in draft["initiatives"] if i["id"] == postponed["mechanism"])
    assert mechanism["match"] == "malaysia-india-defence-cooperation-committee"  # the seed's


def test_counterparts_named_later_meet_once_each():
    draft = draft_report(
        " date 2024-11-22 Manila, Nov 22 : Rajnath Singh held separate talks with his Japanese "
        "and Philippine counterparts in Manila on Thursday.\n\nIn his meeting with Japanese "
        "Defence Minister "
        "Gen Nakatani, he proposed joint work on ship repair. In his meeting with Philippine "
        "Secretary of National Defense Gilberto Teodoro, the two sides discussed training."
    )
    talks = [m for m in draft["meetings"] if m["kind"] == "bilateral"]
    assert sorted(tuple(sorted(m["participants"])) for m in talks) == [
        ("Gen Nakatani", "Rajnath Singh"),
        ("Gilberto Teodoro", "Rajnath Singh"),
    ]
    assert {m["dates"] for m in talks} == {"2024-11-21"}
    assert {m["city"] for m in talks} == {"Manila"}
    assert all(2 in m["paragraphs"] and 1 in m["paragraphs"] for m in talks)


def test_a_counterpart_never_named_is_a_described_participant():
    draft = draft_report(reports.NAVY_CHIEF)
    talks = [m for m in draft["meetings"] if m["kind"] == "bilateral"]
    described = sorted(m["described_participants"][0]["country"] for m in talks)
    assert described == ["KR", "LA"]
    assert {m["country"] for m in talks} == {"SG"}
    assert all(m["participants"] == ["Karambir Singh"] for m in talks)


def test_a_session_co_chaired_during_a_visit_and_an_industry_event():
    draft = draft_report(reports.TOKYO_UNDATED)
    visit = meeting(draft, kind="visit")
    session = meeting(draft, kind="mechanism")
    assert session["edition"] == 6
    assert set(session["participants"]) == {"Giridhar Aramane", "Oka Masami"}
    assert {r["role"] for r in session["roles"]} == {"co_chair"}
    assert session["parent"] == visit["id"]
    industry = meeting(draft, kind="industry")
    assert industry["parent"] == visit["id"]
    assert industry["described_participants"][0]["description"].startswith("representatives of")


def test_what_the_following_sentences_say_is_cited_to_the_meeting_they_go_on_about():
    draft = draft_report(reports.CANBERRA_VISIT)
    talks = meeting(draft, kind="bilateral")
    assert talks["paragraphs"] == [1, 3, 5]  # "The two ministers …", "Both sides …"


def test_a_visit_begun_on_a_weekday_holds_the_talks_of_its_days_and_one_still_to_come():
    draft = draft_report(reports.PARIS)  # Friday 14 February 2025
    visit = meeting(draft, kind="visit")
    assert visit["dates"] == "2025-02-12/2025-02-14"  # "began a three-day visit … on Wednesday"
    talks = meeting(draft, kind="bilateral", status="held")
    assert (talks["dates"], talks["city"], talks["parent"]) == ("2025-02-13", "Paris", visit["id"])
    upcoming = meeting(draft, kind="bilateral", status="scheduled")  # "during which he will meet"
    assert upcoming["participants"] == ["Anil Chauhan", "Thierry Burkhard"]
    assert upcoming["dates"] != "2025-02-12"  # the visit's first day is not this meeting's
    session = meeting(draft, kind="mechanism")
    assert (session["edition"], session["dates"], session["city"]) == (
        12,
        "2022-03-14",
        "New Delhi",
    )


def test_an_inaugural_dialogue_and_the_ministers_listed_for_it():
    draft = draft_report(reports.RUSSIA_TWO_PLUS_TWO)  # Tuesday 7 December 2021
    [session] = draft["meetings"]  # those "hosted … for the talks" hold no talks of their own
    assert (session["kind"], session["edition"], session["dates"]) == ("mechanism", 1, "2021-12-06")
    assert set(session["participants"]) == {
        "Rajnath Singh",
        "S Jaishankar",
        "Sergei Shoigu",
        "Sergey Lavrov",
    }
    lavrov = next(o for o in draft["officials"] if o["name"] == "Sergey Lavrov")
    assert lavrov["country"] == "RU"  # listed with Shoigu: "Shoigu and Foreign Minister Lavrov"
    [agreement] = draft["agreements"]
    assert agreement["status"] == "signed"
    assert agreement["dates"] == "2021-12-06"  # at the dialogue; "until 2031" is how long it runs
    assert agreement["parties"] == ["IN", "RU"]
