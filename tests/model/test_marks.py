"""Marks: every value no paragraph gives is marked inferred or reference, and the database and
the CSV import refuse a mark that says nothing or names no column."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from engagements.columns import record_for
from engagements.models import (
    MARKS,
    AgreementStatusChange,
    Meeting,
    MeetingMark,
    ParentRelation,
)

pytestmark = pytest.mark.django_db


def test_every_seed_mark_names_a_column_of_its_record_and_says_why():
    marks = [mark for model in MARKS for mark in model.objects.all()]
    assert len(marks) >= 20
    for mark in marks:
        mark.full_clean()  # the column is one of the record's public columns
        assert len(mark.note) > 20


def test_a_mark_on_a_column_the_record_does_not_have_is_refused():
    quad = Meeting.objects.get(slug="2024-09-21-quad-summit")
    mark = MeetingMark(meeting=quad, column="venue", basis="inferred", note="A test reason.")
    with pytest.raises(ValidationError) as error:
        mark.full_clean()
    assert "“venue” is not a column of meetings" in str(error.value)
    assert "countries" in str(error.value)  # it lists the columns there are


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"note": ""}, "meeting_mark_note"),
        ({"basis": "guessed"}, "meeting_mark_basis"),
        ({"column": "countries"}, "meeting_mark_unique"),  # the seed marks it already
    ],
)
def test_the_database_refuses_a_mark_without_reason_basis_or_twice(change, constraint):
    quad = Meeting.objects.get(slug="2024-09-21-quad-summit")
    values = {"meeting": quad, "column": "city", "basis": "reference", "note": "Why."} | change
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        MeetingMark.objects.create(**values)
    assert constraint in str(error.value) or "UNIQUE" in str(error.value)


def test_an_inferred_status_step_must_say_how():
    step = AgreementStatusChange.objects.filter(basis="reported").first()
    step.basis, step.note = "inferred", ""
    with pytest.raises(IntegrityError), transaction.atomic():
        step.save()


def test_a_meeting_stands_to_its_parent_in_one_of_three_ways_or_unstated():
    talks = Meeting.objects.get(slug="2024-11-rajnath-singh-kim-yong-hyun-talks")
    assert talks.parent_relation == ParentRelation.SIDELINES
    talks.parent_relation = ""  # not stated by the sources: allowed
    talks.full_clean()
    talks.parent_relation = "inside"
    with pytest.raises(ValidationError) as error:
        talks.full_clean()
    assert "parent_relation" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        talks.save()
    # Without a parent there is nothing to stand in relation to.
    talks.parent, talks.parent_relation = None, "sidelines"
    talks.full_clean()
    assert talks.parent_relation == ""


def test_deleting_a_parent_leaves_its_children_without_one():
    visit = Meeting.objects.get(slug="2019-09-rajnath-singh-visit-to-japan-and-korea")
    children = list(visit.children.values_list("pk", flat=True))
    visit.delete()
    assert children and not Meeting.objects.filter(pk__in=children, parent__isnull=False).exists()


def run_import(tmp_path, model, text):
    path = tmp_path / "marks.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_csv", model, str(path), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_marks_import_from_csv_and_a_bad_column_is_named(tmp_path):
    header = ",".join(c.name for c in record_for(MeetingMark).exported)
    assert header == "meeting,column,basis,note"
    good = "admm-plus-11,city,inferred,Read from the dateline of the Austin talks (¶ 17)."
    run_import(tmp_path, "meetingmark", f"{header}\n{good}\n")
    mark = MeetingMark.objects.get(meeting__slug="admm-plus-11", column="city")
    assert mark.basis == "inferred"
    before = MeetingMark.objects.count()
    bad = "admm-plus-11,venue,inferred,A reason."
    path = tmp_path / "bad.csv"
    path.write_text(f"{header}\n{bad}\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "meetingmark", str(path), stdout=io.StringIO(), stderr=err)
    assert "“venue” is not a column of meetings" in err.getvalue()
    assert "line 2" in err.getvalue().lower()
    assert MeetingMark.objects.count() == before
