"""The tenure offer: a participant's post no tenure covers is fixed in place, in one tick.

Driven through the meeting's admin page as an Editor: the row refuses the post and offers to
extend (or create) the tenure; ticked, the save does it, cites the tenure to the meeting's
source and records it in the tenure's history.
"""

from __future__ import annotations

import datetime as dt

import pytest

from engagements.models import Country, Meeting, Official, Post, Source, Tenure
from engagements.permissions import EDITORS
from tests.helpers import url

pytestmark = pytest.mark.django_db

SLUG = "2025-03-test-rajnath-talks"
SOURCE = "002_e5b3391f3894ea28"


@pytest.fixture
def editor(login):
    return login(EDITORS)


def _meeting(dates: str, post: str = "in-minister-of-defence", tick=False, cited=True, **extra):
    source = Source.objects.get(key=SOURCE).pk
    data = {
        "title": "Rajnath Singh's test talks",
        "slug": SLUG,
        "kind": "bilateral",
        "status": "held",
        "dates": dates,
        "city": "",
        "country": Country.objects.get(iso2="IN").pk,
        "host": "",
        "countries": [Country.objects.get(iso2=c).pk for c in ("IN", "LA")],
        "grouping": "",
        "mechanism": "",
        "edition": "",
        "parent": "",
        "summary": "",
        "participations-TOTAL_FORMS": "1",
        "participations-INITIAL_FORMS": "0",
        "participations-0-official": Official.objects.get(slug="rajnath-singh").pk,
        "participations-0-posts": [Post.objects.get(slug=post).pk],
        "participations-0-role": "head",
        "agreement_links-TOTAL_FORMS": "0",
        "agreement_links-INITIAL_FORMS": "0",
        # Two paragraphs of one source, the later one first: the tenure cites the first.
        "citations-TOTAL_FORMS": "1" if cited else "0",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source,
        "citations-0-paragraphs": "9, 2",
        "marks-TOTAL_FORMS": "0",
        "marks-INITIAL_FORMS": "0",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
    }
    if tick:
        data["participations-0-fix_tenure"] = "on"
    data.update(extra)
    return data


def _defence_tenure() -> Tenure:
    return Tenure.objects.get(official__slug="rajnath-singh", post__slug="in-minister-of-defence")


