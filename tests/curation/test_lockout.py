"""Password guessing: a few wrong passwords lock the login out; a Reviewer or a command lifts it."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "ed", password="right-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_passwords_lock_the_account_out_with_a_message(editor):
    client = Client()
    for _ in range(2):
        assert attempt(client, "ed", "wrong").status_code == 200  # the form again
    locked = attempt(client, "ed", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "ask a Reviewer" in locked.content.decode()
    # The right password is refused too, from the same address and from another.
    assert attempt(client, "ed", "right-horse-battery").status_code == 429
    assert attempt(Client(), "ed", "right-horse-battery", address="10.0.0.2").status_code == 429
    assert not logged_in(client)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_one_address_guessing_many_usernames_is_locked_out(editor):
    client = Client()
    for name in ("a", "b", "c"):
        attempt(client, name, "wrong", address="10.0.0.9")
    assert attempt(client, "ed", "right-horse-battery", address="10.0.0.9").status_code == 429
    # The account itself is not locked: from another address it logs in.
    other = Client()
    assert attempt(other, "ed", "right-horse-battery", address="10.0.0.3").status_code == 302
    assert logged_in(other)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_success_before_the_limit_resets_the_count(editor):
    client = Client()
    attempt(client, "ed", "wrong")
    attempt(client, "ed", "wrong")
    assert attempt(client, "ed", "right-horse-battery").status_code == 302
    client.logout()
    attempt(client, "ed", "wrong")
    attempt(client, "ed", "wrong")
    assert attempt(client, "ed", "right-horse-battery").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_reviewer_lifts_the_lockout_in_the_admin(editor, django_user_model):
    for _ in range(3):
        attempt(Client(), "ed", "wrong")
    reviewer = django_user_model.objects.create_user("rev", password="x", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    desk = Client()
    desk.force_login(reviewer)
    listing = desk.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "ed" in listing.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = desk.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert attempt(Client(), "ed", "right-horse-battery").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_editor_cannot_lift_a_lockout(login):
    client = login("Editors")
    assert client.get("/admin/axes/accessattempt/").status_code == 403


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_reset_command_lifts_the_lockout(editor):
    for _ in range(3):
        attempt(Client(), "ed", "wrong")
    assert attempt(Client(), "ed", "right-horse-battery").status_code == 429
    call_command("axes_reset_username", "ed", verbosity=0)
    assert attempt(Client(), "ed", "right-horse-battery").status_code == 302
