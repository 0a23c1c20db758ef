"""Building one release (see the package): every file into a temporary directory from one
snapshot of the database, then the ``Release`` row, its records and the directory's move
into place together."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.db import connections, transaction
from django.utils import timezone

from .. import copy, panels
from ..models import Release, ReleaseRecord
from ..models.base import SlugKeyed
from ..views.codebook import markdown as codebook_markdown
from ..views.exports import stream_csv
from . import changelog, datapackage, formats, storage
from .storage import ReleaseError
from .tables import ReleaseTable, Spec, panel_spec, release_tables, spec

DATABASE = "release"  # release.sqlite, and its name in Datasette's metadata
BOM = "\ufeff"


@contextmanager
def snapshot(db: str):
    """One consistent view of the data for every table: a repeatable-read transaction on
    PostgreSQL (when not already inside one), a plain transaction elsewhere."""
    connection = connections[db]
    outer = not connection.in_atomic_block
    with transaction.atomic(using=db):
        if outer and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def write_csv(table: ReleaseTable, path: Path) -> None:
    """``table`` as the CSV export writes it (COPY on PostgreSQL), without the byte-order
    mark (a file for programs, not spreadsheets)."""
    resource = table.resource()
    with path.open("wb") as handle:
        for chunk in stream_csv(resource, table.rows()):
            if chunk == BOM:
                continue
            handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)


def _json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class Builder:
    def __init__(self, version: str, folder: Path, previous: Release | None, say: Callable):
        self.version = version
        self.folder = folder
        self.previous = previous
        self.say = say
        self.counts: dict[str, int] = {}
        self.keys: dict[str, list[str]] = {}
        self.log: dict[str, dict] = {}
        (folder / "csv").mkdir()
        (folder / "parquet").mkdir()

    def previous_parquet(self, name: str) -> Path | None:
        if self.previous is None:
            return None
        return storage.release_path(self.previous.version) / "parquet" / f"{name}.parquet"

    def add(self, sqlite, table: ReleaseTable | None, spec: Spec, unique) -> None:
        """One table in every format, its keys and its changes."""
        started = time.monotonic()
        path = self.folder / datapackage.csv_path(spec.name)
        if table is None:  # the panel
            rows = panels.country_year_panel()
            path.write_text(panels.as_csv(panels.COLUMNS, rows), encoding="utf-8")
        else:
            write_csv(table, path)
        arrow = formats.read_csv(spec, path)
        formats.write_parquet(arrow, self.folder / "parquet" / f"{spec.name}.parquet")
        formats.write_sqlite(sqlite, spec, arrow, unique)
        self.counts[spec.name] = arrow.num_rows
        key = table.key_column if table is not None else None
        if key is not None:
            self.keys[spec.name] = arrow.column(key.name).to_pylist()
        model = table.record.model if table is not None else None
        keyed = model if model is not None and issubclass(model, SlugKeyed) else None
        self.log[spec.name] = changelog.compare(
            spec.name,
            key.name if key is not None else None,
            arrow,
            self.previous_parquet(spec.name),
            keyed,
        )
        self.say(f"{spec.name}: {arrow.num_rows} rows, {time.monotonic() - started:.1f} s")


def build_release(version: str, db: str = "default", say: Callable = lambda text: None):
    """Make release ``version`` (see the package); a ``ReleaseError`` when it exists."""
    storage.check_version(version)
    if Release.objects.using(db).filter(version=version).exists() or (
        storage.release_path(version).exists()
    ):
        raise ReleaseError(f"Release {version} already exists; a release never changes.")
    previous = Release.objects.using(db).order_by("-created", "-id").first()
    created = timezone.now()
    folder = storage.temporary_dir(version)
    try:
        builder = Builder(version, folder, previous, say)
        with snapshot(db):
            tables = release_tables()
            names = {t.name for t in tables}
            specs = [spec(t, names) for t in tables]
            unique = {f.references for s in specs for f in s.fields if f.references}
            sqlite = sqlite3.connect(folder / f"{DATABASE}.sqlite")
            # A new file in a directory discarded on failure: no journal to keep.
            sqlite.execute("PRAGMA journal_mode = OFF")
            sqlite.execute("PRAGMA synchronous = OFF")
            try:
                for table, table_spec in zip(tables, specs, strict=True):
                    builder.add(sqlite, table, table_spec, unique)
                panel = panel_spec()
                builder.add(sqlite, None, panel, unique)
                sqlite.commit()
            finally:
                sqlite.close()
            specs.append(panel)
            (folder / "codebook.md").write_text(codebook_markdown(), encoding="utf-8")
        stamp = created.isoformat(timespec="seconds")
        _json(folder / "datapackage.json", datapackage.datapackage(specs, version, stamp))
        _json(folder / "metadata.json", datapackage.datasette_metadata(specs, DATABASE, version))
        log = {
            "version": version,
            "previous": previous.version if previous else "",
            "created": stamp,
            "tables": builder.log,
        }
        _json(folder / "changelog.json", log)
        (folder / "changelog.md").write_text(changelog.markdown(log), encoding="utf-8")
        files = storage.manifest(folder)
        storage.write_checksums(folder, files)
        with transaction.atomic(using=db):
            release = Release.objects.using(db).create(
                version=version,
                created=created,
                previous=previous.version if previous else "",
                counts=builder.counts,
                files=files,
            )
            records = (
                (release.pk, name, key)
                for name, keys in builder.keys.items()
                for key in keys
                if key is not None
            )
            copy.write(ReleaseRecord, ["release", "table", "key"], records, db)
            storage.freeze(folder, version)
    except BaseException:
        storage.discard(folder)
        raise
    return release