def test_without_the_tick_the_save_is_refused_and_the_extension_offered(editor):
    before = _defence_tenure()
    response = editor.post(url(Meeting, "add"), _meeting("2025-03-05"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "No tenure of Rajnath Singh as Minister of Defence covers 5 March 2025" in body
    # The row offers the fix in its own words, as a tick box beside the post.
    assert "tick “extend the tenure to cover this meeting” and save again" in body
    assert (
        "the tenure, now “by 2 September 2019 – at least 21 November 2024”, will read "
        "“by 2 September 2019 – at least 5 March 2025”, cited to the meeting&#x27;s source"
    ) in body
    assert 'name="participations-0-fix_tenure"' in body
    assert "extend the tenure to cover this meeting</label>" in body
    assert not Meeting.objects.filter(slug=SLUG).exists()
    after = _defence_tenure()
    assert (after.end_date, after.history.count()) == (before.end_date, before.history.count())


@pytest.mark.parametrize(
    ("dates", "start", "end", "period"),
    [
        # After the tenure's last attested day: a later end.
        ("2025-03-05", dt.date(2019, 9, 2), dt.date(2025, 3, 5), "at least 5 March 2025"),
        # Before its first: an earlier start.
        ("2019-03-05", dt.date(2019, 3, 5), dt.date(2024, 11, 21), "by 5 March 2019"),
    ],
)
def test_ticked_the_tenure_is_extended_cited_and_recorded(editor, dates, start, end, period):
    tenure = _defence_tenure()
    held = Tenure.objects.filter(official__slug="rajnath-singh").count()
    response = editor.post(url(Meeting, "add"), _meeting(dates, tick=True))
    assert response.status_code == 302, response.context and response.context["errors"]
    meeting = Meeting.objects.get(slug=SLUG)
    assert meeting.participations.get().posts.get().slug == "in-minister-of-defence"
    tenure.refresh_from_db()
    assert (tenure.start_date, tenure.end_date) == (start, end)
    assert period in tenure.period
    # The new bound is attested by the meeting, not the day the tenure began or ended.
    assert (tenure.start_exact, tenure.end_exact) == (False, False)
    assert Tenure.objects.filter(official__slug="rajnath-singh").count() == held  # none added
    # Cited to the first paragraph the meeting cites in its source.
    assert (SOURCE, 2) in set(tenure.citations.values_list("source__key", "paragraph"))
    # The tenure's history: who, and why.
    version = tenure.history.latest()
    assert version.history_type == "~"
    assert version.history_change_reason == f"Extended to cover {meeting}"
    assert version.history_user.username == "editors"
    page = editor.get(url(Tenure, "history", tenure.pk)).content.decode()
    assert "Extended to cover Rajnath Singh&#x27;s test talks" in page
    assert "editors" in page
    # The meeting's participant is now covered: the reading of the tenures agrees.
    participant = meeting.participations.get()
    assert participant.post_problems(participant.posts.all()) == []


def test_ticked_a_tenure_is_created_where_none_exists(editor):
    assert not Tenure.objects.filter(
        official__slug="rajnath-singh", post__slug="in-defence-secretary"
    ).exists()
    data = _meeting("2025-03-05/2025-03-07", post="in-defence-secretary")
    refused = editor.post(url(Meeting, "add"), data).content.decode()
    assert "tick “create a tenure for this meeting&#x27;s dates” and save again" in refused
    assert "a tenure “by 5 March 2025 – at least 7 March 2025” will be added" in refused
    response = editor.post(url(Meeting, "add"), {**data, "participations-0-fix_tenure": "on"})
    assert response.status_code == 302, response.context and response.context["errors"]
    tenure = Tenure.objects.get(official__slug="rajnath-singh", post__slug="in-defence-secretary")
    assert (tenure.start_date, tenure.end_date) == (dt.date(2025, 3, 5), dt.date(2025, 3, 7))
    assert (tenure.start_exact, tenure.end_exact) == (False, False)
    assert tenure.period == "by 5 March 2025 – at least 7 March 2025"
    assert list(tenure.citations.values_list("source__key", "paragraph")) == [(SOURCE, 2)]
    version = tenure.history.get()
    assert version.history_type == "+"
    assert version.history_change_reason.startswith("Created to cover Rajnath Singh's test talks")
    assert version.history_user.username == "editors"


def test_an_exact_end_is_not_stretched_a_new_tenure_is_offered(editor):
    tenure = _defence_tenure()
    tenure.end_exact = True  # known to have ended that day: a later meeting is another tenure
    tenure.save()
    body = editor.post(url(Meeting, "add"), _meeting("2025-03-05")).content.decode()
    assert "create a tenure for this meeting&#x27;s dates" in body
    response = editor.post(url(Meeting, "add"), _meeting("2025-03-05", tick=True))
    assert response.status_code == 302, response.context and response.context["errors"]
    tenure.refresh_from_db()
    assert tenure.end_date == dt.date(2024, 11, 21)
    new = Tenure.objects.get(
        official__slug="rajnath-singh", post__slug="in-minister-of-defence", start_date="2025-03-05"
    )
    assert new.end_date == dt.date(2025, 3, 5)


def test_a_tick_on_a_meeting_without_citations_is_refused(editor):
    response = editor.post(url(Meeting, "add"), _meeting("2025-03-05", tick=True, cited=False))
    assert response.status_code == 200
    # The meeting itself must cite a source, and so the tenure has nothing to cite.
    assert "Cite at least one source paragraph" in response.content.decode()
    assert not Meeting.objects.filter(slug=SLUG).exists()
    assert _defence_tenure().end_date == dt.date(2024, 11, 21)


def test_the_offer_on_the_participant_s_own_page(editor):
    """On the participant's page the meeting's saved citations are the ones cited."""
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    participation = meeting.participations.get(official__slug="lawrence-wong")
    post = Post.objects.get(slug="sg-prime-minister")
    tenure = Tenure.objects.get(official__slug="lawrence-wong", post=post)
    data = {
        "meeting": meeting.pk,
        "official": participation.official_id,
        "description": "",
        "country": "",
        "role": participation.role,
        "posts": [post.pk],
        "note": participation.note,
    }
    meeting.start_date, meeting.date_precision = dt.date(2025, 9, 10), "day"
    meeting.end_date, meeting.date_extent = None, "single"
    meeting.save()
    change = url(type(participation), "change", participation.pk)
    assert "extend the tenure to cover this meeting" in editor.post(change, data).content.decode()
    response = editor.post(change, {**data, "fix_tenure": "on"})
    assert response.status_code == 302, response.context and response.context["errors"]
    tenure.refresh_from_db()
    assert tenure.end_date == dt.date(2025, 9, 10)
    first = meeting.citations.order_by("source__key", "paragraph").first()
    assert tenure.citations.filter(source=first.source, paragraph=first.paragraph).exists()
    assert tenure.history.latest().history_user.username == "editors"
