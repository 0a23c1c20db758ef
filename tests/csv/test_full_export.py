"""``export_csv`` in one pass over the table, as the web export (issue 15, item 8), and
``export_csv --all`` then ``import_csv --all`` restoring an emptied database (item 7).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements import copy, tally
from engagements.models import Country, Initiative, Meeting, Source
from engagements.permissions import EDITORS
from engagements.resources import RESOURCES
from engagements.resources.files import read_csv
from engagements.resources.restore import ORDER, file_name, parents_first
from tests.helpers import DERIVED_MODELS

pytestmark = pytest.mark.django_db


def add_meetings(count: int, start: int = 0) -> None:
    rows = [
        (f"bulk-{i}", f"Bulk talks {i}", "bilateral", "2020-01-01", "")
        for i in range(start, start + count)
    ]
    copy.write(Meeting, ["slug", "title", "kind", "start_date", "summary"], rows, "default")


def export_queries(tmp_path, *args) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        call_command("export_csv", *args, stdout=io.StringIO())
    return [q["sql"] for q in queries.captured_queries]


# --- one pass (item 8) ----------------------------------------------------------------------


def test_export_csv_reads_the_table_in_one_pass(tmp_path):
    """The rows come from one query (COPY on PostgreSQL, a cursor elsewhere), prefetches a
    chunk at a time: no OFFSET pages, and as many queries for 500 more rows as for 250."""
    path = tmp_path / "meetings.csv"
    add_meetings(250)
    fewer = export_queries(tmp_path, "meeting", "-o", str(path))
    assert not [sql for sql in fewer if " OFFSET " in sql.upper()]
    rows = read_csv(path.read_bytes())
    assert len(rows) == Meeting.objects.count()
    assert {f"bulk-{i}" for i in range(250)} <= set(rows["slug"])
    add_meetings(250, start=250)
    more = export_queries(tmp_path, "meeting", "-o", str(path))
    assert len(more) == len(fewer)
    assert len(read_csv(path.read_bytes())) == Meeting.objects.count()


def test_export_csv_writes_standard_output_without_the_byte_order_mark():
    out = io.StringIO()
    call_command("export_csv", "country", stdout=out)
    text = out.getvalue()
    assert text.startswith("iso2,iso3,wikidata,name,official_name,aliases")
    assert len(read_csv(text)) == Country.objects.count()


def test_admin_export_reads_the_table_in_one_pass(client, django_user_model):
    user = django_user_model.objects.create_user("exporter", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    add_meetings(250)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:engagements_meeting_export"),
            {"format": "0", **{f"meetingresource_{f}": "on" for f in ["slug", "countries"]}},
        )
        body = b"".join(response.streaming_content)  # streamed: read inside the capture
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if " OFFSET " in q["sql"].upper()]
    assert len(read_csv(body)) == Meeting.objects.count()


# --- a full restore (item 7) ----------------------------------------------------------------


def data_models():
    """Every table of the app's data (history and tables defrel fills itself excluded),
    many-to-many links included."""
    models = [
        m
        for m in apps.get_app_config("engagements").get_models(include_auto_created=True)
        if not m.__name__.startswith("Historical") and m.__name__ not in DERIVED_MODELS
    ]
    return sorted(models, key=lambda m: m._meta.db_table)


def row_counts() -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.count() for m in data_models()}


def checksums(folder) -> dict[str, str]:
    """Per file, a digest of its header and its rows in sorted order (ids are not in the
    files, and rows ordered by id come back in another order)."""
    digests = {}
    for model in dict.fromkeys(ORDER):
        data = (folder / file_name(model)).read_bytes()
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        header, body = rows[0], sorted(rows[1:])
        digests[model] = hashlib.sha256(repr([header, *body]).encode()).hexdigest()
    return digests


def empty_the_database() -> None:
    for model in reversed(list(dict.fromkeys(ORDER))):
        RESOURCES[model]._meta.model._base_manager.all().delete()
    for model in apps.get_app_config("engagements").get_models():
        if model.__name__.startswith("Historical"):
            model._base_manager.all().delete()


def test_order_names_every_model():
    assert set(ORDER) == set(RESOURCES)
    assert [m for m in ORDER if ORDER.count(m) > 1] == ["initiative", "initiative"]


def test_export_all_then_import_all_restores_an_empty_database(tmp_path):
    # What a one-pass import cannot restore: a meeting naming an initiative that lists
    # meetings (in the seed), and a meeting written before its parent (made here: a parent
    # entered after its sideline meeting).
    assert Meeting.objects.filter(mechanism__isnull=False).exists()
    assert Initiative.meetings.through.objects.exists()
    child = Meeting.objects.filter(parent__isnull=False).order_by("pk").first()
    child.parent = Meeting.objects.create(
        slug="2024-11-late-parent",
        title="A summit entered late",
        kind="multilateral",
        start_date=child.start_date or dt.date(2024, 11, 1),
    )
    child.save()
    exported = tmp_path / "exported"
    call_command("export_csv", "--all", str(exported), stdout=io.StringIO())
    slugs = list(read_csv((exported / "meeting.csv").read_bytes())["slug"])
    assert slugs.index(child.slug) < slugs.index(child.parent.slug)
    counts, digests = row_counts(), checksums(exported)
    assert all(counts[RESOURCES[m]._meta.model._meta.db_table] for m in ORDER), counts

    empty_the_database()
    assert set(row_counts().values()) == {0}
    out = io.StringIO()
    call_command("import_csv", "--all", str(exported), stdout=out, stderr=io.StringIO())
    assert "Imported." in out.getvalue()

    assert row_counts() == counts
    assert tally.drift() == []  # the meeting counts kept by triggers follow the restore
    again = tmp_path / "again"
    call_command("export_csv", "--all", str(again), stdout=io.StringIO())
    assert checksums(again) == digests
    # Every restored record has a first version, "CSV import of <file>".
    restored = Meeting.objects.get(slug=child.slug)
    assert restored.history.earliest().history_change_reason == "CSV import of meeting.csv"
    # The sources' texts are not in the files (never exported): loaded again from the folder.
    assert not Source.objects.exclude(text="").exists()


def test_import_all_is_all_or_nothing(tmp_path):
    exported = tmp_path / "exported"
    call_command("export_csv", "--all", str(exported), stdout=io.StringIO())
    empty_the_database()
    meetings = exported / "meeting.csv"
    meetings.write_bytes(meetings.read_bytes().replace(b",bilateral,", b",summitry,", 1))
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"meeting\.csv: 1 problem"):
        call_command("import_csv", "--all", str(exported), stdout=io.StringIO(), stderr=err)
    assert "summitry" in err.getvalue()
    assert set(row_counts().values()) == {0}  # the files before it were rolled back too


def test_import_all_dry_run_writes_nothing(tmp_path):
    exported = tmp_path / "exported"
    call_command("export_csv", "--all", str(exported), stdout=io.StringIO())
    empty_the_database()
    out = io.StringIO()
    call_command("import_csv", "--all", str(exported), "--dry-run", stdout=out)
    assert "Dry run: nothing was written." in out.getvalue()
    assert set(row_counts().values()) == {0}


def test_parents_come_before_their_children():
    dataset = read_csv("slug,parent\nc,b\nb,a\nx,\na,\nd,c\n")
    dataset.line_numbers = [2, 3, 4, 5, 6]
    ordered = parents_first(dataset)
    assert list(ordered["slug"]) == ["a", "b", "c", "x", "d"]
    assert ordered.line_numbers == [5, 3, 2, 4, 6]
