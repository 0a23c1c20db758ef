"""One .xlsx workbook carries meetings with their participants and citations: imported in
dependency order, all sheets or none, problems named by sheet, row, column and value."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from engagements.models import Meeting, MeetingCitation, Participation, Source
from engagements.permissions import REVIEWERS

pytestmark = pytest.mark.django_db

SLUG = "2026-06-02-workbook-talks"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(participant: str = "Rajnath Singh", **extra_sheets) -> bytes:
    """Participants and citations first, meetings last: the import puts them in order."""
    source = Source.objects.order_by("key").first()
    sheets = {
        "participation": [
            ["meeting", "official", "description", "country", "role"],
            [SLUG, participant, None, None, "head"],
            [SLUG, None, "Officials of the host ministry", "SG", "delegate"],
        ],
        "meetingcitation": [["meeting", "source", "paragraph"], [SLUG, source.key, 1]],
        "Meeting": [
            ["slug", "title", "kind", "status", "dates", "country", "countries"],
            [SLUG, "Workbook talks", "bilateral", "held", "2026-06-02", "ROK", "IN; ROK"],
        ],
        **extra_sheets,
    }
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def written() -> tuple[int, int, int]:
    return (
        Meeting.objects.filter(slug=SLUG).count(),
        Participation.objects.filter(meeting__slug=SLUG).count(),
        MeetingCitation.objects.filter(meeting__slug=SLUG).count(),
    )


PAGE = reverse("admin:engagements_meeting_import_workbook")


def upload(client, data: bytes):
    return client.post(PAGE, {"workbook": SimpleUploadedFile("book.xlsx", data, XLSX)})


def test_an_editor_imports_meetings_with_participants_and_citations(editor):
    changelist = editor.get(reverse("admin:engagements_meeting_changelist")).content.decode()
    assert f'href="{PAGE}"' in changelist
    preview = upload(editor, workbook())
    assert preview.status_code == 200 and preview.context["problems"] == []
    sheets = {sheet["name"]: sheet for sheet in preview.context["sheets"]}
    assert list(sheets) == ["meeting", "participation", "meetingcitation"]
    assert {name: s["totals"]["new"] for name, s in sheets.items()} == {
        "meeting": 1,
        "participation": 2,
        "meetingcitation": 1,
    }
    (meeting_row,) = sheets["meeting"]["preview_rows"]
    country = {c.column: c for c in meeting_row["cells"]}["country"]
    assert (country.value, country.raw, country.changed) == ("KR", "ROK", True)
    html = preview.content.decode()
    assert "Sheet “participation”" in html and "Importing 4 rows… this may take a minute." in html
    assert written() == (0, 0, 0)  # the preview writes nothing
    form = preview.context["confirm_form"]
    done = editor.post(PAGE, {name: form[name].value() for name in form.fields})
    assert done.status_code == 302
    assert written() == (1, 2, 1)
    meeting = Meeting.objects.get(slug=SLUG)
    assert meeting.country.iso2 == "KR"
    assert meeting.history.get().history_change_reason == "CSV import of book.xlsx, sheet meeting"


def test_a_bad_participant_rolls_back_the_meetings_and_is_named(editor):
    preview = upload(editor, workbook(participant="Nobody Atall"))
    assert "confirm_form" not in preview.context
    (problem,) = preview.context["problems"]
    assert (problem.sheet, problem.line, problem.column, problem.value) == (
        "participation",
        2,
        "official",
        "Nobody Atall",
    )
    assert str(problem).startswith("Sheet 'participation', row 2, column 'official'")
    assert preview.context["unchecked"] == ["meetingcitation"]
    html = preview.content.decode()
    assert "Nothing can be imported yet" in html and "Nobody Atall" in html
    assert written() == (0, 0, 0)


def test_a_new_meeting_its_citations_sheet_leaves_out_is_refused(editor):
    book = workbook()
    # The same workbook without its citations sheet: the meeting would cite nothing.
    loaded = load_workbook(io.BytesIO(book))
    loaded.remove(loaded["meetingcitation"])
    out = io.BytesIO()
    loaded.save(out)
    preview = upload(editor, out.getvalue())
    assert "confirm_form" not in preview.context
    (problem,) = preview.context["problems"]
    assert (problem.sheet, problem.value) == ("meeting", SLUG)
    assert "cites no source" in problem.message and "'meetingcitation'" in problem.message
    assert written() == (0, 0, 0)


def test_a_meeting_sheet_may_carry_its_citations_in_its_citations_column(editor):
    loaded = load_workbook(io.BytesIO(workbook()))
    loaded.remove(loaded["meetingcitation"])
    sheet = loaded["Meeting"]
    key = Source.objects.order_by("key").first().key
    sheet.cell(row=1, column=8, value="citations")
    sheet.cell(row=2, column=8, value=f"{key} ¶ 1-2")
    out = io.BytesIO()
    loaded.save(out)
    preview = upload(editor, out.getvalue())
    assert preview.context["problems"] == []
    form = preview.context["confirm_form"]
    assert editor.post(PAGE, {name: form[name].value() for name in form.fields}).status_code == 302
    cited = MeetingCitation.objects.filter(meeting__slug=SLUG)
    assert sorted(cited.values_list("source__key", "paragraph")) == [(key, 1), (key, 2)]


def test_a_sheet_named_after_no_table_is_refused(editor):
    response = upload(editor, workbook(notes=[["a"], ["b"]]))
    (error,) = response.context["form"].errors["workbook"]
    assert "Sheet 'notes': no table has that name" in error
    response = upload(editor, b"not a zip file")
    assert "not an Excel workbook" in response.context["form"].errors["workbook"][0]


def test_a_reviewer_may_not_import_a_workbook(login):
    client = login(REVIEWERS)
    assert client.get(PAGE).status_code == 403
    assert upload(client, workbook()).status_code == 403
    assert written() == (0, 0, 0)


def run(tmp_path, data: bytes, *args) -> tuple[str, str]:
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_workbook", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_workbook_all_or_nothing(tmp_path):
    with pytest.raises(CommandError, match="nothing was imported, in any sheet"):
        run(tmp_path, workbook(participant="Nobody Atall"))
    assert written() == (0, 0, 0)
    out, _ = run(tmp_path, workbook(), "--dry-run")
    assert "book.xlsx, sheet participation: 2 rows — 2 new" in out and "Dry run" in out
    assert written() == (0, 0, 0)
    out, err = run(tmp_path, workbook(), "--progress-every", "1")
    assert "Imported." in out and "participation: 2 of 2 rows read…" in err
    assert written() == (1, 2, 1)
