"""``CACHES`` from one variable, ``DEFREL_CACHE_URL``, as ``DATABASE_URL`` gives ``DATABASES``.

The default is Django's database cache in a table of the main database: every worker
process shares it and nothing has to be installed (``migrate`` creates the table, see
:func:`create_cache_table`). A busier site points the variable at Redis or Memcached:

- ``db://`` or ``db://<table>`` (default ``db://defrel_cache``)
- ``redis://host:6379/0`` (also ``rediss://``; needs the ``redis`` package)
- ``memcached://host:11211`` (needs ``pymemcache``)
- ``locmem://`` (one process only: tests and a single development server)
- ``dummy://`` (no cache at all)
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

DEFAULT_URL = "db://defrel_cache"
MAX_ENTRIES = 20_000

_BACKENDS = {
    "db": "django.core.cache.backends.db.DatabaseCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def cache_from_url(url: str) -> dict:
    """One ``CACHES`` entry for ``url``; an unknown scheme or a missing host is refused."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _BACKENDS:
        known = ", ".join(f"{name}://" for name in _BACKENDS)
        raise ImproperlyConfigured(
            f"DEFREL_CACHE_URL {url!r}: unknown scheme {scheme!r}; use one of {known}"
        )
    entry: dict = {"BACKEND": _BACKENDS[scheme], "KEY_PREFIX": "defrel"}
    if scheme in ("db", "locmem"):
        # Django culls at 300 entries: far fewer than the filter combinations of a busy day.
        entry["OPTIONS"] = {"MAX_ENTRIES": MAX_ENTRIES}
    if scheme == "db":
        entry["LOCATION"] = (parts.netloc + parts.path).strip("/") or "defrel_cache"
    elif scheme in ("redis", "rediss"):
        if not parts.hostname:
            raise ImproperlyConfigured(f"DEFREL_CACHE_URL {url!r}: Redis needs a host")
        entry["LOCATION"] = url.strip()
    elif scheme == "memcached":
        if not parts.hostname:
            raise ImproperlyConfigured(f"DEFREL_CACHE_URL {url!r}: Memcached needs a host")
        entry["LOCATION"] = parts.netloc
    return entry


def create_cache_table(using: str = "default", **kwargs) -> None:
    """``createcachetable`` on a just-migrated database (a ``post_migrate`` receiver).

    Django leaves the database cache's table to a separate command; run from ``migrate``,
    every database defrel migrates (the test databases too) has it, and ``quickstart`` needs
    no extra step. Does nothing for the other backends.
    """
    call_command("createcachetable", database=using, verbosity=0)
