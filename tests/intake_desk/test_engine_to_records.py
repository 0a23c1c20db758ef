"""Paste to records with the real drafting engine: what a curator accepts unchanged is written,
cited and recorded in the history as the intake; a second intake adds nothing."""

from __future__ import annotations

import pytest

from engagements.models import Agreement, Meeting, Official, Source
from engagements.permissions import EDITORS

from .helpers import KEY, counts, page_review, url

pytestmark = pytest.mark.django_db

#: A report written for this test, phrased as wire copy usually is (an accented name too).
REPORT = "\n\n".join(
    [
        (
            "New Delhi, March 14 (Wire): Defence Minister Rajnath Singh held talks with "
            "Swedish Defence Minister Pål Jonson in New Delhi on Friday, with defence "
            "industry ties high on the agenda."
        ),
        (
            "The two ministers reviewed joint training between their armed forces and "
            "agreed to meet again later this year."
        ),
        "Sweden's Minister for Defence, Pål Jonson, also called on Prime Minister Narendra Modi.",
        (
            "India and Sweden signed a memorandum of understanding on defence research in "
            "May 2019, which both sides described as the basis of the present work."
        ),
    ]
)


@pytest.fixture
def editor(login):
    return login(EDITORS)


def accept_as_drafted(client):
    response = client.post(
        url(),
        {
            "text": REPORT,
            "key": KEY,
            "publisher": "Test Wire",
            "published": "2025-03-14",
            "title": "Swedish minister in Delhi",
        },
    )
    assert response.status_code == 200
    data = page_review(response, summary="Sweden's defence minister in Delhi.")
    return client.post(url(), data)


def test_the_engines_draft_accepted_as_is_becomes_cited_records(editor):
    response = accept_as_drafted(editor)
    assert response.status_code == 302, response.context and response.context["review"].problems
    source = Source.objects.get(key=KEY)
    jonson = Official.objects.get(name="Pål Jonson")
    assert jonson.country.iso2 == "SE"
    meeting = Meeting.objects.get(participations__official=jonson, start_date="2025-03-14")
    assert meeting.city == "New Delhi"
    assert set(meeting.participations.values_list("official__name", flat=True)) >= {
        "Rajnath Singh",
        "Pål Jonson",
    }
    assert 1 in meeting.citations.filter(source=source).values_list("paragraph", flat=True)
    assert meeting.history.latest().history_change_reason == f"Intake of {KEY}"
    agreement = Agreement.objects.filter(citations__source=source).get()
    assert agreement.status_history.get().date.isoformat()[:7] == "2019-05"

    # The same report again: everything matches, nothing is added.
    before = counts()
    again = accept_as_drafted(editor)
    assert again.status_code == 302
    after = counts()
    assert {k for k in after if after[k] != before[k]} <= {"admin.LogEntry"}
