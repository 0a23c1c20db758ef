"""*Confirm import* writes the rows its preview checked (``resources.kept``) instead of importing
the file again: the same rows, links, citations, history and log entries; a change since the
preview is still refused on its row and column with nothing written; a kept file that is
missing, altered or out of date falls back to importing the file again."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.db import connection

from engagements.models import Meeting, MeetingCitation
from tests.csv.test_admin_import import confirm, snapshot
from tests.csv.test_bulk_import import CITED, HEADER, meeting_lines
from tests.helpers import upload, url

pytestmark = pytest.mark.django_db


def meetings_file(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def kept_files(directory) -> list:
    return sorted(directory.glob("upload-*.kept")) if directory.is_dir() else []


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("kept", ["kept", "missing", "altered"])
def test_confirm_writes_what_the_preview_checked(editor, uploads_dir, kept):
    preview = upload(editor, Meeting, meetings_file(*meeting_lines(5)), name="talks.csv")
    assert preview.context["totals"]["new"] == 5
    (path,) = kept_files(uploads_dir)
    if kept == "missing":
        path.unlink()
    elif kept == "altered":  # a changed byte: the signature no longer matches, it is not read
        data = bytearray(path.read_bytes())
        data[-10] ^= 0xFF
        path.write_bytes(bytes(data))
    response = confirm(editor, Meeting, preview)
    assert response.status_code == 302 and response["Location"] == url(Meeting, "changelist")
    assert any("Import finished: 5 new, 0 updated" in m for m in said(response))
    assert kept_files(uploads_dir) == [] and list(uploads_dir.glob("upload-*.csv")) == []
    imported = Meeting.objects.filter(slug__startswith="bulk-")
    assert imported.count() == 5
    user = preview.wsgi_request.user
    for meeting in imported:
        assert sorted(meeting.countries.values_list("iso2", flat=True)) == ["IN", "SG"]
        (version,) = meeting.history.all()
        assert (version.history_type, version.history_user) == ("+", user)
        assert version.history_change_reason == "CSV import of talks.csv"
        assert sorted(c.country.iso2 for c in version.countries.all()) == ["IN", "SG"]
        (citation,) = meeting.citations.all()
        (cited,) = MeetingCitation.history.filter(id=citation.pk)
        assert (cited.history_type, cited.history_user) == ("+", user)
    logged = LogEntry.objects.filter(action_flag=ADDITION, user=user)
    assert sorted((int(e.object_id), e.object_repr) for e in logged) == sorted(
        (m.pk, str(m)) for m in imported
    )
    assert {(e.change_message, e.content_type.model) for e in logged} == {
        ("new through import_export", "meeting")
    }


def test_confirm_writes_the_updates_the_preview_checked(editor, uploads_dir):
    confirm(editor, Meeting, upload(editor, Meeting, meetings_file(*meeting_lines(2))))
    changed = meeting_lines(2)[1].replace("Bulk talks 1", "Bulk talks renamed")
    preview = upload(editor, Meeting, meetings_file(meeting_lines(2)[0], changed))
    assert preview.context["totals"]["update"] == 1 and preview.context["totals"]["skip"] == 1
    assert len(kept_files(uploads_dir)) == 1
    response = confirm(editor, Meeting, preview)
    assert any("Import finished: 0 new, 1 updated" in m for m in said(response))
    meeting = Meeting.objects.get(slug="bulk-00001")
    assert meeting.title == "Bulk talks renamed"
    assert [v.history_type for v in meeting.history.order_by("history_id")] == ["+", "~"]
    assert LogEntry.objects.filter(action_flag=CHANGE, object_id=str(meeting.pk)).count() == 1


def test_a_file_naming_its_own_new_rows_is_imported_again_on_confirm(editor, uploads_dir):
    child = f"bulk-child,Sideline talks,bilateral,held,2025-03,Delhi,IN,IN; SG,,,bulk-00000,{CITED}"
    preview = upload(editor, Meeting, meetings_file(*meeting_lines(1), child))
    assert "confirm_form" in preview.context
    assert kept_files(uploads_dir) == []  # the child names its parent by the preview's id
    assert confirm(editor, Meeting, preview).status_code == 302
    assert Meeting.objects.get(slug="bulk-child").parent.slug == "bulk-00000"


def session(slug: str) -> str:
    return (
        f"{slug},A session,mechanism,held,2025-01,London,GB,IN; GB,"
        f"india-uk-defence-consultative-group,90,,{CITED}"
    )


def assert_refused(response, before, where: str):
    assert response["Location"] == url(Meeting, "import")
    messages = said(response)
    assert any(where in m for m in messages), messages
    assert any("Nothing was imported" in m for m in messages)
    assert snapshot() == before


def test_a_session_imported_since_the_preview_is_refused_on_its_row(editor, uploads_dir):
    preview = upload(editor, Meeting, meetings_file(*meeting_lines(2), session("bulk-a")))
    assert "confirm_form" in preview.context and kept_files(uploads_dir)
    # Meanwhile someone else imports the same session of the mechanism.
    other = upload(editor, Meeting, meetings_file(session("bulk-b")))
    assert confirm(editor, Meeting, other)["Location"] == url(Meeting, "changelist")
    before = snapshot()
    response = confirm(editor, Meeting, preview)
    assert_refused(response, before, "Line 4, column 'edition' (value '90')")
    assert any("already has a session with this edition" in m for m in said(response))


def test_a_change_the_preview_cannot_see_is_refused_by_the_database(editor, uploads_dir):
    """Written past the site (no new id, no history): the kept rows are written, and the
    database's unique constraint refuses the row, named on its line and column."""
    preview = upload(editor, Meeting, meetings_file(*meeting_lines(3)))
    assert kept_files(uploads_dir)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Meeting._meta.db_table} SET slug = %s WHERE slug = %s",
            ["bulk-00001", "2025-09-lawrence-wong-visit-to-india"],
        )
    before = snapshot()
    response = confirm(editor, Meeting, preview)
    assert_refused(response, before, "Line 3, column 'slug' (value 'bulk-00001')")
