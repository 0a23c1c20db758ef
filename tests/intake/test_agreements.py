"""Agreements with their status and its date; initiatives and exercises named."""

import pytest

from engagements.intake.drafting import draft_report

from . import reports

pytestmark = pytest.mark.django_db


def item(items, **values):
    found = [i for i in items if all(i.get(k) == v for k, v in values.items())]
    assert len(found) == 1, (values, [(i["title"], i.get("status")) for i in items])
    return found[0]


def test_an_agreement_signed_earlier_and_one_under_negotiation():
    draft = draft_report(reports.CANBERRA_VISIT)
    mlsa = item(draft["agreements"], short_name="MLSA")
    assert (mlsa["title"], mlsa["kind"]) == ("Mutual Logistics Support Arrangement", "arrangement")
    assert (mlsa["status"], mlsa["dates"]) == ("signed", "2020-06")
    assert mlsa["parties"] == ["AU", "IN"]
    roadmap = item(draft["agreements"], kind="roadmap")
    assert roadmap["status"] == "under_negotiation"  # "negotiations … were under way"
    talks = next(m for m in draft["meetings"] if m["kind"] == "bilateral")
    assert roadmap["dates"] == talks["dates"] == "2023-06-21"  # reported at the talks
    assert roadmap["meeting"] == talks["id"]


def test_an_acronym_the_report_defines_names_the_agreement():
    draft = draft_report(reports.TWO_PLUS_TWO)
    beca = item(draft["agreements"], short_name="BECA")
    assert (beca["kind"], beca["status"], beca["dates"]) == ("agreement", "signed", "2020-10")


def test_a_year_and_a_later_amendment_named_again_as_the_agreement():
    draft = draft_report(reports.NAVY_CHIEF)
    dca = item(draft["agreements"], title="Defence Cooperation Agreement")
    # Not New Zealand's agreement of that name in the seed: this one is Singapore's.
    assert dca["match"] is None
    assert dca["parties"] == ["IN", "SG"]
    assert [(s["status"], s["dates"]) for s in dca["steps"]] == [
        ("signed", "2003"),
        ("amended", "2015-11"),
    ]
    assert (dca["status"], dca["dates"]) == ("amended", "2015-11")
    rescue = item(draft["agreements"], kind="implementing_arrangement")
    # Signed during the visit of May 14-16: that month.
    assert (rescue["status"], rescue["dates"]) == ("signed", "2019-05")


def test_an_amendment_approved_is_the_amending_instruments_step_not_the_amended_ones():
    text = (
        " date 2023-07-11 The two ministers approved an amendment to the 1995 Memorandum of "
        "Understanding on Military Cooperation with Oman through an Exchange of Letters."
    )
    draft = draft_report(text)
    mou = item(draft["agreements"], kind="mou")
    assert [(s["status"], s["dates"], s["basis"]) for s in mou["steps"]] == [
        ("signed", "1995", "inferred")  # "the 1995 MoU": the year it was signed
    ]
    letters = item(draft["agreements"], kind="exchange_of_letters")
    assert letters["status"] == "agreed"
    assert set(mou["parties"]) == set(letters["parties"]) == {"IN", "OM"}


def test_a_target_year_in_a_name_is_no_signature():
    draft = draft_report(" date 2024-01-05 India and Greece agreed to work under the 2030 roadmap.")
    roadmap = item(draft["agreements"], kind="roadmap")
    assert all(s["status"] != "signed" for s in roadmap["steps"])
    assert roadmap["status"] == "agreed"  # a roadmap worked under is agreed (inferred)
    assert roadmap["basis"] == "inferred"


def test_a_described_instrument_is_titled_by_its_parties_and_purpose():
    text = (
        " date 2019-09-06 India and South Korea agreed on a plan to strengthen joint work in "
        "naval research."
    )
    plan = item(draft_report(text)["agreements"], kind="plan")
    assert plan["title"] == "India–South Korea plan for joint work in naval research"
    assert (plan["status"], plan["parties"]) == ("agreed", ["IN", "KR"])


def test_initiatives_exercises_partnerships_and_mechanisms_are_named():
    draft = draft_report(reports.CANBERRA_VISIT)
    initiatives = {i["title"]: i for i in draft["initiatives"]}
    assert initiatives["Exercise AUSINDEX"]["kind"] == "joint_effort"
    partnership = initiatives["India–Australia Comprehensive Strategic Partnership"]
    assert (partnership["kind"], partnership["countries"]) == ("partnership", ["AU", "IN"])
    talks = initiatives["Australia-India Defence Policy Talks"]
    assert (talks["kind"], talks["countries"]) == ("mechanism", ["AU", "IN"])
    draft = draft_report(reports.KUALA_LUMPUR)
    assert {"Exercise Harimau Shakti", "India-Malaysia Army-to-Army Staff Talks"} <= {
        i["title"] for i in draft["initiatives"]
    }


def test_a_known_initiative_is_matched_by_name_or_acronym():
    text = (
        " date 2024-11-22 India and the US reviewed MAITRI and the Act East Policy, and work "
        "under the Quad-at-Sea Ship Observer Mission."
    )
    matches = {i["match"] for i in draft_report(text)["initiatives"]}
    assert {"maitri", "act-east-policy", "quad-at-sea-ship-observer-mission"} <= matches


def test_an_instrument_described_with_its_date_and_one_to_be_concluded():
    draft = draft_report(reports.PARIS)
    logistics = item(draft["agreements"], kind="agreement")
    assert logistics["title"].startswith("India–France agreement on the provision of")
    assert (logistics["status"], logistics["dates"]) == ("signed", "2018-03")
    roadmap = item(draft["agreements"], kind="roadmap")
    assert (roadmap["status"], roadmap["basis"]) == ("under_negotiation", "inferred")
