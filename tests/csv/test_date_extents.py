"""A meeting's ``dates`` cell in EDTF: each syntax imports to its extent and exports as typed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from engagements.models import Meeting

pytestmark = pytest.mark.django_db

HEADER = "slug,title,kind,status,dates,country,countries,citations"
CITE = "002_e5b3391f3894ea28 ¶ 1"  # each new meeting cites a source
CELLS = {
    "2026-edtf-single": "2026-05-04",
    "2026-edtf-month": "2026-05",
    "2026-edtf-span": "2026-05-04/2026-05-06",
    "2026-edtf-open": "2026-05-04/..",
    "2026-edtf-within": "[2026-05-04..2026-05-08]",
    "2026-edtf-unknown": "",
}


def csv_file(tmp_path, cells: dict[str, str]) -> str:
    path = tmp_path / "meetings.csv"
    body = "".join(
        f"{slug},Talks {slug},bilateral,held,{dates},IN,IN; SG,{CITE}\n"
        for slug, dates in cells.items()
    )
    path.write_text(f"{HEADER}\n{body}")
    return str(path)


def exported(tmp_path) -> dict[str, str]:
    out = tmp_path / "out.csv"
    call_command("export_csv", "meeting", "-o", str(out), stdout=io.StringIO())
    with out.open(encoding="utf-8-sig") as f:
        return {row["slug"]: row["dates"] for row in csv.DictReader(f)}


def test_each_edtf_form_imports_to_its_extent_and_exports_unchanged(tmp_path):
    call_command("import_csv", "meeting", csv_file(tmp_path, CELLS), stdout=io.StringIO())
    stored = {
        m.slug: (m.start_date, m.end_date, m.date_precision, m.date_extent)
        for m in Meeting.objects.filter(slug__in=CELLS)
    }
    may_4 = dt.date(2026, 5, 4)
    assert stored == {
        "2026-edtf-single": (may_4, None, "day", "single"),
        "2026-edtf-month": (dt.date(2026, 5, 1), None, "month", "single"),
        "2026-edtf-span": (may_4, dt.date(2026, 5, 6), "day", "span"),
        "2026-edtf-open": (may_4, None, "day", "open"),
        "2026-edtf-within": (may_4, dt.date(2026, 5, 8), "day", "within"),
        "2026-edtf-unknown": (None, None, "unknown", "single"),
    }
    written = exported(tmp_path)
    assert {slug: written[slug] for slug in CELLS} == CELLS


def test_reimporting_a_changed_extent_updates_it(tmp_path):
    call_command("import_csv", "meeting", csv_file(tmp_path, CELLS), stdout=io.StringIO())
    changed = {"2026-edtf-open": "2026-05-04/2026-05-05", "2026-edtf-span": "2026-05-04/.."}
    call_command("import_csv", "meeting", csv_file(tmp_path, changed), stdout=io.StringIO())
    was_open = Meeting.objects.get(slug="2026-edtf-open")
    assert (was_open.date_extent, was_open.end_date) == ("span", dt.date(2026, 5, 5))
    was_span = Meeting.objects.get(slug="2026-edtf-span")
    assert (was_span.date_extent, was_span.end_date) == ("open", None)
    assert exported(tmp_path)["2026-edtf-span"] == "2026-05-04/.."
