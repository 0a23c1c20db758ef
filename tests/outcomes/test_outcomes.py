"""Outcomes of meetings, their amounts and the topic vocabulary: rules, admin, CSV, pages."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse

from engagements.columns import RECORDS
from engagements.models import (
    OUTCOME_KINDS,
    Agreement,
    Amount,
    Country,
    Meeting,
    Outcome,
    OutcomeCitation,
    OutcomeKind,
    Source,
    Topic,
)
from engagements.resources import AmountResource, OutcomeResource, resource_for
from engagements.resources.files import DefrelCSV, read_csv
from tests.helpers import url

pytestmark = pytest.mark.django_db

#: PLOVER's event categories (Open Event Data Alliance).
PLOVER = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
    "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "CRIME", "SANCTION", "MOBILIZE",
    "COERCE", "ASSAULT",
}  # fmt: skip
S0 = "000_ea8d4ddbce561651"


def new_outcome(**fields) -> Outcome:
    meeting = Meeting.objects.get(slug="2024-11-rajnath-singh-judith-collins-talks")
    values = {"slug": "test-outcome", "meeting": meeting, "kind": "agree", "summary": "Ours."}
    return Outcome.objects.create(**{**values, **fields})


def refused(model, **fields) -> None:
    # A value too long for its column is a DataError on PostgreSQL (SQLite has no lengths,
    # and the CHECK refuses it there).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        model.objects.create(**fields)


# --- the model and its rules --------------------------------------------------------------


def test_every_kind_has_a_plover_category_and_a_cameo_root_code():
    assert set(OUTCOME_KINDS) == set(OutcomeKind.values)
    for kind, counterpart in OUTCOME_KINDS.items():
        assert counterpart.plover in PLOVER, kind
        root = counterpart.cameo[:2]
        assert root.isdigit() and 1 <= int(root) <= 20, kind
    assert OUTCOME_KINDS["request"].plover == "DEMAND"
    assert (
        OUTCOME_KINDS["conclude"].cameo.startswith("05")
        and "057" in OUTCOME_KINDS["conclude"].cameo
    )


def test_the_database_refuses_bad_amounts_and_empty_summaries():
    outcome = new_outcome()
    source = Source.objects.get(key=S0)
    good = {"outcome": outcome, "measure": "trade", "value": Decimal("1"), "currency": "USD"}
    refused(Amount, **{**good, "currency": "usd"})
    refused(Amount, **{**good, "currency": "USDX"})
    refused(Amount, **{**good, "value": Decimal("-1")})
    refused(Amount, **{**good, "paragraph": 3})  # a paragraph without its source
    refused(Amount, **{**good, "source": source, "paragraph": 0})
    Amount.objects.create(**good, source=source, paragraph=9)
    refused(Amount, **good)  # the same measure and period twice
    refused(Outcome, slug="empty", meeting=outcome.meeting, kind="agree", summary="")
    refused(OutcomeCitation, outcome=outcome, source=source, paragraph=0)


def test_an_outcome_goes_with_its_meeting():
    outcome = new_outcome()
    Amount.objects.create(outcome=outcome, measure="trade", value=5, currency="EUR")
    OutcomeCitation.objects.create(outcome=outcome, source=Source.objects.get(key=S0), paragraph=1)
    outcome.meeting.delete()
    assert not Outcome.objects.filter(slug="test-outcome").exists()
    assert not Amount.objects.filter(measure="trade", currency="EUR").exists()


def test_amount_is_written_as_people_write_it():
    trade = Amount.objects.get(measure="bilateral trade", period="2024-25")
    assert trade.figure == "nearly USD 35 billion"
    assert Amount.objects.get(period="2004-05").figure == "about USD 6.7 billion"
    assert Amount.objects.get(currency="EUR").figure == "EUR 400 million"


def test_history_tracks_an_outcomes_links():
    outcome = new_outcome()
    outcome.actors.set([Country.objects.get(iso2="IN")])
    outcome.save()
    latest = outcome.history.latest()
    assert [c.country.iso2 for c in latest.actors.all()] == ["IN"]


# --- the admin ------------------------------------------------------------------------------


def test_new_models_get_the_groups_permissions():
    for name, actions in (("Editors", ("view", "add", "change")), ("Researchers", ("view",))):
        codes = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for model in ("outcome", "outcomecitation", "amount", "topic"):
            assert {f"{a}_{model}" for a in actions} <= codes, (name, model)
    editors = Group.objects.get(name="Editors").permissions
    assert not editors.filter(codename="delete_outcome").exists()


def test_an_editor_adds_an_outcome_with_an_amount_and_a_citation(login):
    client = login("Editors")
    page = client.get(url(Outcome, "add"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("meeting", "actors", "targets", "topics", "agreements", "initiatives"):
        assert f'name="{name}"' in html
    assert "PLOVER" in html and "CAMEO" in html  # the kinds' counterparts, as help
    meeting = Meeting.objects.get(slug="2024-11-rajnath-singh-kim-yong-hyun-talks")
    source = Source.objects.get(key="002_e5b3391f3894ea28")
    data = {
        "meeting": meeting.pk,
        "slug": "kr-2024-test-pledge",
        "kind": "pledge",
        "actors": [Country.objects.get(iso2="KR").pk],
        "targets": [Country.objects.get(iso2="IN").pk],
        "summary": "A pledge we made up for the test.",
        "topics": [Topic.objects.get(slug="investment").pk],
        "agreements": [Agreement.objects.get(slug="aitiga").pk],
        "amounts-TOTAL_FORMS": "1",
        "amounts-INITIAL_FORMS": "0",
        "amounts-0-measure": "investment pledged",
        "amounts-0-period": "2025",
        "amounts-0-qualifier": "up_to",
        "amounts-0-value": "5000000000",
        "amounts-0-currency": "USD",
        "amounts-0-source": source.pk,
        "amounts-0-paragraph": "4",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-paragraphs": "4",
    }
    response = client.post(url(Outcome, "add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    outcome = Outcome.objects.get(slug="kr-2024-test-pledge")
    assert outcome.meeting == meeting
    assert [c.iso2 for c in outcome.actors.all()] == ["KR"]
    amount = outcome.amounts.get()
    assert (amount.value, amount.qualifier, amount.figure) == (
        Decimal("5000000000"),
        "up_to",
        "up to USD 5 billion",
    )
    assert outcome.citations.get().paragraph == 4
    assert outcome.history.earliest().history_user.username == "editors"
    # A lower-case currency is refused in words, on the form.
    data.update(slug="kr-2024-test-other", **{"amounts-0-currency": "usd"})
    response = client.post(url(Outcome, "add"), data)
    assert response.status_code == 200
    assert "three capitals" in response.content.decode()


def test_meeting_page_in_the_admin_has_its_outcomes_inline(login):
    client = login("Editors")
    meeting = Meeting.objects.get(slug="2024-11-rajnath-singh-judith-collins-talks")
    html = client.get(url(Meeting, "change", meeting.pk)).content.decode()
    assert 'name="outcomes-0-actors"' in html
    assert 'name="outcomes-0-topics"' in html
    assert "admin-autocomplete" in html


def test_outcome_changelist_filters_by_kind_and_topic(login):
    client = login("Researchers")
    response = client.get(url(Outcome, "changelist"), {"kind__exact": "request"})
    assert response.status_code == 200
    assert [o.slug for o in response.context["cl"].result_list] == ["nz-2024-request-dca"]
    shipbuilding = Topic.objects.get(slug="shipbuilding")
    response = client.get(url(Outcome, "changelist"), {"topics__id__exact": shipbuilding.pk})
    assert {o.slug for o in response.context["cl"].result_list} == {"nz-2024-agree-shipbuilding"}
    assert client.get(url(Outcome, "add")).status_code == 403
    assert client.get(url(Topic, "changelist")).status_code == 200


# --- CSV ------------------------------------------------------------------------------------


def export_text(resource_class, queryset=None) -> str:
    return DefrelCSV().export_data(resource_class().export(queryset))


def import_text(resource_class, text: str):
    resource = resource_class()
    return resource, resource.import_data(read_csv(text.encode()))


def test_outcome_and_amount_files_round_trip():
    outcomes = export_text(OutcomeResource, Outcome.objects.filter(slug="nz-2024-request-dca"))
    row = next(csv.DictReader(io.StringIO(outcomes)))
    assert row["kind"] == "request" and row["actors"] == "IN" and row["targets"] == "NZ"
    assert row["agreements"] == "india-new-zealand-defence-cooperation-agreement"
    amounts = export_text(AmountResource)
    trade = [r for r in csv.DictReader(io.StringIO(amounts)) if r["period"] == "2004-05"]
    assert trade[0]["value"] == "6700000000" and trade[0]["qualifier"] == "about"
    # A new outcome (citing its source) and its amount, then the same files again: created once.
    header, values = outcomes.replace("nz-2024-request-dca", "nz-2024-test-copy").splitlines()
    new = f"{header},citations\n{values},002_e5b3391f3894ea28 ¶ 13\n"
    amount = (
        "outcome,measure,period,value,currency,qualifier,source,paragraph,note\n"
        "nz-2024-test-copy,defence spending,2024,12.5,NZD,over,002_e5b3391f3894ea28,13,\n"
    )
    for _ in range(2):
        for resource_class, text in ((OutcomeResource, new), (AmountResource, amount)):
            resource, result = import_text(resource_class, text)
            assert resource.problems(result) == []
    copy = Outcome.objects.get(slug="nz-2024-test-copy")
    assert [c.iso2 for c in copy.targets.all()] == ["NZ"]
    assert copy.amounts.get().value == Decimal("12.5")
    assert copy.citations.get().paragraph == 13
    exported = export_text(AmountResource, Amount.objects.filter(outcome=copy))
    assert "12.5,NZD,over" in exported


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("value", "twelve", "is not a number"),
        ("currency", "nzd", "three capitals"),
        ("value", "-3", "not negative"),
        ("outcome", "no-such-outcome", "No outcome has the slug"),
    ],
)
def test_a_bad_amount_cell_is_named_by_line_column_and_value(column, value, message):
    cells = {
        "outcome": "nz-2024-request-dca",
        "measure": "defence spending",
        "period": "2024",
        "value": "12",
        "currency": "NZD",
        "qualifier": "exact",
        "source": "",
        "paragraph": "",
        "note": "",
    }
    cells[column] = value
    text = ",".join(cells) + "\n" + ",".join(cells.values()) + "\n"
    resource, result = import_text(AmountResource, text)
    problems = resource.problems(result)
    assert [(p.line, p.column, p.value) for p in problems] == [(2, column, value)], problems
    assert message in problems[0].message
    assert not Amount.objects.filter(measure="defence spending").exists()


def test_meetings_agreements_and_initiatives_have_a_topics_column():
    for name in ("meeting", "agreement", "initiative", "outcome"):
        assert "topics" in [c.name for c in RECORDS[name].columns], name
    text = export_text(resource_for(Meeting), Meeting.objects.filter(slug__contains="collins"))
    assert next(csv.DictReader(io.StringIO(text)))["topics"] == "shipbuilding"


# --- the reading room -----------------------------------------------------------------------


def listed(response) -> set[str]:
    assert response.status_code == 200
    return {o.slug for o in response.context["rows"]}


def test_outcomes_page_lists_filters_and_exports(client):
    page = reverse("engagements:outcome_list")
    response = client.get(page)
    assert len(listed(response)) == Outcome.objects.count()
    html = response.content.decode()
    assert 'href="/outcomes/"' in html  # in the navigation
    assert listed(client.get(page, {"kind": "conclude"})) == {
        "au-2024-conclude-air-to-air-refuelling",
        "us-2024-08-conclude-sosa-moa",
        "my-2023-conclude-mou-amendment",
    }
    assert listed(client.get(page, {"target": "MY"})) == {"my-2023-offer-modernisation-support"}
    assert listed(client.get(page, {"actor": "GB", "kind": "announce"})) == {
        "uk-efd-13-announce-deals"
    }
    assert "uk-dcg-24-review-defence-ties" in listed(client.get(page, {"actor": "GB"}))
    assert listed(client.get(page, {"topic": "air-to-air-refuelling"})) == {
        "au-2024-conclude-air-to-air-refuelling"
    }
    assert listed(client.get(page, {"year_from": 2019, "year_to": 2019, "kind": "invite"})) == {
        "jp-kr-2019-invite-defexpo"
    }
    assert listed(client.get(page, {"q": "shipbuilding"})) == {"nz-2024-agree-shipbuilding"}
    bad = client.get(page, {"topic": "knitting", "actor": "XX"})
    assert bad.status_code == 400
    assert "No topic has the identifier" in bad.content.decode()
    exported = client.get(page, {"format": "csv", "kind": "announce"})
    lines = b"".join(exported.streaming_content).decode().splitlines()
    assert len(lines) == 2 and "uk-efd-13-announce-deals" in lines[1]
    amounts = client.get(page, {"format": "csv", "table": "amounts", "kind": "announce"})
    rows = list(csv.DictReader(io.StringIO(b"".join(amounts.streaming_content).decode())))
    assert [(r["value"], r["currency"]) for r in rows] == [("400000000", "EUR")]
    as_json = client.get(page, {"format": "json", "topic": "shipbuilding"})
    assert b"nz-2024-agree-shipbuilding" in b"".join(as_json.streaming_content)


def test_what_did_india_offer_or_request_in_2024_and_of_whom(client):
    """A question only the outcomes answer: the page's filters, as a researcher would set them."""
    query = {
        "actor": "IN",
        "kind": ["offer", "request", "invite"],
        "year_from": 2024,
        "year_to": 2024,
    }
    response = client.get(reverse("engagements:outcome_list"), query)
    assert listed(response) == {"nz-2024-request-dca", "kr-2024-invite-invest-corridors"}
    asked = {o.slug: {c.iso2 for c in o.targets.all()} for o in response.context["rows"]}
    assert asked == {"nz-2024-request-dca": {"NZ"}, "kr-2024-invite-invest-corridors": {"KR"}}
    html = response.content.decode()
    assert "New Zealand" in html and "Korea" in html
    chips = [label for label, _, _ in response.context["active_filters"]]
    assert "Who (actor)" in chips


