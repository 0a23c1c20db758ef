"""The setup commands: seed and quickstart."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from engagements.management.commands.seed import fixture_files
from engagements.models import Meeting

pytestmark = pytest.mark.django_db


def login_request():
    """The request a login comes with (django-axes counts attempts per request)."""
    return RequestFactory().post("/admin/login/")


def test_seed_reports_what_it_loaded():
    out = StringIO()
    call_command("seed", stdout=out)
    files = len(fixture_files())  # 01_countries … 09_outcomes
    assert files >= 9
    assert f"Loaded 5 source documents and {files} fixture files." in out.getvalue()


def test_quickstart_creates_a_demo_admin_and_prints_its_login():
    out = StringIO()
    call_command("quickstart", "--no-serve", stdout=out)
    printed = out.getvalue()
    match = re.search(r"username: (\S+)\s+password: (\S+)", printed)
    assert match, printed
    username, password = match.groups()
    user = authenticate(login_request(), username=username, password=password)
    assert user is not None and user.is_superuser and user.is_staff


def test_quickstart_gives_a_new_password_each_run():
    passwords = []
    for _ in range(2):
        out = StringIO()
        call_command("quickstart", "--no-serve", stdout=out)
        passwords.append(re.search(r"password: (\S+)", out.getvalue()).group(1))
    assert passwords[0] != passwords[1]
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert authenticate(login_request(), username="demo", password=passwords[1]) is not None
    assert authenticate(login_request(), username="demo", password=passwords[0]) is None


def demo_logins(printed: str) -> dict[str, str]:
    return dict(re.findall(r"username: (\S+)\s+password: (\S+)", printed))


@pytest.mark.parametrize(
    ("username", "group", "may_add", "may_delete"),
    [
        ("demo-editor", "Editors", True, False),
        ("demo-reviewer", "Reviewers", False, True),
        ("demo-researcher", "Researchers", False, False),
    ],
)
def test_quickstart_prints_a_demo_login_for_each_role(client, username, group, may_add, may_delete):
    out = StringIO()
    call_command("quickstart", "--no-serve", stdout=out)
    logins = demo_logins(out.getvalue())
    assert set(logins) == {"demo", "demo-editor", "demo-reviewer", "demo-researcher"}
    assert len(set(logins.values())) == 4  # random, not one shared password
    user = get_user_model().objects.get(username=username)
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]
    # Through the login form, as a newcomer would (django-axes checks every attempt).
    credentials = {"username": username, "password": logins[username]}
    assert client.post("/admin/login/?next=/admin/", credentials).status_code == 302
    assert client.get("/admin/engagements/meeting/").status_code == 200
    assert (client.get("/admin/engagements/meeting/add/").status_code == 200) == may_add
    meeting = Meeting.objects.order_by("pk").first()
    delete = client.get(f"/admin/engagements/meeting/{meeting.pk}/delete/")
    assert (delete.status_code == 200) == may_delete


def test_quickstart_keeps_one_login_per_role_on_a_second_run():
    call_command("quickstart", "--no-serve", stdout=StringIO())
    out = StringIO()
    call_command("quickstart", "--no-serve", stdout=out)
    logins = demo_logins(out.getvalue())
    users = get_user_model().objects.filter(username__startswith="demo")
    assert sorted(users.values_list("username", flat=True)) == sorted(logins)
    for user in users.exclude(username="demo"):
        assert user.groups.count() == 1
        assert (
            authenticate(login_request(), username=user.username, password=logins[user.username])
            == user
        )
