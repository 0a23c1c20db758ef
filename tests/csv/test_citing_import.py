"""A CSV import of new meetings (agreements, initiatives, outcomes, tenures) cites a source.

A new record gives its sources in the import-only ``citations`` column (``KEY ¶ 2, 17–26``),
written with the row; a file with a new record citing nothing is refused whole, naming the
line and the record, unless the importer says the citations follow in a separate file (the
admin's tick box, ``import_csv --citations-follow``), which imports with a warning.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from engagements.citing import CITED
from engagements.columns import RECORDS
from engagements.columns.base import Citations
from engagements.models import Meeting, MeetingCitation, Official, Post, Source, Tenure
from engagements.resources import MeetingResource
from engagements.resources.files import DefrelCSV
from tests.helpers import upload, url

pytestmark = pytest.mark.django_db

KEY = "002_e5b3391f3894ea28"  # 26 paragraphs
SLUG = "2026-05-cited-talks"
HEADER = "slug,title,kind,status,dates,country,countries"
ROW = f"{SLUG},Cited talks,bilateral,held,2026-05-04,IN,IN; SG"


def csv(*rows: str, citations: list[str] | None = None) -> str:
    if citations is None:
        return "\n".join([HEADER, *rows]) + "\n"
    cells = [f'{row},"{cell}"' for row, cell in zip(rows, citations, strict=True)]
    return "\n".join([f"{HEADER},citations", *cells]) + "\n"


def snapshot() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in apps.get_app_config("engagements").get_models()}


def confirmation(preview, **changes) -> dict:
    form = preview.context["confirm_form"]
    return {**{name: form[name].value() for name in form.fields}, **changes}


def run(tmp_path, model: str, content: str, *args) -> tuple[str, str]:
    path = tmp_path / "upload.csv"
    path.write_text(content, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_csv", model, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refusal_lines(tmp_path, model: str, content: str) -> list[str]:
    """The problem lines ``import_csv`` prints for a file it refuses."""
    before = snapshot()
    path = tmp_path / "upload.csv"
    path.write_text(content, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_csv", model, str(path), stdout=io.StringIO(), stderr=err)
    assert snapshot() == before
    return err.getvalue().splitlines()


# --- the admin ------------------------------------------------------------------------------


def test_the_admin_refuses_a_new_meeting_that_cites_nothing(editor):
    before = snapshot()
    preview = upload(editor, Meeting, csv(ROW))
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    (problem,) = preview.context["problems"]
    assert problem.line == 2 and problem.column == ""
    assert f"This new meeting {SLUG} cites no source" in problem.message
    assert "Citations follow in a separate file" in problem.message
    html = preview.content.decode()
    assert "Nothing can be imported yet" in html and SLUG in html
    # An empty citations cell is the same refusal, in that column.
    preview = upload(editor, Meeting, csv(ROW, citations=[""]))
    (problem,) = preview.context["problems"]
    assert (problem.line, problem.column) == (2, "citations")
    assert snapshot() == before


def test_the_admin_writes_the_citations_a_cell_gives_with_the_meeting(editor):
    preview = upload(editor, Meeting, csv(ROW, citations=[f"{KEY} # 17-26, 2"]))
    assert not preview.context["problems"], preview.context["problems"]
    assert not preview.context["warnings"]
    (row,) = preview.context["preview_rows"]
    cell = next(c for c in row["cells"] if c.column == "citations")
    assert cell.value == f"{KEY} ¶ 2, 17–26"  # as it will be written
    assert not Meeting.objects.filter(slug=SLUG).exists()  # a preview writes nothing
    response = editor.post(url(Meeting, "process_import"), confirmation(preview))
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug=SLUG)
    cited = MeetingCitation.objects.filter(meeting=meeting)
    assert sorted(cited.values_list("source__key", "paragraph")) == [
        (KEY, n) for n in [2, *range(17, 27)]
    ]
    # Each citation row has its first version, by the importer, for the import.
    versions = MeetingCitation.history.filter(meeting_id=meeting.pk)
    assert versions.count() == 11
    assert {(v.history_type, v.history_user.username) for v in versions} == {("+", "editor")}
    assert {v.history_change_reason for v in versions} == {"CSV import of upload.csv"}


def test_the_admin_imports_uncited_meetings_when_their_citations_follow(editor):
    content = csv(ROW)
    page = editor.get(url(Meeting, "import"))
    assert "Citations follow in a separate citations file" in page.content.decode()
    preview = editor.post(
        url(Meeting, "import"),
        {"format": "0", "citations_follow": "on", "import_file": upload_file(content)},
    )
    assert not preview.context["problems"]
    warning = "1 new meeting cites no source yet: import their citations (meeting citations"
    assert warning in preview.content.decode()
    # The confirmation carries the tick: a confirmation without it is refused, unwritten.
    response = editor.post(
        url(Meeting, "process_import"), confirmation(preview, citations_follow="False")
    )
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"This new meeting {SLUG} cites no source" in m for m in said), said
    assert not Meeting.objects.filter(slug=SLUG).exists()
    preview = editor.post(
        url(Meeting, "import"),
        {"format": "0", "citations_follow": "on", "import_file": upload_file(content)},
    )
    response = editor.post(url(Meeting, "process_import"), confirmation(preview))
    assert response.status_code == 302
    assert any(warning in str(m) for m in get_messages(response.wsgi_request))
    assert Meeting.objects.filter(slug=SLUG, citations__isnull=True).exists()


def upload_file(content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("upload.csv", content.encode(), "text/csv")


def test_records_that_need_no_citation_have_no_tick_box(editor):
    page = editor.get(url(Official, "import"))
    assert page.status_code == 200
    assert "citations_follow" not in page.context["form"].fields


# --- the command ----------------------------------------------------------------------------


def test_the_command_refuses_an_uncited_new_meeting_unless_told_citations_follow(tmp_path):
    lines = refusal_lines(tmp_path, "meeting", csv(ROW))
    assert len(lines) == 1 and lines[0].startswith("Line 2: "), lines
    assert f"This new meeting {SLUG} cites no source" in lines[0]
    assert "import_csv --citations-follow" in lines[0]
    out, _ = run(tmp_path, "meeting", csv(ROW), "--citations-follow")
    assert "Warning: 1 new meeting cites no source yet" in out and "Imported." in out
    assert Meeting.objects.filter(slug=SLUG, citations__isnull=True).exists()


def test_the_command_writes_a_cited_tenure_in_one_go(tmp_path):
    official = Official.objects.get(slug="rajnath-singh")
    post = Post.objects.filter(country=official.country).exclude(tenures__official=official)[0]
    header = "official,post,start,end"
    row = f"{official.slug},{post.slug},2031-01-01,2031-06-30"
    (line,) = refusal_lines(tmp_path, "tenure", f"{header}\n{row}\n")
    assert f"This new tenure {official.slug}/{post.slug}/2031-01-01 cites no source" in line
    out, _ = run(tmp_path, "tenure", f'{header},citations\n{row},"{KEY} ¶ 3; {KEY} ¶ 5"\n')
    assert "1 new" in out and "Warning" not in out
    tenure = Tenure.objects.get(official=official, post=post)
    assert sorted(tenure.citations.values_list("paragraph", flat=True)) == [3, 5]


def test_a_bad_citations_cell_is_named_by_line_column_and_value(tmp_path):
    other = Source.objects.exclude(key=KEY).filter(paragraph_count__isnull=False).first()
    rows = [
        ROW,
        ROW.replace(SLUG, "2026-05-second-talks"),
        ROW.replace(SLUG, "2026-05-third-talks"),
        ROW.replace(SLUG, "2026-05-fourth-talks"),
    ]
    cells = [
        f"{KEY} ¶ 2",
        f"unknown-source ¶ 2; {KEY} ¶ 25–27",
        f"{KEY} 4",
        f"{other.key} ¶ {other.paragraph_count + 1}",
    ]
    lines = refusal_lines(tmp_path, "meeting", csv(*rows, citations=cells))
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"Line 3, column 'citations' (value 'unknown-source ¶ 2; {KEY}")
    assert "No source has the key 'unknown-source'." in lines[0]
    assert f"Paragraph 27 does not exist: the source {KEY} has 26 paragraphs." in lines[0]
    assert lines[1].startswith(f"Line 4, column 'citations' (value '{KEY} 4'): ")
    assert "is not a source with its paragraphs" in lines[1]
    assert lines[2].startswith("Line 5, column 'citations'")
    assert f"does not exist: the source {other.key} has {other.paragraph_count}" in lines[2]


def test_an_existing_record_needs_no_citations_cell_and_may_gain_citations(tmp_path):
    meeting = Meeting.objects.exclude(citations__source__key=KEY).order_by("slug").first()
    exported = DefrelCSV().export_data(
        MeetingResource().export(Meeting.objects.filter(pk=meeting.pk))
    )
    assert "citations" not in exported.splitlines()[0].split(",")  # import only
    changed = exported.replace(meeting.title, "A retitled meeting", 1)
    out, _ = run(tmp_path, "meeting", changed)
    assert "1 updated" in out and "Warning" not in out
    meeting.refresh_from_db()
    assert meeting.title == "A retitled meeting"
    # The same row with a citations cell adds those citations; again, it changes nothing.
    header, row = changed.lstrip("\ufeff").splitlines()[:2]
    cited = f'{header},citations\n{row},"{KEY} ¶ 4-5"\n'
    kept = set(meeting.citations.values_list("source__key", "paragraph"))
    out, _ = run(tmp_path, "meeting", cited)
    assert "1 updated" in out
    now = set(meeting.citations.values_list("source__key", "paragraph"))
    assert now == kept | {(KEY, 4), (KEY, 5)}
    out, _ = run(tmp_path, "meeting", cited)
    assert "1 unchanged" in out


# --- one rule -------------------------------------------------------------------------------


def test_the_records_that_must_cite_are_those_with_a_citations_column():
    with_column = {
        record.model
        for record in RECORDS.values()
        if any(isinstance(column.kind, Citations) for column in record.columns)
    }
    assert with_column == set(CITED)