def test_meeting_page_shows_its_outcomes_with_amounts_and_sources(client):
    meeting = Meeting.objects.get(slug="2025-09-narendra-modi-lawrence-wong-talks")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="outcomes-h"' in html
    assert 'id="outcome-sg-2025-express-trade-growth"' in html
    assert "nearly USD 35 billion" in html and "about USD 6.7 billion" in html
    assert "¶ 9" in html
    assert 'href="/meetings/?topic=trade"' in html  # the meeting's own topics link to its list


def test_topic_filter_and_facet_on_meetings_agreements_and_initiatives(client):
    for name, topic, expected in (
        ("meeting", "shipbuilding", {"2024-11-rajnath-singh-judith-collins-talks"}),
        ("agreement", "research-and-development", {"india-rok-defence-rd-cooperation-plan"}),
        ("initiative", "disaster-relief", {"quad-indo-pacific-logistics-network"}),
    ):
        page = reverse(f"engagements:{name}_list")
        response = client.get(page, {"topic": topic})
        assert {r.slug for r in response.context["rows"]} == expected, name
        facets = {f.param: f for f in response.context["facets"]}
        chosen = [v for v in facets["topic"].values if v.selected]
        assert [v.value for v in chosen] == [topic], name
        plain = client.get(page).context["facets"]
        assert any(f.param == "topic" and f.values for f in plain), name
    trade = client.get(reverse("engagements:meeting_list"), {"topic": "trade"})
    assert "2025-09-narendra-modi-lawrence-wong-talks" in {m.slug for m in trade.context["rows"]}


def test_agreement_and_initiative_pages_list_the_outcomes_that_concern_them(client):
    dca = Agreement.objects.get(slug="india-new-zealand-defence-cooperation-agreement")
    html = client.get(dca.get_absolute_url()).content.decode()
    assert "#outcome-nz-2024-request-dca" in html
    html = client.get(reverse("engagements:initiative_detail", args=["indus-x"])).content.decode()
    assert "#outcome-us-2024-pledge-defence-innovation" in html
    assert 'href="/initiatives/?topic=defence-innovation"' in html
