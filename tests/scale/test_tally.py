"""The meeting tally stays what the meetings count, whatever writes them.

After each way of writing (the admin's add, edit and deletes, ``import_csv``, a cascade,
``synthesize`` and its ``--clear``) the tally is compared with GROUP BY counts of the meetings
and their country links, written here with the ORM (not the tally's own SQL), and
``manage.py audit`` agrees.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractYear

from engagements import tally
from engagements.models import Country, Meeting, MeetingTally
from tests.csv.test_commands import CITE, CITED_HEADER
from tests.curation.test_admin import _meeting_post, form_data
from tests.helpers import url

pytestmark = pytest.mark.django_db

LINK = Meeting.countries.through


def counted() -> dict[tuple, int]:
    """(country, partner, year, kind, status) → meetings, from the base tables."""
    found: dict[tuple, int] = {}
    year = Coalesce(ExtractYear("start_date"), 0)
    for r in Meeting.objects.values("kind", "status", y=year).annotate(n=Count("pk")):
        found[(0, 0, r["y"], r["kind"], r["status"])] = r["n"]
    links = LINK.objects.annotate(
        y=Coalesce(ExtractYear("meeting__start_date"), 0),
        k=F("meeting__kind"),
        s=F("meeting__status"),
    )
    for r in links.values("country_id", "y", "k", "s").annotate(n=Count("pk")):
        found[(r["country_id"], 0, r["y"], r["k"], r["s"])] = r["n"]
    pairs = links.annotate(p=F("meeting__countries")).exclude(p=F("country_id"))
    for r in pairs.values("country_id", "p", "y", "k", "s").annotate(n=Count("pk")):
        found[(r["country_id"], r["p"], r["y"], r["k"], r["s"])] = r["n"]
    return found


def kept() -> dict[tuple, int]:
    rows = MeetingTally.objects.exclude(n=0)
    return {(r.country_id, r.partner_id, r.year, r.kind, r.status): r.n for r in rows.iterator()}


def assert_right() -> None:
    assert Meeting.objects.exists()
    assert kept() == counted()
    assert tally.drift() == []


def test_the_seed_is_counted():
    assert_right()
    everything = MeetingTally.objects.filter(country_id=0, partner_id=0)
    assert sum(everything.values_list("n", flat=True)) == Meeting.objects.count()


def test_admin_adds_edits_and_deletes(admin_client):
    data = _meeting_post()
    assert admin_client.post(url(Meeting, "add"), data).status_code == 302
    meeting = Meeting.objects.get(slug=data["slug"])
    assert_right()
    korea, japan = Country.objects.get(iso2="KR"), Country.objects.get(iso2="JP")
    edits = [
        {"kind": "summit"},
        {"status": "scheduled"},
        {"dates": "2019-11-30"},
        {"dates": ""},  # undated
        {"countries": [*data["countries"], str(korea.pk), str(japan.pk)]},  # two added
        {"countries": [data["countries"][0], str(japan.pk)]},  # two removed, one kept
    ]
    for edit in edits:
        change = url(Meeting, "change", meeting.pk)
        response = admin_client.post(change, {**form_data(admin_client.get(change)), **edit})
        assert response.status_code == 302, (edit, response.context["errors"])
        assert_right()
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.status, meeting.start_date) == ("summit", "scheduled", None)
    assert set(meeting.countries.values_list("iso2", flat=True)) == {"IN", "JP"}

    assert admin_client.post(url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert_right()
    several = list(Meeting.objects.filter(countries__iso2="SG").values_list("pk", flat=True)[:3])
    assert len(several) == 3
    response = admin_client.post(
        url(Meeting, "changelist"),
        {"action": "delete_selected", "_selected_action": several, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk__in=several).exists()
    assert_right()


def test_import_csv_and_a_cascade(tmp_path):
    path = tmp_path / "meetings.csv"
    path.write_text(
        f"{CITED_HEADER}\n"
        f"2026-05-tally-talks,Tally talks,bilateral,held,2026-05-04,IN,IN; SG,{CITE}\n"
        f"2026-06-tally-summit,Tally summit,summit,scheduled,2026-06,IN,IN; SG; KR; JP,{CITE}\n"
        f"tally-undated,Undated tally talks,bilateral,held,,IN,IN; KR,{CITE}\n"
    )
    err = io.StringIO()
    call_command("import_csv", "meeting", str(path), stdout=io.StringIO(), stderr=err)
    assert not err.getvalue()
    assert Meeting.objects.filter(slug__contains="tally").count() == 3
    assert_right()
    # A country's links go with it (the through table's CASCADE).
    atlantis = Country.objects.create(iso2="XA", iso3="XAT", name="Atlantis")
    summit = Meeting.objects.get(slug="2026-06-tally-summit")
    summit.countries.add(atlantis)
    assert_right()
    assert MeetingTally.objects.filter(country=atlantis, partner_id=0, n=1).exists()
    atlantis.delete()
    assert_right()
    # Raw SQL too: a meeting's kind changed behind the ORM's back.
    Meeting.objects.filter(slug__contains="tally").update(kind="visit")
    assert_right()


def test_synthesize_and_clear():
    call_command("synthesize", meetings=40, verbosity=0)
    assert Meeting.objects.filter(slug__startswith="syn-").count() == 40
    assert_right()
    call_command("synthesize", meetings=0, clear=True, verbosity=0)
    assert not Meeting.objects.filter(slug__startswith="syn-").exists()
    assert_right()


def test_audit_reports_drift_and_rebuild_mends_it():
    call_command("audit", check=["meeting-tally"], stdout=io.StringIO())  # no drift: no error
    row = MeetingTally.objects.filter(country_id=0, partner_id=0).first()
    MeetingTally.objects.filter(pk=row.pk).update(n=F("n") + 2)
    MeetingTally.objects.filter(~Q(pk=row.pk), n__gt=0).order_by("pk")[:1].get().delete()
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("audit", check=["meeting-tally"], stdout=out)
    assert f"keeps {row.n + 2}, the meetings count {row.n}" in out.getvalue()
    tally.rebuild()
    assert_right()
