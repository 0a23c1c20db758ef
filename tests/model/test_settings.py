"""Settings come from the environment; production refuses to start insecurely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DEFREL_", "DATABASE"))}
    environ |= {"DJANGO_SETTINGS_MODULE": "defrel.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )


SHOW_DB = "import django; django.setup(); from django.conf import settings as s; " + (
    "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"
)


def test_default_database_is_a_sqlite_file_in_the_project():
    result = run(SHOW_DB)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "defrel.sqlite3")]


def test_one_variable_switches_to_postgresql():
    result = run(SHOW_DB, DATABASE_URL="postgres://someone@db.internal:5432/defrel")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "defrel"]


def test_production_without_a_secret_key_refuses_to_start():
    result = run("import django; django.setup()", DEFREL_DEBUG="0")
    assert result.returncode != 0
    assert "DEFREL_SECRET_KEY is not set" in result.stderr


def test_allowed_hosts_come_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.ALLOWED_HOSTS)"
    result = run(code, DEFREL_ALLOWED_HOSTS="a.example.org, b.example.org")
    assert result.stdout.strip() == "['a.example.org', 'b.example.org']"


def test_deploy_checks_are_clean_in_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DEFREL_")},
            "DEFREL_DEBUG": "0",
            "DEFREL_SECRET_KEY": "x" * 20 + "a-long-random-secret-for-the-test-only-9f8e7d",
            "DEFREL_ALLOWED_HOSTS": "defrel.example.org",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def deploy_check(secret_key: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DEFREL_")},
            "DEFREL_DEBUG": "0",
            "DEFREL_SECRET_KEY": secret_key,
            "DEFREL_ALLOWED_HOSTS": "defrel.example.org",
        },
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (settings.DEVELOPMENT_SECRET_KEY, "it is the development key from the repository"),
        ("django-insecure-" + "q" * 10 + "0123456789abcdefghijklmnopqrstuvwxyz", "startproject"),
        ("short-but-random-9f8e7d", "fewer than 50 characters"),
        ("ab" * 40, "fewer than 5 different ones"),
    ],
)
def test_production_refuses_a_known_or_weak_secret_key(key, reason):
    result = deploy_check(key)
    assert result.returncode != 0
    assert "DEFREL_SECRET_KEY is refused with DEFREL_DEBUG=0" in result.stderr
    assert reason in result.stderr


def test_the_development_key_is_fine_while_debugging():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SECRET_KEY == s.DEVELOPMENT_SECRET_KEY)"
    assert run(code).stdout.strip() == "True"


def test_the_idle_time_of_a_session_comes_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
    assert run(code, DEFREL_SESSION_IDLE_MINUTES="15").stdout.split() == ["900", "True"]
