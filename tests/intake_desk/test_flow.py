"""The intake desk end to end, as an Editor: paste, draft, edit, accept; reject; errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from engagements.admin import intake as intake_admin
from engagements.intake import drafting
from engagements.models import (
    Agreement,
    Initiative,
    Meeting,
    Official,
    Participation,
    Source,
    Tenure,
)
from engagements.permissions import EDITORS

from .helpers import KEY, REPORT, SOURCE_FIELDS, counts, hand_review, page_review, url

pytestmark = pytest.mark.django_db
REASON = f"Intake of {KEY}"


@pytest.fixture
def editor(login):
    return login(EDITORS)


@pytest.fixture
def engine_calls(monkeypatch):
    """Each call of the drafting engine the desk makes (the engine itself still runs)."""
    calls = []

    def spy(text, *, published=None):
        calls.append((text, published))
        return drafting.draft_report(text, published=published)

    monkeypatch.setattr(intake_admin, "draft_report", spy)
    return calls


def paste(client, **fields):
    data = {"text": REPORT, "key": KEY, "publisher": "Test Wire", "published": "2025-03-14"}
    return client.post(url(), {**data, **fields})


def test_paste_drafts_through_the_engine_and_writes_nothing(editor, engine_calls):
    before = counts()
    response = paste(editor)
    assert response.status_code == 200
    assert engine_calls == [(REPORT, dt.date(2025, 3, 14))]
    review = response.context["review"]
    assert review.source_form.initial["key"] == KEY
    assert len(review.paragraphs) == 4
    assert "Review the draft" in response.content.decode()
    assert counts() == before


def test_paste_then_accept_registers_the_source_with_its_text(editor, engine_calls):
    response = paste(editor, title="Two ministers meet")
    data = page_review(response, summary="Two defence ministers met in Delhi.")
    # Whatever the engine drafted is rejected here: this test is about the source.
    for name in [n for n in data if n.endswith("-decision")]:
        data[name] = "reject"
    before = counts()
    response = editor.post(url(), data)
    assert response.status_code == 302, response.context and response.context["review"].problems
    source = Source.objects.get(key=KEY)
    assert response["Location"].endswith(f"/source/{source.pk}/change/")
    assert Source.objects.only("text").get(pk=source.pk).text == REPORT
    assert (source.paragraph_count, source.publisher) == (4, "Test Wire")
    assert source.published.isoformat() == "2025-03-14"
    row = source.history.get()
    assert (row.history_type, row.history_change_reason) == ("+", REASON)
    assert row.history_user.username == "editors"
    after = counts()
    changed = {label for label in after if after[label] != before[label]}
    assert changed == {"engagements.Source", "engagements.HistoricalSource", "admin.LogEntry"}
    entry = LogEntry.objects.get(object_id=str(source.pk), content_type__model="source")
    assert entry.is_addition() and entry.user.username == "editors"


def test_an_unknown_publication_date_is_taken_from_the_draft(editor, monkeypatch):
    def engine(text, *, published=None):
        assert published is None
        draft = drafting.draft_report(text, published=published)
        draft["source"].update(date="2025-03-14", dateline="New Delhi")
        return draft

    monkeypatch.setattr(intake_admin, "draft_report", engine)
    response = paste(editor, published="")
    form = response.context["review"].source_form
    assert form["published"].value() == "2025-03-14"
    assert form["dateline"].value() == "New Delhi"


def test_a_key_is_suggested_and_the_same_text_gets_the_same_one(editor):
    first = paste(editor, key="").context["review"].source_form["key"].value()
    again = paste(editor, key="", publisher="Test Wire").context["review"]
    assert first.startswith("test-wire-2025-03-14-")
    assert again.source_form["key"].value() == first


def test_an_uploaded_text_file_is_drafted(editor, engine_calls):
    upload = SimpleUploadedFile("report.txt", REPORT.encode("utf-8"), "text/plain")
    response = editor.post(url(), {"text": "", "text_file": upload, "key": KEY})
    assert response.status_code == 200
    assert engine_calls == [(REPORT, None)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.txt", "Défense à Paris".encode("latin-1"), "report.txt is not UTF-8 text"),
        ("report.pdf", b"%PDF-1.4", "report.pdf is not a .txt file"),
    ],
)
def test_a_bad_upload_is_refused_in_words(editor, engine_calls, name, content, message):
    before = counts()
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    response = editor.post(url(), {"text": "", "text_file": upload, "key": KEY})
    assert response.status_code == 200
    assert message in response.context["form"].errors["text_file"][0]
    assert message in response.content.decode()
    assert engine_calls == []
    assert counts() == before


def test_no_text_and_a_bad_key_are_refused(editor):
    response = editor.post(url(), {"text": "  \n ", "key": "has space/slash"})
    errors = response.context["form"].errors
    assert "Paste the report's text" in errors["text"][0]
    assert "cannot be a source key" in errors["key"][0]


def test_an_edited_draft_is_accepted_with_citations_and_history(editor):
    before = counts()
    data = hand_review(
        **{
            "meetings-0-title": "Rajnath Singh receives Pål Jonson",
            "meetings-0-dates": "2025-03-13/2025-03-14",
            "agreements-0-kind": "memorandum_of_agreement",
            "officials-1-honorific": "Dr",
        }
    )
    response = editor.post(url(), data)
    assert response.status_code == 302, response.context["review"].problems
    source = Source.objects.get(key=KEY)

    meeting = Meeting.objects.get(title="Rajnath Singh receives Pål Jonson")
    assert meeting.dates.isoformat() == "2025-03-13/2025-03-14"
    assert (meeting.kind, meeting.city, meeting.country.iso2) == ("bilateral", "New Delhi", "IN")
    assert sorted(meeting.countries.values_list("iso2", flat=True)) == ["IN", "SE"]
    assert sorted(meeting.citations.values_list("source__key", "paragraph")) == [
        (KEY, 1),
        (KEY, 2),
    ]
    jonson = Official.objects.get(name="Pål Jonson")
    assert (jonson.country.iso2, jonson.honorific) == ("SE", "Dr")
    assert Official.objects.filter(name="Rajnath Singh").count() == 1
    names = set(meeting.participations.values_list("official__name", flat=True))
    assert names == {"Rajnath Singh", "Pål Jonson"}
    # Each participant holds the post the report gives, through a tenure covering the talks.
    for participation in meeting.participations.all():
        post = participation.posts.get()
        tenures = participation.official.tenures.filter(post=post)
        tenure = tenures.held_between(*meeting.known_days)
        assert tenure.get().citations.filter(source=source, paragraph=1).exists()
    assert jonson.tenures.get().post.title == "Minister for Defence"

    scheduled = Meeting.objects.get(title="Next India–Sweden officials' meeting")
    assert (scheduled.status, scheduled.dates.isoformat()) == ("scheduled", "2025")
    assert not scheduled.participations.exists()

    agreement = Agreement.objects.get(title="India–Sweden memorandum on defence research")
    assert agreement.kind == "memorandum_of_agreement"
    assert sorted(agreement.parties.values_list("iso2", flat=True)) == ["IN", "SE"]
    step = agreement.status_history.get()
    assert (step.status, step.when.isoformat(), step.date_exact) == ("signed", "2019-05", True)
    assert (step.source, step.paragraph) == (source, 3)
    assert list(agreement.citations.values_list("paragraph", flat=True)) == [3]

    forum = Initiative.objects.get(name="Nordic-Indian Defence Industry Forum")
    assert (forum.kind, list(forum.citations.values_list("paragraph", flat=True))) == (
        "joint_effort",
        [4],
    )

    # Every row written is in the history as the intake of this source, by the Editor.
    for record in (source, meeting, scheduled, jonson, agreement, step, forum):
        row = record.history.order_by("history_date").last()
        assert (row.history_change_reason, row.history_user.username) == (REASON, "editors")
    first = meeting.history.earliest("history_date")
    assert first.history_type == "+"
    assert sorted(c.country.iso2 for c in first.countries.all()) == ["IN", "SE"]
    assert meeting.history.count() == 1
    # A participant's one history row holds the post it was given.
    for participation in meeting.participations.all():
        [row] = Participation.history.filter(id=participation.pk)
        assert (row.history_type, row.history_change_reason) == ("+", REASON)
        assert [p.post_id for p in row.posts.all()] == [participation.posts.get().pk]
    after = counts()
    assert after["engagements.Official"] == before["engagements.Official"] + 1
    assert after["engagements.Meeting"] == before["engagements.Meeting"] + 2
    assert after["engagements.Agreement"] == before["engagements.Agreement"] + 1


def test_rejected_items_are_not_written(editor):
    data = hand_review(
        **{
            "agreements-0-decision": "reject",
            "meetings-1-decision": "reject",
            # A rejected item is not checked either.
            "meetings-1-dates": "not a date",
        }
    )
    response = editor.post(url(), data)
    assert response.status_code == 302, response.context["review"].problems
    assert not Agreement.objects.filter(title__contains="defence research").exists()
    assert not Meeting.objects.filter(title__startswith="Next India–Sweden").exists()
    assert Meeting.objects.filter(title="Rajnath Singh and Pål Jonson talks").exists()


def test_discarding_the_draft_writes_nothing(editor):
    before = counts()
    data = hand_review()
    del data["accept"]
    data["discard"] = "Discard the draft"
    response = editor.post(url(), data)
    assert response.status_code == 302
    assert response["Location"].endswith("/engagements/source/")
    assert counts() == before


@pytest.mark.parametrize(
    ("edits", "problem"),
    [
        (
            {"meetings-0-dates": "2025-13-01"},
            "Meeting m1 “Rajnath Singh and Pål Jonson talks”, dates: '2025-13-01' is not a "
            "real date",
        ),
        (
            {"meetings-0-dates": "14 March 2025"},
            "Meeting m1 “Rajnath Singh and Pål Jonson talks”, dates: '14 March 2025' is not a date",
        ),
        (
            {"agreements-0-dates": "2019-05-01/2019-05-03"},
            "Agreement a1 “India–Sweden memorandum on defence research”, date of the status: "
            "'2019-05-01/2019-05-03' is not a date",
        ),
        (
            {"meetings-0-participants": "Rajnath Singh\nSomeone Unheard-of"},
            "Meeting m1 “Rajnath Singh and Pål Jonson talks”, participants: “Someone "
            "Unheard-of” is neither an official of this draft nor one defrel has",
        ),
        (
            {"officials-1-decision": "reject"},
            "“Pål Jonson” is an official of this draft you rejected",
        ),
        (
            {"initiatives-0-paragraphs": "4, 7"},
            "Initiative i1 “Nordic-Indian Defence Industry Forum”, paragraphs: Paragraph 7 does "
            "not exist",
        ),
        (
            {"meetings-0-edition": "3"},
            "Meeting m1 “Rajnath Singh and Pål Jonson talks”, edition: An edition number needs "
            "a mechanism or a grouping.",
        ),
        (
            {"officials-1-country": "Atlantis"},
            "Official o2 “Pål Jonson”, country: No country has the code, name or alias 'Atlantis'.",
        ),
        ({"meetings-1-parent": "m1", "meetings-0-parent": "m2"}, "each other's parents"),
        ({"summary": ""}, "Source, summary: This field is required."),
    ],
)
def test_a_bad_value_is_named_with_its_item_and_field(editor, edits, problem):
    before = counts()
    response = editor.post(url(), hand_review(**edits))
    assert response.status_code == 200
    problems = response.context["review"].problems
    assert any(problem in p for p in problems), problems
    assert "Nothing was written" in response.content.decode()
    assert counts() == before


def test_a_record_refused_by_the_database_rules_stops_the_whole_intake(editor):
    """The seed has session 24 of the India–UK Defence Consultative Group: a drafted
    session of that number fails its constraint after the officials are written, and the
    intake is rolled back whole."""
    before = counts()
    edits = {
        "meetings-0-kind": "mechanism",
        "meetings-0-mechanism": "india-uk-defence-consultative-group",
        "meetings-0-edition": "24",
    }
    response = editor.post(url(), hand_review(**edits))
    assert response.status_code == 200
    problems = response.context["review"].problems
    assert problems == [
        "Meeting m1 “Rajnath Singh and Pål Jonson talks”: This mechanism already has a "
        "session with this edition."
    ]
    assert counts() == before
    assert not Official.objects.filter(name="Pål Jonson").exists()


def test_a_registered_key_with_another_text_is_refused(editor):
    """A seed source (its text not stored here) has 26 paragraphs; this text has 4."""
    before = counts()
    source = {**SOURCE_FIELDS, "key": "002_e5b3391f3894ea28"}
    response = editor.post(url(), hand_review(source=source))
    assert response.status_code == 200
    [problem] = response.context["review"].problems
    assert problem.startswith("Source 002_e5b3391f3894ea28, text: the source")
    assert "has 26 paragraphs, this text 4" in problem
    assert counts() == before


def test_a_tampered_draft_is_refused(editor):
    before = counts()
    data = hand_review()
    data["state"] = data["state"][:-3] + "abc"
    response = editor.post(url(), data, follow=True)
    assert "This draft cannot be read" in response.content.decode()
    assert counts() == before
    assert Tenure.objects.filter(official__name="Pål Jonson").count() == 0


def test_a_draft_of_odd_shape_is_reviewed_not_a_server_error(editor, monkeypatch):
    """Items without ids, a lone participant as a string, paragraphs as text, an unknown
    kind: the review shows them and names what must be corrected."""

    def engine(text, *, published=None):
        draft = drafting.draft_report(text, published=published)
        draft["meetings"] = [
            {
                "title": "Talks",
                "kind": "chat",
                "dates": "2025-03-14",
                "participants": "Rajnath Singh",
                "countries": "IN",
                "paragraphs": "1",
            }
        ]
        draft["agreements"] = ["not an item"]
        return draft

    monkeypatch.setattr(intake_admin, "draft_report", engine)
    response = paste(editor)
    assert response.status_code == 200
    [form] = response.context["review"].forms["meetings"]
    assert (form.ref, form["participants"].value(), form["countries"].value()) == (
        "m1",
        "Rajnath Singh",
        "IN",
    )
    assert response.context["review"].forms["agreements"] == []
    before = counts()
    response = editor.post(url(), page_review(response, title="T", summary="S."))
    assert response.status_code == 200
    problems = response.context["review"].problems
    assert "Meeting m1 “Talks”, paragraphs: This field is required." in problems
    assert any(p.startswith("Meeting m1 “Talks”, kind: Select a valid choice.") for p in problems)
    assert counts() == before
