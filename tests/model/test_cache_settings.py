"""The cache: shared by every worker by default (a database table), switched by one variable."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from defrel.caches import cache_from_url

from .test_settings import run

SHOW_CACHE = "import django; django.setup(); from django.conf import settings as s; " + (
    "c = s.CACHES['default']; print(c['BACKEND'], c.get('LOCATION', '-'))"
)


def test_the_default_cache_is_a_table_of_the_database():
    result = run(SHOW_CACHE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "defrel_cache"]


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://cache.internal:6379/1", "redis.RedisCache", "redis://cache.internal:6379/1"),
        ("memcached://mc.internal:11211", "memcached.PyMemcacheCache", "mc.internal:11211"),
        ("db://other_table", "db.DatabaseCache", "other_table"),
        ("locmem://", "locmem.LocMemCache", "-"),
    ],
)
def test_one_variable_switches_the_cache(url, backend, location):
    result = run(SHOW_CACHE, DEFREL_CACHE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"django.core.cache.backends.{backend}", location]


@pytest.mark.parametrize(
    ("url", "message"),
    [("mongo://x", "unknown scheme 'mongo'"), ("redis://", "Redis needs a host")],
)
def test_a_cache_url_that_cannot_work_is_refused_by_name(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        cache_from_url(url)
    result = run("import django; django.setup()", DEFREL_CACHE_URL=url)
    assert result.returncode != 0
    assert url in result.stderr


@pytest.mark.django_db
def test_migrate_makes_the_cache_table_and_the_cache_works():
    assert "defrel_cache" in connection.introspection.table_names()
    cache.set("defrel:probe", {"count": 3}, 30)
    assert cache.get("defrel:probe") == {"count": 3}


def test_two_processes_share_what_one_kept(tmp_path):
    # Two worker processes on one database file: what one keeps, the other reads.
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    migrated = run(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0)",
        DATABASE_URL=url,
    )
    assert migrated.returncode == 0, migrated.stderr
    setup = "import django; django.setup(); from django.core.cache import cache; "
    wrote = run(setup + "cache.set('facet', [1, 2, 3], 60)", DATABASE_URL=url)
    assert wrote.returncode == 0, wrote.stderr
    read = run(setup + "print(cache.get('facet'))", DATABASE_URL=url)
    assert read.stdout.strip() == "[1, 2, 3]"
