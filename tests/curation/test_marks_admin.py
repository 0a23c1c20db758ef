"""Staff mark values in the admin: an inline on each marked record, a column picked from the
record's own columns, and the history of every mark."""

from __future__ import annotations

import pytest

from engagements.models import Meeting, MeetingMark, Post
from engagements.permissions import EDITORS
from tests.helpers import url

from .test_admin import form_data

pytestmark = pytest.mark.django_db


def test_an_editor_marks_a_meeting_value_as_inferred(login):
    client = login(EDITORS)
    meeting = Meeting.objects.get(slug="admm-plus-11")
    page = client.get(url(Meeting, "change", meeting.pk))
    html = page.content.decode()
    assert "marks: values inferred or taken from reference knowledge" in html.lower()
    assert '<option value="countries">Countries (countries)</option>' in html
    data = form_data(page)
    data["marks-TOTAL_FORMS"] = "1"
    data |= {
        "marks-0-column": "city",
        "marks-0-basis": "inferred",
        "marks-0-note": "Vientiane is read from the dateline of the Austin talks.",
    }
    response = client.post(url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    mark = meeting.marks.get(column="city")
    assert mark.history.get().history_user.username == "editors"


def test_a_mark_without_a_reason_is_refused_on_the_form(login):
    client = login(EDITORS)
    post = Post.objects.get(slug="nz-minister-of-defence")
    page = client.get(url(Post, "change", post.pk))
    data = form_data(page)
    data["marks-TOTAL_FORMS"] = str(int(data["marks-TOTAL_FORMS"]) + 1)
    n = int(data["marks-TOTAL_FORMS"]) - 1
    data |= {f"marks-{n}-column": "organisation", f"marks-{n}-basis": "reference"}
    response = client.post(url(Post, "change", post.pk), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not post.marks.filter(column="organisation").exists()


def test_every_mark_kind_has_a_change_list(login):
    client = login(EDITORS)
    response = client.get(url(MeetingMark, "changelist"), {"basis": "reference"})
    assert response.status_code == 200
    assert (
        "2024-09-21-quad-summit" in response.content.decode() or "Quad" in response.content.decode()
    )
