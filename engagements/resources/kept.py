"""What the admin's preview keeps for its confirm: the rows it checked and wrote (then rolled
back), so that *Confirm import* writes them again instead of importing the file a second time.

The preview (``import_data(dry_run=True, keep_rows=True)``) checked every row — field checks,
``clean()``, the citations, the duplicates in the file — and wrote them through the batched
path (``BulkResource.write_batch``). :func:`write_kept` sends the same rows through the same
path in one transaction: the database's constraints are the last check, a batch it refuses
is written again row by row so the refusal is reported on its line and column, and any
refusal rolls back the lot. The kept rows stand only for the database the preview read:
:func:`database_state` (the largest id of every table of the app, history tables included,
so an edit, an addition or a deletion through the site changes it) is taken before the
preview and compared at confirm, and the admin imports the file again when it differs.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, transaction
from django.utils.crypto import salted_hmac
from import_export.results import RowResult

from .rows import ImportRow, ImportRun

#: Signs a kept file: one not written by this site (or changed since) is not read.
SALT = "defrel.resources.kept"


def database_state(db: str) -> tuple:
    """The largest primary key of each of the app's tables (records and their history)."""
    models = sorted(apps.get_app_config("engagements").get_models(), key=lambda m: m._meta.label)
    connection = connections[db]
    quote = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"
        for m in models
        if m._meta.managed and not m._meta.proxy
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


def file_digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return hashlib.sha256(data).hexdigest()


@dataclass
class KeptImport:
    """A preview's rows, by batch as written (``(is_create, rows)``), and its counts."""

    resource: str
    state: tuple
    batches: list[tuple[bool, list[ImportRow]]]
    totals: dict[str, int]
    total_rows: int
    line_numbers: list[int]
    uncited: int
    citations_follow: bool
    #: The stored upload's sha256 (set by the admin, which holds the file).
    file: str = ""

    @classmethod
    def of(cls, resource, result, state: tuple) -> KeptImport | None:
        """What ``resource``'s preview can keep; None if it imported row by row, deleted,
        failed, or wrote a row naming another row of the file (see ``bulk``)."""
        batches = resource.run.kept
        if (
            batches is None
            or not hasattr(resource, "write_batch")
            or result.has_errors()
            or result.has_validation_errors()
            or result.totals[RowResult.IMPORT_TYPE_DELETE]
        ):
            return None
        for is_create, rows in batches:
            for row in rows:
                row.result = row.original = None
                if is_create:
                    forget(row.instance)
        return cls(
            resource=resource_name(type(resource)),
            state=state,
            batches=batches,
            totals=dict(result.totals),
            total_rows=result.total_rows,
            line_numbers=list(resource.run.line_numbers),
            uncited=resource.run.uncited,
            citations_follow=resource.run.citations_follow,
        )

    def dumps(self) -> bytes:
        """Pickled, after the HMAC of the pickle (hex, one line)."""
        data = pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)
        return salted_hmac(SALT, data, algorithm="sha256").hexdigest().encode() + b"\n" + data

    @staticmethod
    def loads(signed: bytes) -> KeptImport | None:
        """The kept import, or None when the signature does not match (never unpickled)."""
        signature, _, data = signed.partition(b"\n")
        expected = salted_hmac(SALT, data, algorithm="sha256").hexdigest().encode()
        if not data or not hmac.compare_digest(signature, expected):
            return None
        kept = pickle.loads(data)
        return kept if isinstance(kept, KeptImport) else None

    def stands_for(self, resource, db: str, file: str, citations_follow: bool) -> bool:
        """Whether these rows are what importing ``file`` with ``resource`` would write now."""
        return (
            self.resource == resource_name(type(resource))
            and self.file == file
            and self.citations_follow == citations_follow
            and self.state == database_state(db)
        )


def resource_name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def forget(instance) -> None:
    """``instance`` unsaved again: the id a rolled-back write gave it is no one's."""
    instance.pk = None
    instance._state.adding, instance._state.db = True, None


def write_kept(resource, kept: KeptImport, user, file_name: str = ""):
    """Write ``kept``'s rows with ``resource`` (see the module); returns the import's result,
    with the refused rows as invalid rows (nothing written) or the written rows, for the
    admin's log entries and message."""
    result = resource.get_result_class()()
    result.diff_headers = resource.get_diff_headers()
    result.total_rows = kept.total_rows
    result.line_numbers = kept.line_numbers
    result.uncited = kept.uncited
    result.totals.update(kept.totals)
    resource.run = ImportRun(line_numbers=kept.line_numbers, total=kept.total_rows)
    db = resource.get_db_connection_name()
    with transaction.atomic(using=db):
        for is_create, rows in kept.batches:
            for row in rows:
                resource.before_save_instance(row.instance, row.row, user=user, file_name=file_name)
                row.result = RowResult()
                row.result.import_type = (
                    RowResult.IMPORT_TYPE_NEW if is_create else RowResult.IMPORT_TYPE_UPDATE
                )
            resource.write_batch(rows, is_create)
            for row in rows:
                row.result.instance = row.instance
                row.result.object_id = row.instance.pk
                row.result.object_repr = str(row.instance)
                result.append_row_result(row.result)
        resource.report_refused(result)
        if result.has_validation_errors():
            transaction.set_rollback(True, using=db)
    return result
