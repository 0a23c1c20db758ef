"""Conditional GETs: an ``ETag`` and a ``Last-Modified`` on every answer, and 304s.

The ETag is a digest of the response body, so it changes exactly when the answer does,
however the data was written. ``Last-Modified`` is when the data last changed: the latest
entry of the change history (django-simple-history keeps one for every save and delete,
from the admin and from imports alike), read in one query over every history table of
the app. Data written past the history (``manage.py synthesize``, for benchmarks) keeps the
older date: clients that send ``If-None-Match`` are answered by the ETag, which is always
right (RFC 9110 lets it take precedence over ``If-Modified-Since``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from django.apps import apps
from django.db import connections, router
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date


@functools.cache
def history_models() -> tuple:
    """The history model of every model of the app that keeps one (asked once: simple-history
    builds its manager anew on each access)."""
    found = []
    for model in apps.get_app_config("engagements").get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager:
            found.append(getattr(model, manager).model)
    return tuple(found)


def data_changed_at() -> dt.datetime | None:
    """When any record was last saved or deleted (None when there is no history)."""
    models = history_models()
    db = router.db_for_read(models[0])
    connection = connections[db]
    quote = connection.ops.quote_name
    latest = " UNION ALL ".join(
        f"SELECT MAX({quote('history_date')}) AS latest FROM {quote(m._meta.db_table)}"
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(latest) FROM ({latest}) AS changes")
        (value,) = cursor.fetchone()
    if isinstance(value, str):  # SQLite hands back the stored text
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def conditional(request, response: HttpResponse, changed: dt.datetime | None) -> HttpResponse:
    """``response`` with its validators, or a 304 when the request's copy is current."""
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"  # keep it, but ask again (a 304 is cheap)
    timestamp = None
    if changed is not None:
        timestamp = int(changed.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
