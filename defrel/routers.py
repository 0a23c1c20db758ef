"""Read replica routing: researcher pages and exports read from a replica, all else ``default``.

With ``DATABASE_REPLICA_URL`` set (one URL or several, comma-separated), settings define a
database alias per replica (``replica``, ``replica_2``…: PostgreSQL streaming replicas of
the primary). A request is a *researcher read* when it is a GET or HEAD outside the admin:
:class:`ReplicaReadsMiddleware` marks it (in a context variable, so it is per request and
per thread) with one healthy replica, chosen in turn (``defrel/replicas.py``: a health
check cached for a few seconds, lag limit), and :class:`ReplicaRouter` then sends reads of
the data model (the ``engagements`` app) to it. The whole request, its streamed export
included, reads from that one replica, so it sees one consistent snapshot of the data.
With no healthy replica the request reads from the primary. Everything else goes to
``default``:

- every write, whatever the request (a router cannot write to a read-only replica);
- the admin, even its GET pages, so that staff read their own writes at once;
- sessions, users and permissions (``auth``, ``sessions``…), so a login is never lost to lag;
- for ``DEFREL_REPLICA_PIN_SECONDS`` after a request that wrote to the data model, the same
  browser's researcher reads too (a cookie), so staff who save in the admin and open the
  public page see their edit (read-your-writes).

Code outside a request (a management command, a streaming export after the view returned)
can opt in with ``with replica_reads(): …``. The middleware wraps streaming responses the
same way, so a CSV export streamed row by row also reads from the replica.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.urls import reverse

from defrel import replicas

REPLICA = "replica"
ROUTED_APPS = frozenset({"engagements"})
#: The cookie that keeps a browser on the primary for a moment after it wrote.
PIN_COOKIE = "defrel_primary"

_UNCHOSEN = object()


class _Read:
    """One researcher read: the replica it uses, chosen at its first read of the data model."""

    __slots__ = ("alias",)

    def __init__(self, alias=_UNCHOSEN) -> None:
        self.alias = alias

    def database(self) -> str | None:
        if self.alias is _UNCHOSEN:
            self.alias = replicas.choose_replica()
        return self.alias


class _Writes:
    __slots__ = ("happened",)

    def __init__(self) -> None:
        self.happened = False


_read: ContextVar[_Read | None] = ContextVar("defrel_replica_read", default=None)
_writes: ContextVar[_Writes | None] = ContextVar("defrel_request_writes", default=None)


def replica_alias() -> str | None:
    """The first replica's alias when one is configured, else None."""
    aliases = replicas.replica_aliases()
    return aliases[0] if aliases else None


def pin_seconds() -> float:
    """How long a browser reads from the primary after it wrote (lag limit + check interval:
    by then a replica still in use has replayed the write)."""
    pin = getattr(settings, "DEFREL_REPLICA_PIN_SECONDS", None)
    if pin is None:
        return replicas.max_lag_seconds() + replicas.check_seconds()
    return float(pin)


@contextmanager
def replica_reads(alias: str | None = None) -> Iterator[None]:
    """Within this block, reads of the data model go to a healthy replica (when there is one):
    ``alias`` if given, else one chosen at the block's first read."""
    token = _read.set(_Read(alias) if alias else _Read())
    try:
        yield
    finally:
        _read.reset(token)


def current_read_database() -> str | None:
    """The replica the current researcher read uses (None: the primary, or no such read)."""
    read = _read.get()
    return read.database() if read else None


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        read = _read.get()
        if read is not None and model._meta.app_label in ROUTED_APPS:
            return read.database()
        return None  # Django's default: "default"

    def db_for_write(self, model, **hints) -> str:
        writes = _writes.get()
        if writes is not None and model._meta.app_label in ROUTED_APPS:
            writes.happened = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replica and primary hold the same rows: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # Never run migrations against a replica: it gets the schema from the primary.
        return db not in (replicas.replica_aliases() or [REPLICA])


def _streamed_on_replica(chunks: Iterable, read: _Read) -> Iterator:
    """Iterate a streaming response's content with the request's replica read on for each
    chunk."""
    iterator = iter(chunks)
    while True:
        token = _read.set(read)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _read.reset(token)
        yield chunk


class ReplicaReadsMiddleware:
    """Marks researcher reads (GET/HEAD outside the admin) for :class:`ReplicaRouter`, and
    pins a browser that wrote to the primary for :func:`pin_seconds`."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix: str | None = None

    def is_researcher_read(self, request) -> bool:
        if request.method not in ("GET", "HEAD") or not replicas.replica_aliases():
            return False
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        if request.path.startswith(self._admin_prefix):
            return False
        try:
            return float(request.COOKIES.get(PIN_COOKIE, 0)) <= time.time()
        except ValueError:
            return True  # a mangled cookie: ignore it

    def __call__(self, request):
        writes = _Writes()
        token = _writes.set(writes)
        try:
            response = self.respond(request)
        finally:
            _writes.reset(token)
        if writes.happened and replicas.replica_aliases() and pin_seconds() > 0:
            pin = pin_seconds()
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + pin:.3f}",
                max_age=math.ceil(pin),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def respond(self, request):
        if not self.is_researcher_read(request):
            return self.get_response(request)
        read = _Read()
        token = _read.set(read)
        try:
            response = self.get_response(request)
        finally:
            _read.reset(token)
        if response.streaming and not getattr(response, "is_async", False):
            response.streaming_content = _streamed_on_replica(response.streaming_content, read)
        return response
