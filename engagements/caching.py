"""Bounded counts, and figures kept for a few minutes while a table is big.

Counting every matching row of a million reads them all, and a GROUP BY over every meeting
costs more than a page should. So counts stop at COUNT_LIMIT ("more than 10,000"), and a
figure computed over a big table (more than COUNT_LIMIT records) is kept for KEEP_SECONDS
under its label and the filters it was computed for. Over a small table (the seed, a
curation in progress) nothing is kept, so an edit shows at once.

The reading room's counts and facets, its whole-table figures and the admin's change list
counts all go through here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Model, QuerySet

# Counts stop here, and a table with more records than this is big.
COUNT_LIMIT = 10_000
KEEP_SECONDS = 300
T = TypeVar("T")


def bounded_count(qs: QuerySet, limit: int | None = None) -> int:
    """The rows of ``qs``, counted no further than ``limit`` + 1 (COUNT_LIMIT by default)."""
    limit = COUNT_LIMIT if limit is None else limit
    return qs.order_by().values("pk")[: limit + 1].count()


def table_is_big(model: type[Model]) -> bool:
    """More than COUNT_LIMIT records in the whole table of ``model``."""
    return bounded_count(model._default_manager.all()) > COUNT_LIMIT


def cache_key(label: str, params=None) -> str:
    """``defrel:<label>``, and a digest of ``params`` (the filters) when there are any."""
    if params is None:
        return f"defrel:{label}"
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    return f"defrel:{label}:{digest}"


def kept(
    label: str,
    compute: Callable[[], T],
    *,
    params=None,
    big: bool = True,
    keep: Callable[[T], bool] | None = None,
    seconds: int = KEEP_SECONDS,
    found: dict | None = None,
) -> T:
    """``compute()``; when ``big``, kept ``seconds`` under ``label`` and ``params``.

    ``keep`` chooses the values worth keeping (the admin keeps "more than the bound" only,
    so an exact count, cheap by definition, follows every edit). ``found``: values already
    read for this request by ``read_many`` (one round trip for a page's several figures);
    a key it holds is not looked up again.
    """
    if not big:
        return compute()
    key = cache_key(label, params)
    value = found.get(key) if found is not None and key in found else cache.get(key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            cache.set(key, value, seconds)
    return value


def read_many(labelled: list[tuple[str, object]]) -> dict:
    """The kept values of several (label, params) at once: one ``cache.get_many`` (one query
    on the database cache) instead of a lookup per figure. Keys not kept map to None, so
    ``kept(found=…)`` computes them without asking the cache again."""
    keys = list(dict.fromkeys(cache_key(label, params) for label, params in labelled))
    got = cache.get_many(keys)
    return {key: got.get(key) for key in keys}
