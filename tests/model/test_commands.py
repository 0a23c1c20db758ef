"""The setup commands: seed and quickstart."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from engagements.management.commands.seed import fixture_files

pytestmark = pytest.mark.django_db


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
    user = authenticate(username=username, password=password)
    assert user is not None and user.is_superuser and user.is_staff


def test_quickstart_gives_a_new_password_each_run():
    passwords = []
    for _ in range(2):
        out = StringIO()
        call_command("quickstart", "--no-serve", stdout=out)
        passwords.append(re.search(r"password: (\S+)", out.getvalue()).group(1))
    assert passwords[0] != passwords[1]
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert authenticate(username="demo", password=passwords[1]) is not None
    assert authenticate(username="demo", password=passwords[0]) is None
