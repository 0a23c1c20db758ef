"""One report on one page: a new official and a new agreement named in the meeting's rows.

Posted to the meeting's add page as an Editor, with every inline's management form. A
participant row naming a new official creates the official, the post and a tenure of the
meeting's dates cited to its source; an agreement row naming a new agreement creates it with
its parties, its signing step and its citations. Each row has history by the Editor.
"""

from __future__ import annotations

import datetime as dt

import pytest

from engagements.models import (
    Agreement,
    AgreementMeeting,
    Country,
    Meeting,
    Official,
    Post,
    Source,
    Tenure,
)
from engagements.permissions import EDITORS
from tests.helpers import url

pytestmark = pytest.mark.django_db

SLUG = "2025-03-test-swedish-talks"
SOURCE = "002_e5b3391f3894ea28"


@pytest.fixture
def editor(login):
    return login(EDITORS)


def _pk(iso2: str) -> int:
    return Country.objects.get(iso2=iso2).pk


def _meeting(**extra) -> dict:
    data = {
        "title": "Rajnath Singh meets a new Swedish minister",
        "slug": SLUG,
        "kind": "bilateral",
        "status": "held",
        "dates": "2025-03-05",
        "city": "New Delhi",
        "country": _pk("IN"),
        "host": "",
        "countries": [_pk("IN"), _pk("SE")],
        "grouping": "",
        "mechanism": "",
        "edition": "",
        "parent": "",
        "summary": "",
        "participations-TOTAL_FORMS": "2",
        "participations-INITIAL_FORMS": "0",
        "participations-0-official": Official.objects.get(slug="rajnath-singh").pk,
        "participations-0-role": "head",
        "participations-1-new_official_0": "Ingrid Testersson",
        "participations-1-new_official_1": "Minister for Civil Defence",
        "participations-1-country": _pk("SE"),
        "participations-1-role": "head",
        "agreement_links-TOTAL_FORMS": "1",
        "agreement_links-INITIAL_FORMS": "0",
        "agreement_links-0-new_title": "India–Sweden test defence cooperation memorandum",
        "agreement_links-0-new_kind": "mou",
        "agreement_links-0-role": "signed",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": Source.objects.get(key=SOURCE).pk,
        "citations-0-paragraphs": "4–5, 2",
        "marks-TOTAL_FORMS": "0",
        "marks-INITIAL_FORMS": "0",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def _saved(response):
    assert response.status_code == 302, response.context and (
        response.context["errors"],
        [f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset],
    )
    return Meeting.objects.get(slug=SLUG)


def test_a_new_official_is_created_with_post_tenure_citation_and_history(editor):
    page = editor.get(url(Meeting, "add")).content.decode()
    assert 'name="participations-0-new_official_0"' in page
    assert 'name="participations-0-new_official_1"' in page
    meeting = _saved(editor.post(url(Meeting, "add"), _meeting()))
    official = Official.objects.get(name="Ingrid Testersson")
    assert (official.slug, official.country.iso2) == ("ingrid-testersson", "SE")
    participant = meeting.participations.get(official=official)
    assert (participant.role, participant.description, participant.country) == ("head", "", None)
    post = Post.objects.get(country__iso2="SE", title="Minister for Civil Defence")
    assert list(participant.posts.all()) == [post]
    tenure = Tenure.objects.get(official=official, post=post)
    assert (tenure.start_date, tenure.end_date) == (dt.date(2025, 3, 5), dt.date(2025, 3, 5))
    assert (tenure.start_exact, tenure.end_exact) == (False, False)
    # Cited to the first paragraph the meeting cites.
    assert list(tenure.citations.values_list("source__key", "paragraph")) == [(SOURCE, 2)]
    # The participant's own check agrees: the tenure covers the meeting.
    assert participant.post_problems([post]) == []
    for row in (official, post, tenure, tenure.citations.get()):
        version = row.history.get()
        assert (version.history_type, version.history_user.username) == ("+", "editors")
    assert official.history.get().history_change_reason.startswith("Added with the meeting")
    assert participant.history.latest().history_user.username == "editors"


def test_an_existing_post_of_the_country_is_reused(editor):
    post = Post.objects.create(
        slug="se-test-post", title="Minister for Civil Defence", country_id=_pk("SE")
    )
    posts = Post.objects.count()
    _saved(
        editor.post(
            url(Meeting, "add"),
            _meeting(**{"participations-1-new_official_1": "minister for civil defence"}),
        )
    )
    assert Post.objects.count() == posts
    assert Tenure.objects.get(official__name="Ingrid Testersson").post == post


def test_a_new_agreement_is_created_with_parties_step_and_citations(editor):
    meeting = _saved(editor.post(url(Meeting, "add"), _meeting()))
    agreement = Agreement.objects.get(title="India–Sweden test defence cooperation memorandum")
    assert agreement.kind == "mou"
    assert sorted(agreement.parties.values_list("iso2", flat=True)) == ["IN", "SE"]
    link = AgreementMeeting.objects.get(agreement=agreement)
    assert (link.meeting, link.role) == (meeting, "signed")
    step = agreement.status_history.get()
    assert (step.status, step.date, step.precision, step.date_exact) == (
        "signed",
        dt.date(2025, 3, 5),
        "day",
        True,
    )
    assert (step.source.key, step.paragraph) == (SOURCE, 2)
    assert sorted(agreement.citations.values_list("paragraph", flat=True)) == [2, 4, 5]
    # One history row for the agreement, its parties in it, by the Editor.
    version = agreement.history.get()
    assert version.history_user.username == "editors"
    assert sorted(p.country.iso2 for p in version.parties.all()) == ["IN", "SE"]
    for row in (step, link, *agreement.citations.all()):
        assert row.history.latest().history_user.username == "editors"
    # The audit of unlinked or uncited agreements has nothing to say of it.
    assert agreement.meeting_links.exists() and agreement.citations.exists()


def test_a_likely_duplicate_official_is_refused(editor):
    data = _meeting(
        **{
            "participations-1-new_official_0": "rajnath singh",
            "participations-1-country": _pk("IN"),
            "participations-0-official": "",
            "participations-0-description": "India's delegation",
            "participations-0-country": _pk("IN"),
        }
    )
    response = editor.post(url(Meeting, "add"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "India already has an official named rajnath singh: Rajnath Singh (rajnath-singh)" in body
    )
    assert "Pick them under official" in body
    assert not Meeting.objects.filter(slug=SLUG).exists()
    assert Official.objects.filter(name__iexact="rajnath singh").count() == 1
    assert not Agreement.objects.filter(title__startswith="India–Sweden test").exists()


def test_a_new_official_without_a_country_is_refused(editor):
    response = editor.post(url(Meeting, "add"), _meeting(**{"participations-1-country": ""}))
    assert response.status_code == 200
    assert "Give the new official&#x27;s country" in response.content.decode()
    assert not Official.objects.filter(name="Ingrid Testersson").exists()
    assert not Meeting.objects.filter(slug=SLUG).exists()


def test_a_new_agreement_needs_its_kind_and_a_new_title(editor):
    body = editor.post(
        url(Meeting, "add"), _meeting(**{"agreement_links-0-new_kind": ""})
    ).content.decode()
    assert "Give the new agreement&#x27;s kind." in body
    taken = Agreement.objects.order_by("pk").first()
    body = editor.post(
        url(Meeting, "add"), _meeting(**{"agreement_links-0-new_title": taken.title.upper()})
    ).content.decode()
    assert "An agreement of this title is in defrel already" in body
    assert "Pick it under agreement" in body
    assert not Meeting.objects.filter(slug=SLUG).exists()
    assert not Official.objects.filter(name="Ingrid Testersson").exists()


def test_a_row_without_agreement_or_title_is_refused(editor):
    data = _meeting(**{"agreement_links-0-new_title": "", "agreement_links-0-new_kind": ""})
    body = editor.post(url(Meeting, "add"), data).content.decode()
    assert "Pick the agreement, or give a new one&#x27;s title." in body
    assert not Meeting.objects.filter(slug=SLUG).exists()


def test_the_same_new_agreement_in_two_rows_is_refused(editor):
    data = _meeting(
        **{
            "agreement_links-TOTAL_FORMS": "2",
            "agreement_links-1-new_title": "india–sweden TEST defence cooperation memorandum",
            "agreement_links-1-new_kind": "mou",
            "agreement_links-1-role": "exchanged",
        }
    )
    body = editor.post(url(Meeting, "add"), data).content.decode()
    assert "The same new agreement as row 1." in body
    assert not Agreement.objects.filter(title__icontains="test defence cooperation").exists()


def test_an_account_that_may_not_add_officials_cannot_name_one(login):
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name=EDITORS)
    limited = Group.objects.create(name="Meetings only")
    limited.permissions.set(editors.permissions.exclude(codename="add_official"))
    client = login("Meetings only")
    body = client.post(url(Meeting, "add"), _meeting()).content.decode()
    assert "Your account may not add officials: ask a Reviewer." in body
    assert not Meeting.objects.filter(slug=SLUG).exists()
    assert not Official.objects.filter(name="Ingrid Testersson").exists()
