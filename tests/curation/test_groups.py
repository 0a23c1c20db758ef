"""Staff groups: Editors add/change/import, Reviewers change/delete, Researchers only view."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from engagements.models import Meeting, MeetingCitation, Official
from engagements.permissions import (
    EDITORS,
    EXTRA_PERMISSIONS,
    GROUP_ACTIONS,
    RESEARCHERS,
    REVIEWERS,
    curated_models,
    setup_groups,
)

pytestmark = pytest.mark.django_db


def codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_groups_exist_after_migrate_with_exactly_their_permissions():
    models = curated_models()
    assert len(models) >= 19
    for name, actions in GROUP_ACTIONS.items():
        expected = {f"{a}_{m._meta.model_name}" for m in models for a in actions}
        expected |= {label.split(".")[1] for label in EXTRA_PERMISSIONS.get(name, ())}
        assert codenames(name) == expected
    assert not any(c.startswith("delete_") for c in codenames(EDITORS))
    assert not any(c.startswith("add_") for c in codenames(REVIEWERS))
    assert {c.split("_")[0] for c in codenames(RESEARCHERS)} == {"view"}


def test_setup_groups_command_is_idempotent_and_repairs_drift():
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.clear()
    out = io.StringIO()
    call_command("setup_groups", stdout=out)
    call_command("setup_groups", stdout=out)
    assert Group.objects.filter(name__in=[EDITORS, REVIEWERS, RESEARCHERS]).count() == 3
    assert "change_meeting" in codenames(EDITORS)
    assert "Editors: view, add, change" in out.getvalue()
    assert setup_groups() == {name: len(codenames(name)) for name in GROUP_ACTIONS}


def admin_url(model, action, *args):
    return reverse(f"admin:engagements_{model._meta.model_name}_{action}", args=args)


# What each group may do on the meeting admin, as HTTP status codes of the pages.
EXPECTED = {
    #            view add  change(post) delete import export
    EDITORS: (200, 200, 302, 403, 200, 200),
    REVIEWERS: (200, 403, 302, 200, 403, 200),
    RESEARCHERS: (200, 403, 403, 403, 403, 200),
}


@pytest.mark.parametrize("group", list(EXPECTED))
def test_each_group_can_do_what_it_should_and_nothing_more(login, group):
    client = login(group)
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    view, add, change, delete, import_, export = EXPECTED[group]
    assert client.get(admin_url(Meeting, "changelist")).status_code == view
    assert client.get(admin_url(Meeting, "add")).status_code == add
    response = client.post(
        admin_url(Meeting, "change", meeting.pk),
        {
            "title": "Renamed by " + group,
            "slug": meeting.slug,
            "kind": meeting.kind,
            "status": meeting.status,
            "dates": meeting.dates.isoformat(),
            "country": meeting.country_id,
            "host": meeting.host_id,
            "countries": list(meeting.countries.values_list("pk", flat=True)),
            "participations-TOTAL_FORMS": 0,
            "participations-INITIAL_FORMS": 0,
            "agreement_links-TOTAL_FORMS": 0,
            "agreement_links-INITIAL_FORMS": 0,
            "outcomes-TOTAL_FORMS": 0,
            "outcomes-INITIAL_FORMS": 0,
            "citations-TOTAL_FORMS": 0,
            "citations-INITIAL_FORMS": 0,
            "marks-TOTAL_FORMS": 0,
            "marks-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == change
    meeting.refresh_from_db()
    assert (meeting.title == "Renamed by " + group) is (change == 302)
    assert client.get(admin_url(Meeting, "delete", meeting.pk)).status_code == delete
    assert client.get(admin_url(Meeting, "import")).status_code == import_
    assert client.get(admin_url(Meeting, "export")).status_code == export


def test_reviewer_deletes_and_editor_cannot(login, client):
    citation = MeetingCitation.objects.first()
    editor = login(EDITORS)
    response = editor.post(admin_url(MeetingCitation, "delete", citation.pk), {"post": "yes"})
    assert response.status_code == 403
    assert MeetingCitation.objects.filter(pk=citation.pk).exists()
    client.logout()
    reviewer = login(REVIEWERS)
    response = reviewer.post(admin_url(MeetingCitation, "delete", citation.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not MeetingCitation.objects.filter(pk=citation.pk).exists()


def test_researcher_sees_read_only_pages_and_cannot_post(login):
    client = login(RESEARCHERS)
    official = Official.objects.get(slug="rajnath-singh")
    page = client.get(admin_url(Official, "change", official.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b"Rajnath Singh" in page.content
    response = client.post(
        admin_url(Official, "change", official.pk),
        {"name": "Changed", "country": official.country_id, "slug": official.slug},
    )
    assert response.status_code == 403
    official.refresh_from_db()
    assert official.name == "Rajnath Singh"
    # No import button, nor the import page itself.
    changelist = client.get(admin_url(Official, "changelist"))
    assert admin_url(Official, "import").encode() not in changelist.content
    assert client.post(admin_url(Official, "import")).status_code == 403


def test_staff_without_a_group_sees_nothing(client, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(admin_url(Meeting, "changelist")).status_code == 403
