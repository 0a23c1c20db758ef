"""CSV import from the command line and the admin: bad input is named and nothing is written.

Each bad file is tried through ``manage.py import_csv`` (which must fail and print the line,
column and value) and the database must be exactly as before. The admin flow is tested
end to end: upload, preview counts, confirm; a bad row is shown and fixed.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from engagements.models import Meeting, MeetingCitation, Participation

pytestmark = pytest.mark.django_db

MEETING_HEADER = "slug,title,kind,status,dates,country,countries"
GOOD = "2026-05-good-talks,Good talks,bilateral,held,2026-05-04,IN,IN; SG"
#: A new meeting's sources (paragraph 1 of a seeded source), in its ``citations`` column.
CITE = "002_e5b3391f3894ea28 ¶ 1"
CITED_HEADER = f"{MEETING_HEADER},citations"
CITED_GOOD = f"{GOOD},{CITE}"


def snapshot() -> dict[str, int]:
    """Row counts of every table of the app, history included."""
    return {m.__name__: m.objects.count() for m in apps.get_app_config("engagements").get_models()}


def run(tmp_path, model: str, content: bytes | str, *args) -> tuple[str, str]:
    path = tmp_path / "upload.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_csv", model, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(tmp_path, model, content, *expected: str) -> str:
    """The import fails, says every ``expected`` text, and leaves the database untouched."""
    before = snapshot()
    path = tmp_path / "upload.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    err = io.StringIO()  # the problems, one per line; the error itself sums them up
    with pytest.raises(CommandError) as failure:
        call_command("import_csv", model, str(path), stdout=io.StringIO(), stderr=err)
    text = f"{failure.value}\n{err.getvalue()}"
    for part in expected:
        assert part in text, text
    assert snapshot() == before
    return text


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


# --- the bad inputs of the issue, one by one ---------------------------------------------


def test_wrong_header(tmp_path):
    fails(
        tmp_path,
        "meeting",
        lines("slug,titel,kind,status,dates", "x-talks,Talks,bilateral,held,2026"),
        "column 'titel'",
        "Unknown column",
        "Missing required column(s): title",
    )


def test_missing_header_line(tmp_path):
    # The first data row is taken as the header: its cells are not column names.
    fails(
        tmp_path,
        "meeting",
        lines(GOOD, GOOD.replace("good", "other")),
        "Line 1, column '2026-05-good-talks': Unknown column",
        "Missing required column(s): slug, title, kind",
    )


def test_unknown_country(tmp_path):
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER, GOOD, "2026-05-bad,Bad,bilateral,held,2026-05-06,IN,IN; Narnia"),
        "Line 3, column 'countries' (value 'IN; Narnia'): No country has the code, name or "
        "alias 'Narnia'.",
    )


def test_unknown_official(tmp_path):
    fails(
        tmp_path,
        "participation",
        lines(
            "meeting,official,role",
            "2025-09-lawrence-wong-visit-to-india,Rajnath Singh,participant",
            "2025-09-lawrence-wong-visit-to-india,Nobody Atall,participant",
        ),
        "Line 3, column 'official' (value 'Nobody Atall'): No official has the slug, name "
        "or alias 'Nobody Atall'.",
    )


@pytest.mark.parametrize(
    ("dates", "reason"),
    [
        (
            "21/11/2024",
            "'21/11/2024' is not a date we read: it looks like a day, month and year. "
            "Write dates as YYYY-MM-DD (ISO): 2024-11-21.",
        ),
        (
            "05/01/2026",
            "'05/01/2026' is not a date we read: it looks like a day, month and year. Write "
            "dates as YYYY-MM-DD (ISO): 2026-01-05 if it means 5 January 2026 or 2026-05-01 if "
            "it means 1 May 2026.",
        ),
        ("March 2026", "'March 2026' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2024-11/2024-13", "'2024-11/2024-13': '2024-13' is not a real date"),
        ("2024-02-30", "is not a real date (day is out of range for month)"),
        ("2024-13", "is not a real date (month must be in 1..12)"),
        ("2024-11-21/2024-11-19", "the end date is before the start date"),
        ("2024-11/2024-12-02", "both ends of a span need the same precision"),
        ("2023-07-10/", "write START/.. when only the start is reported, as in 2023-07-10/.."),
        ("[2019-09-02..]", "one day within a span needs both ends, as in [2019-09-02..2019-09-06]"),
        ("2023-07-10 onwards", "an open end START/.. (2023-07-10/..), one day within a span"),
    ],
)
def test_malformed_impossible_and_backwards_dates(tmp_path, dates, reason):
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER, f"2026-bad-dates,Talks,bilateral,held,{dates},IN,IN"),
        f"Line 2, column 'dates' (value '{dates}')",
        reason,
    )


def test_end_before_start_in_a_tenure(tmp_path):
    fails(
        tmp_path,
        "tenure",
        lines("official,post,start,end", "rajnath-singh,in-minister-of-defence,2030-05-01,2030-04"),
        "Line 2",
        "The end date is before the start date.",
    )


def test_duplicate_rows_inside_the_file(tmp_path):
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER, GOOD, "2026-05-other,Other,call,held,2026,IN,IN", GOOD),
        "Line 4",
        "Duplicate of line 2",
    )


def test_empty_file(tmp_path):
    fails(tmp_path, "meeting", b"", "The file is empty")
    fails(tmp_path, "meeting", b"\n\n  \n", "The file is empty")


def test_header_without_rows_imports_nothing(tmp_path):
    before = snapshot()
    out, _ = run(tmp_path, "meeting", lines(MEETING_HEADER))
    assert "0 rows" in out
    assert snapshot() == before


def test_non_utf8_file(tmp_path):
    content = lines(MEETING_HEADER, "2026-x,Réunion,bilateral,held,2026,IN,IN").encode("latin-1")
    fails(tmp_path, "meeting", content, "not UTF-8 text (byte 0xe9 on line 2)", "CSV UTF-8")


def test_utf8_file_with_bom_is_read(tmp_path):
    content = "\ufeff" + lines(CITED_HEADER, CITED_GOOD.replace("Good talks", "Réunion"))
    out, _ = run(tmp_path, "meeting", content.encode("utf-8"))
    assert "1 new" in out
    assert Meeting.objects.get(slug="2026-05-good-talks").title == "Réunion"


def test_semicolon_delimited_file(tmp_path):
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER.replace(",", ";"), GOOD.replace(",", ";")),
        "semicolon-delimited",
        "comma-delimited",
    )


def test_extra_columns(tmp_path):
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER + ",notes", GOOD + ",a note"),
        "Line 1, column 'notes': Unknown column",
    )


def test_row_with_too_many_cells(tmp_path):
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER, GOOD + ",stray"),
        "Line 2 has 8 cells but the header has 7 columns",
    )


def test_huge_cell(tmp_path):
    huge = "x" * 30_000
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER, f"2026-huge,{huge},bilateral,held,2026,IN,IN"),
        "Line 2, column 'title': the cell has 30,000 characters",
    )


def test_too_long_for_the_field(tmp_path):
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER, f"2026-long,{'t' * 301},bilateral,held,2026,IN,IN"),
        "Line 2, column 'title'",
        "at most 300 characters",
    )


def test_database_rules_are_reported_in_words(tmp_path):
    # A CHECK constraint: an edition number needs a mechanism or a grouping.
    fails(
        tmp_path,
        "meeting",
        lines(CITED_HEADER + ",edition", CITED_GOOD + ",3"),
        "Line 2, column 'edition' (value '3'): An edition number needs a mechanism or a grouping.",
    )
    # A unique constraint: one session per mechanism edition.
    session = Meeting.objects.filter(mechanism__isnull=False, edition__isnull=False).first()
    fails(
        tmp_path,
        "meeting",
        lines(
            CITED_HEADER + ",mechanism,edition",
            CITED_GOOD + f",{session.mechanism.slug},{session.edition}",
        ),
        f"Line 2, column 'edition' (value '{session.edition}'): This mechanism already has a "
        "session with this edition.",
    )


def test_one_bad_row_among_good_ones_writes_nothing(tmp_path):
    rows = [f"2026-ok-{i},Talks {i},bilateral,held,2026-05-{i + 1:02d},IN,IN" for i in range(10)]
    rows.append("2026-bad,Talks,sideways,held,2026,IN,IN")
    fails(
        tmp_path,
        "meeting",
        lines(MEETING_HEADER, *rows),
        "Line 12, column 'kind' (value 'sideways'): Value 'sideways' is not a valid choice.",
        "nothing was imported",
    )
    assert not Meeting.objects.filter(slug__startswith="2026-ok-").exists()


# --- the command's happy paths -------------------------------------------------------------


def test_dry_run_counts_and_writes_nothing_then_import_records_the_user(
    tmp_path, django_user_model
):
    django_user_model.objects.create_user("clerk")
    # A new meeting with its citation; an existing one needs none (its cell is empty).
    content = lines(
        CITED_HEADER, CITED_GOOD, "2025-09-lawrence-wong-visit-to-india,x,visit,held,2025,IN,IN,"
    )
    before = snapshot()
    out, _ = run(tmp_path, "meeting", content, "--dry-run")
    assert "2 rows — 1 new, 1 updated, 0 unchanged, 0 invalid." in out
    assert "Dry run" in out
    assert snapshot() == before
    out, _ = run(tmp_path, "meeting", content, "--user", "clerk")
    assert "Imported." in out
    meeting = Meeting.objects.get(slug="2026-05-good-talks")
    assert meeting.history.latest().history_user.username == "clerk"
    assert meeting.history.latest().history_change_reason == "CSV import of upload.csv"


def test_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No user is called 'ghost'"):
        run(tmp_path, "meeting", lines(MEETING_HEADER, GOOD), "--user", "ghost")


def test_export_command_round_trip(tmp_path):
    path = tmp_path / "participations.csv"
    call_command("export_csv", "participation", "-o", str(path), stdout=io.StringIO())
    assert path.read_bytes().startswith(b"\xef\xbb\xbfmeeting,official,official_country")
    out, _ = run(tmp_path, "participation", path.read_bytes(), "--dry-run")
    count = Participation.objects.count()
    assert f"{count} rows — 0 new, 0 updated, {count} unchanged, 0 invalid." in out


# --- the admin flow -------------------------------------------------------------------------


def upload(client, content: str | bytes, name="meetings.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("admin:engagements_meeting_import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, data, "text/csv")},
    )


def fifty_meetings(bad_line: int | None = None) -> str:
    rows = []
    for i in range(50):
        dates = "2027-13-01" if bad_line == i + 2 else f"2027-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        rows.append(
            f"2027-batch-{i},Batch meeting {i},bilateral,held,{dates},IN,IN; Singapore,{CITE}"
        )
    return lines(CITED_HEADER, *rows)


def test_admin_import_previews_fifty_meetings_then_confirms(editor):
    before = snapshot()
    preview = upload(editor, fifty_meetings())
    assert preview.status_code == 200
    context = preview.context
    assert context["totals"]["new"] == 50 and context["total_rows"] == 50
    assert len(context["preview_rows"]) == 50
    assert context["preview_rows"][0]["line"] == 2
    assert 'data-count="new">50<' in preview.content.decode()
    assert snapshot() == before  # the preview writes nothing
    confirm = context["confirm_form"]
    response = editor.post(
        reverse("admin:engagements_meeting_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(slug__startswith="2027-batch-").count() == 50
    assert MeetingCitation.objects.filter(meeting__slug__startswith="2027-batch-").count() == 50
    meeting = Meeting.objects.get(slug="2027-batch-7")
    assert {c.iso2 for c in meeting.countries.all()} == {"IN", "SG"}
    assert meeting.history.latest().history_user.username == "editor"
    # Importing the same file again: all 50 unchanged, nothing to write.
    again = upload(editor, fifty_meetings())
    assert again.context["totals"]["skip"] == 50
    assert again.context["preview_rows"] == []


def test_admin_import_shows_the_bad_row_and_accepts_the_fixed_file(editor):
    before = snapshot()
    response = upload(editor, fifty_meetings(bad_line=17))
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    (problem,) = response.context["problems"]
    assert (problem.line, problem.column, problem.value) == (17, "dates", "2027-13-01")
    html = response.content.decode()
    assert "<td>17</td>" in html and "2027-13-01" in html and "is not a real date" in html
    assert response.context["totals"]["invalid"] == 1
    assert snapshot() == before
    fixed = upload(editor, fifty_meetings())
    assert fixed.context["totals"]["new"] == 50
    assert "confirm_form" in fixed.context


def test_admin_import_names_file_level_problems(editor):
    latin = lines(MEETING_HEADER, "2026-x,Réunion,bilateral,held,2026,IN,IN").encode("latin-1")
    response = upload(editor, latin)
    assert "not UTF-8 text" in response.content.decode()
    response = upload(editor, b"")
    assert response.status_code == 200 and "confirm_form" not in response.context
    response = upload(editor, lines(MEETING_HEADER + ",extra", GOOD + ",x"))
    assert "Unknown column" in response.content.decode()
    assert "confirm_form" not in response.context


def test_admin_preview_of_a_large_file_is_capped(editor):
    rows = [f"2028-many-{i},Many {i},call,held,2028,IN,IN,{CITE}" for i in range(250)]
    response = upload(editor, lines(CITED_HEADER, *rows))
    assert response.context["totals"]["new"] == 250
    assert len(response.context["preview_rows"]) == 100
    assert response.context["preview_hidden"] == 150
    assert "150 more rows" in response.content.decode()


def test_admin_export_escapes_formulae(editor):
    meeting = Meeting.objects.first()
    meeting.title = "=cmd|' /C calc'!A0"
    meeting.save()
    response = editor.post(
        reverse("admin:engagements_meeting_export"),
        {"format": "0", **{f"meetingresource_{f}": "on" for f in ["slug", "title"]}},
    )
    assert response.status_code == 200 and response.streaming
    assert "'=cmd|' /C calc'!A0" in b"".join(response.streaming_content).decode()


def test_line_numbers_count_blank_lines_and_multi_line_cells(tmp_path):
    content = (
        f"{MEETING_HEADER}\n\n"  # line 2 blank
        f"{GOOD}\n"  # line 3
        '2026-05-long,"Talks over\ntwo lines",bilateral,held,2026,IN,IN\n'  # lines 4-5
        "\n\n"  # lines 6-7 blank
        "2026-05-bad,Bad,bilateral,held,2026-13,IN,IN\n"  # line 8
        f"{GOOD}\n"  # line 9
    )
    text = fails(
        tmp_path,
        "meeting",
        content,
        "Line 8, column 'dates' (value '2026-13')",
        "Line 9: Duplicate of line 3",
    )
    assert "Line 5" not in text and "Line 4," not in text


def test_import_without_a_user_says_the_history_names_none(tmp_path):
    out, _ = run(tmp_path, "meeting", lines(CITED_HEADER, CITED_GOOD))
    assert "no --user given" in out and "Imported." in out
    assert Meeting.objects.get(slug="2026-05-good-talks").history.latest().history_user is None
    out, _ = run(tmp_path, "meeting", lines(CITED_HEADER, CITED_GOOD), "--dry-run")
    assert "no --user given" not in out
