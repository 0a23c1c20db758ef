"""The history staff read: seeded records say "Seed dataset", one admin save writes one row."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command

from engagements.models import Agreement, Country, Grouping, Initiative, Meeting
from engagements.permissions import EDITORS
from tests.helpers import url

from .test_admin import form_data

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [
    m
    for m in apps.get_app_config("engagements").get_models()
    if any(f.name == "history_type" for f in m._meta.fields)
]


def history_table(page) -> list[list[str]]:
    """The cells (text, whitespace collapsed) of each row of an admin history page's table."""
    body = page.content.decode().split('id="change-history"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        ]
        for row in rows
    ]


def test_every_history_row_the_seed_writes_says_seed_dataset():
    reasons = {
        (model.__name__, row["history_type"], row["history_change_reason"], row["history_user"])
        for model in HISTORY_MODELS
        for row in model.objects.values("history_type", "history_change_reason", "history_user")
    }
    assert reasons, "the seed wrote no history"
    assert {(kind, reason, user) for _, kind, reason, user in reasons} == {
        ("+", "Seed dataset", None)
    }, sorted(r for r in reasons if r[2] != "Seed dataset")[:5]


@pytest.mark.parametrize(
    ("model", "m2m", "slug"),
    [
        (Meeting, "countries", "2025-09-lawrence-wong-visit-to-india"),
        (Agreement, "parties", None),
        (Initiative, "countries", None),
        (Grouping, None, None),  # its members are Membership rows, each with its own history
    ],
)
def test_an_editor_sees_one_seeded_version_with_its_reason(login, model, m2m, slug):
    """Records with many-to-many values (countries, parties, members) included."""
    if slug:
        records = model.objects.filter(slug=slug)
    elif m2m:
        records = model.objects.exclude(**{m2m: None})
    else:
        records = model.objects.all()
    record = records.order_by("pk").first()
    assert m2m is None or getattr(record, m2m).exists()
    page = login(EDITORS).get(url(model, "history", record.pk))
    assert page.status_code == 200
    rows = history_table(page)
    assert len(rows) == 1, rows
    # Object, date/time, comment, changed by, change reason, changes
    assert rows[0][2:5] == ["Created", "None", "Seed dataset"], rows[0]
    # The starting version holds the many-to-many values, so a revert to it restores them.
    seeded = record.history.get()
    if m2m:
        assert set(getattr(seeded, m2m).values_list("pk", flat=True))
    else:
        membership = record.memberships.first()
        assert membership.history.get().history_change_reason == "Seed dataset"


def test_seed_repairs_the_unattributed_rows_an_older_seed_left():
    """Before the fix loaddata's many-to-many sets wrote "~" rows with no user or reason."""
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    countries = set(meeting.countries.all())
    meeting.history.all().delete()
    singapore = meeting.countries.get(iso2="SG")
    meeting.countries.remove(singapore)  # as loaddata's set() did: rows without user or reason
    meeting.countries.add(singapore)
    assert meeting.history.count() == 2
    call_command("seed", stdout=io.StringIO())
    row = meeting.history.get()
    assert (row.history_type, row.history_change_reason) == ("+", "Seed dataset")
    assert {link.country for link in row.countries.all()} == countries


def test_one_admin_save_of_a_meeting_writes_one_history_row(login):
    editor = login(EDITORS)
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    before = meeting.history.count()
    page = editor.get(url(Meeting, "change", meeting.pk))
    data = form_data(page)
    data["city"] = "Mumbai"
    korea = Country.objects.get(iso2="KR")
    data["countries"] = [*data["countries"], str(korea.pk)]
    assert editor.post(url(Meeting, "change", meeting.pk), data).status_code == 302
    assert meeting.history.count() == before + 1
    row = meeting.history.latest()
    assert (row.history_type, row.history_user.username) == ("~", "editors")
    assert row.city == "Mumbai"
    assert {link.country.iso2 for link in row.countries.all()} == {"IN", "SG", "KR"}
    rows = history_table(editor.get(url(Meeting, "history", meeting.pk)))
    assert len(rows) == before + 1
    latest = rows[0]
    assert latest[2:4] == ["Changed", "editors"], latest
    changes = latest[5]
    assert "City: New Delhi → Mumbai" in changes, changes
    assert "Countries: [India, Singapore] → [India, Singapore, South Korea]" in changes, changes


def test_one_save_of_a_participant_with_posts_writes_one_row(login):
    """Inline rows with many-to-many values (a participant's posts) too."""
    editor = login(EDITORS)
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    participation = meeting.participations.exclude(posts=None).order_by("pk").first()
    assert participation.history.get().posts.exists()
    page = editor.get(url(Meeting, "change", meeting.pk))
    data = form_data(page)
    index = next(
        i
        for i in range(int(data["participations-TOTAL_FORMS"]))
        if data[f"participations-{i}-id"] == str(participation.pk)
    )
    data[f"participations-{index}-posts"] = []
    data[f"participations-{index}-note"] = "Posts not given"
    response = editor.post(url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 302
    assert participation.history.count() == 2
    row = participation.history.latest()
    assert (row.history_user.username, row.note) == ("editors", "Posts not given")
    assert not row.posts.exists()
    assert not participation.posts.exists()
