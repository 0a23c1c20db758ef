"""Rows entered by mistake are removed on their record's page by whoever may change it;
deleting whole records stays with Reviewers."""

from __future__ import annotations

import pytest

from engagements.models import Agreement, Meeting, Participation
from engagements.permissions import EDITORS, RESEARCHERS, REVIEWERS
from tests.helpers import url

from .test_admin import form_data

pytestmark = pytest.mark.django_db

SLUG = "2025-09-lawrence-wong-visit-to-india"


def inline_rows(page) -> dict[str, list]:
    """Each inline formset's prefix and the saved rows it shows."""
    return {
        inline.formset.prefix: [form.instance for form in inline.formset.initial_forms]
        for inline in page.context["inline_admin_formsets"]
    }


def remove_first_row(client, record, prefix: str):
    """Post the record's change form with the first row of inline ``prefix`` ticked *Delete*."""
    change_url = url(type(record), "change", record.pk)
    page = client.get(change_url)
    row = inline_rows(page)[prefix][0]
    data = form_data(page)
    data[f"{prefix}-0-DELETE"] = "on"
    return client.post(change_url, data), row


def test_an_editor_removes_a_participant_through_the_meeting_form(login):
    editor = login(EDITORS)
    meeting = Meeting.objects.get(slug=SLUG)
    page = editor.get(url(Meeting, "change", meeting.pk))
    assert 'name="participations-0-DELETE"' in page.content.decode()
    response, participation = remove_first_row(editor, meeting, "participations")
    assert response.status_code == 302, response.context and response.context["errors"]
    assert not Participation.objects.filter(pk=participation.pk).exists()
    removed = Participation.history.filter(id=participation.pk).latest()
    assert (removed.history_type, removed.history_user.username) == ("-", "editors")


def test_an_editor_removes_every_kind_of_row_on_a_meeting(login):
    """Citations, agreement links, outcomes and marks as well as participants."""
    editor = login(EDITORS)
    meeting = Meeting.objects.filter(agreement_links__isnull=False, outcomes__isnull=False)
    meeting = meeting.filter(citations__isnull=False).distinct().first()
    assert meeting is not None
    rows_before = inline_rows(editor.get(url(Meeting, "change", meeting.pk)))
    prefixes = [p for p, rows in rows_before.items() if rows]
    assert len(prefixes) >= 4, prefixes
    for prefix in prefixes:
        response, row = remove_first_row(editor, meeting, prefix)
        if prefix == "citations" and len(rows_before[prefix]) == 1:
            # Its only citation: a meeting must cite a source, so the removal is refused.
            assert "Cite at least one source paragraph" in response.content.decode()
            continue
        assert response.status_code == 302, (
            prefix,
            response.context and response.context["errors"],
        )
        assert not type(row).objects.filter(pk=row.pk).exists(), prefix


def test_an_editor_removes_an_alias_of_an_agreement(login):
    editor = login(EDITORS)
    agreement = Agreement.objects.exclude(aliases=None).first()
    response, alias = remove_first_row(editor, agreement, "aliases")
    assert response.status_code == 302
    assert not agreement.aliases.filter(pk=alias.pk).exists()


def test_an_editor_still_cannot_delete_a_meeting_or_a_row_on_its_own_page(login):
    editor = login(EDITORS)
    meeting = Meeting.objects.get(slug=SLUG)
    participation = meeting.participations.first()
    assert editor.get(url(Meeting, "delete", meeting.pk)).status_code == 403
    assert editor.post(url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code == 403
    assert (
        editor.post(url(Participation, "delete", participation.pk), {"post": "yes"}).status_code
        == 403
    )
    changelist = editor.post(
        url(Meeting, "changelist"),
        {"action": "delete_selected", "_selected_action": [meeting.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert Participation.objects.filter(pk=participation.pk).exists()


def test_a_researcher_removes_nothing_and_a_reviewer_still_deletes(login, client):
    meeting = Meeting.objects.get(slug=SLUG)
    researcher = login(RESEARCHERS)
    page = researcher.get(url(Meeting, "change", meeting.pk))
    assert "-DELETE" not in page.content.decode()
    count = meeting.participations.count()
    data = form_data(page)
    data["participations-0-DELETE"] = "on"
    assert researcher.post(url(Meeting, "change", meeting.pk), data).status_code == 403
    assert meeting.participations.count() == count
    client.logout()
    reviewer = login(REVIEWERS)
    assert reviewer.post(url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
