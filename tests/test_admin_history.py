"""Undo from the change history: who may revert, and what a revert restores."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from engagements.models import Official
from engagements.permissions import EDITORS, RESEARCHERS, REVIEWERS

from .test_admin import form_data

pytestmark = pytest.mark.django_db


def url(model, action, *args):
    return reverse(f"admin:engagements_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def login(client, django_user_model):
    def as_member(group_name: str):
        user = django_user_model.objects.create_user(
            username=group_name.lower(), password="x", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        client.force_login(user)
        return client

    return as_member


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
