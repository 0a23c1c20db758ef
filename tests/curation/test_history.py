"""Undo from the change history: who may revert, and what a revert restores."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from engagements.models import (
    AgreementStatusChange,
    Country,
    Meeting,
    MeetingCitation,
    Official,
    Participation,
    TenureCitation,
)
from engagements.permissions import EDITORS, RESEARCHERS, REVIEWERS
from tests.helpers import url

from .test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(login):
    return login(EDITORS)


@pytest.mark.parametrize(
    ("group", "may_revert"), [(EDITORS, True), (REVIEWERS, True), (RESEARCHERS, False)]
)
def test_only_groups_that_may_change_can_revert(login, group, may_revert):
    official = Official.objects.get(slug="rajnath-singh")
    official.notes = "Version A"
    official.save()
    version_a = official.history.latest()
    official.notes = "Version B"
    official.save()
    client = login(group)
    revert_url = url(Official, "simple_history", official.pk, version_a.history_id)
    page = client.get(revert_url)
    assert page.status_code == 200  # every group may look at an old version
    data = form_data(page)
    assert data["notes"] == "Version A"
    history_count = official.history.count()
    response = client.post(revert_url, data)
    official.refresh_from_db()
    if may_revert:
        assert response.status_code == 302
        assert official.notes == "Version A"
        assert official.history.latest().history_user.username == group.lower()
    else:
        assert response.status_code == 403
        assert official.notes == "Version B"
        assert official.history.count() == history_count


def history_rows() -> int:
    return sum(
        m.objects.count()
        for m in apps.get_app_config("engagements").get_models()
        if m.__name__.startswith("Historical")
    )


def test_seed_gives_every_seeded_record_a_starting_version_once():
    for model in (Official, Meeting, Country, Participation, MeetingCitation):
        versioned = model.history.values("id").distinct().count()
        assert versioned == model.objects.count(), model
    starting = Official.objects.get(slug="rajnath-singh").history.earliest()
    assert (starting.history_type, starting.history_change_reason) == ("+", "Seed dataset")
    before = history_rows()
    call_command("seed", stdout=io.StringIO())
    call_command("seed", stdout=io.StringIO())
    assert history_rows() == before


def test_the_first_edit_of_a_seeded_official_can_be_undone(editor):
    official = Official.objects.get(slug="rajnath-singh")
    page = editor.get(url(Official, "change", official.pk))
    data = form_data(page)
    data["name"] = "Rajnath Sing"
    assert editor.post(url(Official, "change", official.pk), data).status_code == 302
    seeded = official.history.earliest()
    revert_url = url(Official, "simple_history", official.pk, seeded.history_id)
    page = editor.get(revert_url)
    assert editor.post(revert_url, form_data(page)).status_code == 302
    official.refresh_from_db()
    assert official.name == "Rajnath Singh"


def iso2s(meeting) -> set[str]:
    return set(meeting.countries.values_list("iso2", flat=True))


def test_revert_restores_the_many_to_many_values_of_the_version(editor):
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    assert iso2s(meeting) == {"IN", "SG"}
    before_edit = meeting.history.latest()
    page = editor.get(url(Meeting, "change", meeting.pk))
    data = form_data(page)
    data["countries"] = [str(c.pk) for c in Country.objects.filter(iso2__in=["IN", "SG", "KR"])]
    data["title"] = "Mistaken title"
    assert editor.post(url(Meeting, "change", meeting.pk), data).status_code == 302
    assert iso2s(meeting) == {"IN", "SG", "KR"}
    revert_url = url(Meeting, "simple_history", meeting.pk, before_edit.history_id)
    page = editor.get(revert_url)
    shown = page.context["adminform"].form["countries"].value()
    assert set(Country.objects.filter(pk__in=shown).values_list("iso2", flat=True)) == {"IN", "SG"}
    assert editor.post(revert_url, form_data(page)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title != "Mistaken title"
    assert iso2s(meeting) == {"IN", "SG"}


def test_inline_rows_are_undone_from_their_own_history(editor):
    """A participant edited on the meeting's page: its own History page undoes the edit."""
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    participation = meeting.participations.get(official__slug="lawrence-wong")
    page = editor.get(url(Meeting, "change", meeting.pk))
    assert url(Participation, "change", participation.pk) in page.content.decode()
    data = form_data(page)
    index = next(
        i
        for i in range(int(data["participations-TOTAL_FORMS"]))
        if data[f"participations-{i}-id"] == str(participation.pk)
    )
    old_note = participation.note
    data[f"participations-{index}-note"] = "A mistaken note"
    assert editor.post(url(Meeting, "change", meeting.pk), data).status_code == 302
    participation.refresh_from_db()
    assert participation.note == "A mistaken note"
    history = editor.get(url(Participation, "history", participation.pk))
    assert history.status_code == 200
    seeded = participation.history.earliest()
    revert_url = url(Participation, "simple_history", participation.pk, seeded.history_id)
    page = editor.get(revert_url)
    assert editor.post(revert_url, form_data(page)).status_code == 302
    participation.refresh_from_db()
    assert participation.note == old_note


@pytest.mark.parametrize(
    "model", [AgreementStatusChange, MeetingCitation, Participation, TenureCitation]
)
def test_inline_models_have_history_pages(editor, model):
    obj = model.objects.first()
    obj.save()  # one more version
    response = editor.get(url(model, "history", obj.pk))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == obj.history.count() >= 2
