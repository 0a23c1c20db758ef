"""Fixtures of the CSV tests."""

import pytest
from django.contrib.auth.models import Group

from engagements.admin.importing import ImportTempStorage
from engagements.permissions import EDITORS


@pytest.fixture
def editor(client, django_user_model):
    """The test client, logged in as a staff member of the Editors."""
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


@pytest.fixture
def uploads_dir(monkeypatch, tmp_path):
    """Uploads kept for confirmation go to a folder of this test's own."""
    monkeypatch.setattr(ImportTempStorage, "directory", tmp_path / "imports")
    return ImportTempStorage.directory
