"""Read replica routing: researcher pages and exports read from ``replica``, all else ``default``.

With ``DATABASE_REPLICA_URL`` set, settings define a ``replica`` database alias (a PostgreSQL
streaming replica of the primary). A request is a *researcher read* when it is a GET or HEAD
outside the admin: :class:`ReplicaReadsMiddleware` marks it (in a context variable, so it is
per request and per thread), and :class:`ReplicaRouter` then sends reads of the data model
(the ``engagements`` app) to the replica. Everything else goes to ``default``:

- every write, whatever the request (a router cannot write to a read-only replica);
- the admin, even its GET pages, so that staff read their own writes at once;
- sessions, users and permissions (``auth``, ``sessions``…), so a login is never lost to lag.

Code outside a request (a management command, a streaming export after the view returned)
can opt in with ``with replica_reads(): …``. The middleware wraps streaming responses the
same way, so a CSV export streamed row by row also reads from the replica.

A replica lags the primary by a little: a researcher may see an edit a moment late. Staff who
check the public page right after saving in the admin may too; the admin itself never lags.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

REPLICA = "replica"
ROUTED_APPS = frozenset({"engagements"})

_replica_reads: ContextVar[bool] = ContextVar("defrel_replica_reads", default=False)


def replica_alias() -> str | None:
    """The replica's alias when one is configured, else None."""
    alias = getattr(settings, "DEFREL_REPLICA_DATABASE", None)
    return alias if alias and alias in connections else None


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads of the data model go to the replica (when there is one)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _replica_reads.get() and model._meta.app_label in ROUTED_APPS:
            return replica_alias()
        return None  # Django's default: "default"

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replica and primary hold the same rows: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # Never run migrations against the replica: it gets the schema from the primary.
        return db != (replica_alias() or REPLICA)


def _streamed_on_replica(chunks: Iterable) -> Iterator:
    """Iterate a streaming response's content with replica reads on for each chunk."""
    iterator = iter(chunks)
    while True:
        token = _replica_reads.set(True)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _replica_reads.reset(token)
        yield chunk


class ReplicaReadsMiddleware:
    """Marks researcher reads (GET/HEAD outside the admin) for :class:`ReplicaRouter`."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix: str | None = None

    def is_researcher_read(self, request) -> bool:
        if request.method not in ("GET", "HEAD") or replica_alias() is None:
            return False
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return not request.path.startswith(self._admin_prefix)

    def __call__(self, request):
        if not self.is_researcher_read(request):
            return self.get_response(request)
        with replica_reads():
            response = self.get_response(request)
        if response.streaming and not getattr(response, "is_async", False):
            response.streaming_content = _streamed_on_replica(response.streaming_content)
        return response
