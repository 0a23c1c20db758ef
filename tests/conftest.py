"""Test setup: every test database starts with the seed dataset loaded once."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture
def login(client, django_user_model):
    """``login("Editors")``: the test client, logged in as a new staff member of that group."""

    def as_member(group_name: str):
        user = django_user_model.objects.create_user(
            username=group_name.lower(), password="x", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        client.force_login(user)
        return client

    return as_member
