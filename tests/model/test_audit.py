"""``manage.py audit``: the seed audits clean; each kind of inconsistency is named, with its
admin address, and makes the command exit 1."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from engagements.audit import CHECKS
from engagements.models import (
    Agreement,
    AgreementStatusChange,
    Meeting,
    MeetingMark,
    Official,
    Participation,
    Post,
    Source,
    Tenure,
)
from tests.helpers import url

pytestmark = pytest.mark.django_db


def audit(*args) -> tuple[int, str]:
    """The command's exit status and its output."""
    out = io.StringIO()
    try:
        call_command("audit", *args, stdout=out)
    except CommandError as failure:
        return failure.returncode, f"{out.getvalue()}\n{failure}"
    return 0, out.getvalue()


def test_the_seed_audits_clean():
    status, output = audit()
    assert status == 0, output
    assert f"No problems found ({len(CHECKS)} checks)." in output
    status, output = audit("--format", "json")
    report = json.loads(output)
    assert report["problems"] == 0
    assert [c["problems"] for c in report["checks"]] == [[]] * len(CHECKS)


def _meeting(slug="2030-01-uncited-talks", **fields) -> Meeting:
    fields.setdefault("start_date", dt.date(2030, 1, 5))
    return Meeting.objects.create(title="Uncited talks", slug=slug, kind="bilateral", **fields)


def test_an_uncited_meeting_is_named_and_the_audit_fails():
    meeting = _meeting()
    status, output = audit()
    assert status == 1
    assert "Records that cite no source (uncited): 1" in output
    line = f"meeting 2030-01-uncited-talks: cites no source. {url(Meeting, 'change', meeting.pk)}"
    assert line in output
    assert f"1 problem(s) found by 1 of {len(CHECKS)} checks." in output


def test_json_output_lists_each_check_and_problem():
    meeting = _meeting()
    status, output = audit("--format", "json")
    assert status == 1
    report = json.loads(output.rsplit("\n", 1)[0])  # the error's summary follows the JSON
    assert report["problems"] == 1
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["uncited"]["problems"] == [
        {
            "model": "meeting",
            "key": "2030-01-uncited-talks",
            "message": "cites no source.",
            "url": url(Meeting, "change", meeting.pk),
        }
    ]
    assert checks["unlinked-agreements"]["problems"] == []


def _agreement() -> Agreement:
    agreement = Agreement.objects.create(title="Popup MoU", slug="popup-mou", kind="mou")
    agreement.citations.create(source=Source.objects.first(), paragraph=1)
    return agreement


def _with_uncovered_participant():
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    participant = Participation.objects.create(
        meeting=meeting, official=Official.objects.get(slug="rajnath-singh")
    )
    participant.posts.add(Post.objects.get(slug="in-defence-secretary"))
    return "participant 2025-09-lawrence-wong-visit-to-india/rajnath-singh: no tenure as"


def _with_step_beyond_the_source():
    source = Source.objects.get(key="000_ea8d4ddbce561651")  # twelve paragraphs
    AgreementStatusChange.objects.create(
        agreement=_agreement(), status="signed", precision="unknown", source=source, paragraph=13
    )
    return "cites ¶ 13 of 000_ea8d4ddbce561651, which has 12 paragraphs."


def _with_mark_on_no_column():
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    MeetingMark.objects.create(meeting=meeting, column="weather", basis="inferred", note="x")
    return "meetingmark 2025-09-lawrence-wong-visit-to-india/weather: marks “weather”"


def _with_child_outside_its_parent():
    parent = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    child = _meeting(slug="2025-08-early-talks", parent=parent, start_date=dt.date(2025, 8, 31))
    child.citations.create(source=Source.objects.first(), paragraph=1)
    return "meeting 2025-08-early-talks: is dated 31 August 2025, outside its parent"


def _with_unlinked_agreement():
    _agreement()
    return "agreement popup-mou: is linked to no meeting, initiative or outcome."


def _with_uncited_tenure():
    Tenure.objects.create(
        official=Official.objects.get(slug="rajnath-singh"),
        post=Post.objects.get(slug="in-defence-secretary"),
        start_date=dt.date(2030, 1, 1),
    )
    return "tenure rajnath-singh/in-defence-secretary/2030-01-01: cites no source."


@pytest.mark.parametrize(
    ("check", "make"),
    [
        ("uncited", _with_uncited_tenure),
        ("unlinked-agreements", _with_unlinked_agreement),
        ("uncovered-participants", _with_uncovered_participant),
        ("paragraphs", _with_step_beyond_the_source),
        ("mark-columns", _with_mark_on_no_column),
        ("parent-dates", _with_child_outside_its_parent),
    ],
)
def test_each_check_names_its_problem(check, make):
    expected = make()
    status, output = audit("--check", check)
    assert status == 1
    assert expected in output
    assert "/admin/engagements/" in output


def test_a_coarse_date_within_its_parent_passes():
    """Talks dated to the month of the visit they were part of fit it (the seed has such)."""
    parent = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    child = _meeting(
        slug="2025-09-month-talks",
        parent=parent,
        start_date=dt.date(2025, 9, 1),
        date_precision="month",
    )
    child.citations.create(source=Source.objects.first(), paragraph=1)
    assert audit("--check", "parent-dates")[0] == 0
    child.start_date = dt.date(2025, 8, 1)  # August: no day of it within 2–4 September
    child.save()
    assert audit("--check", "parent-dates")[0] == 1
    child.start_date, child.date_precision = None, "unknown"  # unknown: nothing to compare
    child.save()
    assert audit("--check", "parent-dates")[0] == 0


def test_synthetic_rows_are_audited_on_request():
    _meeting(slug="syn-m9999999")
    assert audit()[0] == 0
    status, output = audit("--synthetic")
    assert status == 1
    assert "meeting syn-m9999999: cites no source." in output
