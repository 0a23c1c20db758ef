"""Intake run again on the same report matches what it wrote instead of duplicating it."""

from __future__ import annotations

import pytest

from engagements.admin.intake import Review, with_matches
from engagements.models import Agreement, Initiative, Meeting, Official, Source

from .helpers import KEY, REPORT, SOURCE_FIELDS, counts, hand_draft, hand_review, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(login):
    client = login("Editors")
    response = client.post(url(), hand_review())
    assert response.status_code == 302, response.context["review"].problems
    return client


def without_log(numbers: dict) -> dict:
    """Counts but the admin's log (an intake run again logs that it linked the records)."""
    return {label: n for label, n in numbers.items() if label != "admin.LogEntry"}


def test_the_same_key_and_draft_again_write_nothing_new(accepted):
    before = counts()
    response = accepted.post(url(), hand_review())
    assert response.status_code == 302, response.context["review"].problems
    # Not a record, a citation or a history row more.
    assert without_log(counts()) == without_log(before)


def test_records_whose_titles_were_edited_are_found_by_their_citations(login):
    """The curator retitled the meeting, the agreement and the initiative; the engine drafts
    its own titles again, and the records citing those paragraphs are matched."""
    client = login("Editors")
    edits = {
        "meetings-0-title": "Defence ministers of India and Sweden meet",
        "agreements-0-title": "India–Sweden defence research MoU",
        "initiatives-0-title": "Nordic–Indian industry forum",
    }
    response = client.post(url(), hand_review(**edits))
    assert response.status_code == 302, response.context["review"].problems
    source = Source.objects.get(key=KEY)
    draft = with_matches(hand_draft(), source)
    meeting = Meeting.objects.get(title=edits["meetings-0-title"])
    assert [m["match"] for m in draft["meetings"]] == [
        meeting.slug,
        Meeting.objects.get(title__startswith="Next India–Sweden").slug,
    ]
    assert draft["agreements"][0]["match"] == Agreement.objects.get(title__endswith="MoU").slug
    assert draft["initiatives"][0]["match"] == Initiative.objects.get(name__endswith="forum").slug
    before = counts()
    response = client.post(url(), hand_review())
    assert response.status_code == 302, response.context["review"].problems
    assert without_log(counts()) == without_log(before)
    meeting.refresh_from_db()
    assert meeting.title == edits["meetings-0-title"]


def test_the_second_draft_shows_what_the_first_wrote_as_matches(accepted):
    """Pasted again with the same text and another key: the source registered with this
    text is named, and each item (the engine matching none here) is matched by defrel."""
    response = accepted.post(url(), {"text": REPORT, "key": "another-key"})
    assert response.status_code == 200
    assert response.context["registered"].key == KEY
    assert response.context["review"].source_form["key"].value() == KEY
    assert f"already registered as the source {KEY}" in response.content.decode()

    review = Review(REPORT, with_matches(hand_draft()), source_initial=SOURCE_FIELDS)
    matches = {
        kind: [entry["match"] and entry["match"]["record"].slug for entry in section["items"]]
        for section in review.sections()
        for kind in [section["kind"]]
    }
    meeting = Meeting.objects.get(title="Rajnath Singh and Pål Jonson talks")
    assert matches["meetings"][0] == meeting.slug
    assert matches["officials"] == ["rajnath-singh", Official.objects.get(name="Pål Jonson").slug]
    assert matches["agreements"] == [Agreement.objects.get(title__contains="research").slug]
    first_meeting = review.sections()[1]["items"][0]
    assert first_meeting["matched_by"] == "defrel"


def test_matches_are_linked_even_when_the_review_leaves_them_blank(accepted):
    """A curator who clears a match does not get a second record of the same name."""
    before = counts()
    edits = {
        "officials-1-match": "",
        "meetings-0-match": "",
        "agreements-0-match": "",
        "initiatives-0-match": "",
        # One change: a paragraph more for the meeting, which only adds its citation.
        "meetings-0-paragraphs": "1, 2, 4",
    }
    response = accepted.post(url(), hand_review(**edits))
    assert response.status_code == 302, response.context["review"].problems
    after = counts()
    changed = {
        label: after[label] - before[label] for label in after if after[label] != before[label]
    }
    assert changed == {
        "engagements.MeetingCitation": 1,
        "engagements.HistoricalMeetingCitation": 1,
        "admin.LogEntry": 1,
    }
    assert Official.objects.filter(name="Pål Jonson").count() == 1
    meeting = Meeting.objects.get(title="Rajnath Singh and Pål Jonson talks")
    assert sorted(meeting.citations.values_list("paragraph", flat=True)) == [1, 2, 4]
    assert Source.objects.filter(key=KEY).count() == 1


def test_a_matched_meeting_gets_what_it_lacks_from_the_report(accepted):
    """Linked, not rewritten: its title stays; a participant and a country it lacks are
    added, with one history row naming the intake."""
    meeting = Meeting.objects.get(title="Rajnath Singh and Pål Jonson talks")
    meeting.countries.remove(meeting.countries.get(iso2="SE"))
    meeting.participations.filter(official__name="Pål Jonson").delete()
    rows = meeting.history.count()
    draft = hand_draft()
    draft["meetings"][0]["match"] = meeting.slug
    edits = {"meetings-0-title": "A retitled meeting"}
    response = accepted.post(url(), hand_review(draft=draft, **edits))
    assert response.status_code == 302, response.context["review"].problems
    meeting.refresh_from_db()
    assert meeting.title == "Rajnath Singh and Pål Jonson talks"
    assert sorted(meeting.countries.values_list("iso2", flat=True)) == ["IN", "SE"]
    assert meeting.participations.filter(official__name="Pål Jonson").exists()
    latest = meeting.history.latest("history_date")
    assert meeting.history.count() == rows + 1
    assert latest.history_change_reason == f"Intake of {KEY}"
    assert sorted(c.country.iso2 for c in latest.countries.all()) == ["IN", "SE"]
