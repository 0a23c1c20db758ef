"""Bulk-load mode, in which the synthesizer writes (and ``clear`` deletes) millions of rows in
one transaction, and the upkeep around it: next ids, sequences, VACUUM."""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import Max, Model

from ..models import Meeting, MeetingCitation, Participation, Source
from ..tally import rebuild as rebuild_tally


class BulkLoad:
    """Bulk-load mode for one transaction, the way pg_restore loads data.

    - Foreign-key triggers are skipped (``session_replication_role = replica``, superusers
      only) and every foreign key of the tables written is then checked in one set-based
      anti-join per key; any orphan aborts the transaction. Without the privilege, checks run
      per statement (``SET CONSTRAINTS ALL IMMEDIATE``): slower, same guarantee.
    - With ``rebuild_indexes``, the secondary (non-unique) indexes of the big tables are
      dropped and built again at the end, which is far faster than maintaining them row by
      row (unique indexes stay: they enforce constraints while rows go in). DDL is
      transactional, so a failure leaves the indexes as they were.

    - Skipping the triggers skips those keeping ``MeetingTally`` too: it is counted again in
      one GROUP BY per level at the end (``engagements/tally.py``).

    CHECK and unique constraints are enforced as usual throughout. On SQLite only the index
    rebuild applies (its foreign-key checks are cheap in-process lookups), with a bigger page
    cache.
    """

    BIG_TABLES = (
        Meeting,
        Meeting.countries.through,
        Participation,
        Participation.posts.through,
        MeetingCitation,
        Source,
    )

    def __init__(self, using: str, rebuild_indexes: bool):
        self.connection = connections[using]
        self.using = using
        self.rebuild_indexes = rebuild_indexes
        self.skipped_triggers = False
        self.dropped: list[str] = []
        self.timings: dict[str, float] = {}

    def __enter__(self) -> BulkLoad:
        if self.connection.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                # A bigger page cache for this connection only: index inserts into
                # million-row tables otherwise thrash SQLite's default 2 MB cache.
                cursor.execute("PRAGMA cache_size = -262144")
        if self.connection.vendor == "sqlite" and self.rebuild_indexes:
            tables = [m._meta.db_table for m in self.BIG_TABLES]
            marks = ", ".join(["%s"] * len(tables))
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks}) ORDER BY name",
                    tables,
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")
                    self.dropped.append(definition)
        if self.connection.vendor != "postgresql":
            return self
        with self.connection.cursor() as cursor:
            try:
                with transaction.atomic(using=self.using):
                    cursor.execute("SET LOCAL session_replication_role = replica")
                self.skipped_triggers = True
            except DatabaseError:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if self.rebuild_indexes:
                cursor.execute(
                    "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                    "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) "
                    "AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1",
                    [[m._meta.db_table for m in self.BIG_TABLES]],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {name}")
                    self.dropped.append(definition)
        return self

    def finish(self, models: Iterable[type[Model]]) -> None:
        """Rebuild dropped indexes, check foreign keys, refresh the planner's statistics."""
        models = list(dict.fromkeys(models))
        with self.connection.cursor() as cursor:
            started = time.perf_counter()
            if self.connection.vendor == "postgresql":
                # GIN builds are much faster with room to sort in memory.
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self.dropped:
                cursor.execute(definition)
            self.dropped = []
            self.timings["rebuild indexes"] = time.perf_counter() - started
            if self.connection.vendor != "postgresql":
                return
            started = time.perf_counter()
            if self.skipped_triggers:
                check_foreign_keys(models, self.using)
            self.timings["check foreign keys"] = time.perf_counter() - started
            started = time.perf_counter()
            for model in models:
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}")
            self.timings["analyze"] = time.perf_counter() - started

    def __exit__(self, exc_type, exc, tb) -> None:
        # SET LOCAL lasts to the end of the outermost transaction: put things back for
        # whatever else runs in it (on failure, rolling back the savepoint does that).
        if exc_type is None and self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                if self.skipped_triggers:
                    started = time.perf_counter()
                    rebuild_tally(self.using)
                    self.timings["rebuild meeting tally"] = time.perf_counter() - started
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                else:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def check_foreign_keys(models: Iterable[type[Model]], using: str) -> None:
    """Raise IntegrityError if a row of ``models`` points to a row that does not exist."""
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            for f in model._meta.concrete_fields:
                if not (f.is_relation and f.many_to_one and f.db_constraint):
                    continue
                target = f.target_field
                table, column = model._meta.db_table, f.column
                parent = f.related_model._meta.db_table
                cursor.execute(
                    f"SELECT c.{qn(column)} FROM {qn(table)} c WHERE c.{qn(column)} IS NOT NULL "
                    f"AND NOT EXISTS (SELECT 1 FROM {qn(parent)} p "
                    f"WHERE p.{qn(target.column)} = c.{qn(column)}) LIMIT 1"
                )
                orphan = cursor.fetchone()
                if orphan:
                    raise IntegrityError(
                        f"{table}.{column} = {orphan[0]} points to no row of {parent}."
                    )


def next_id(model: type[Model], using: str) -> int:
    return (model._default_manager.using(using).aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models: Iterable[type[Model]], using: str) -> None:
    """After explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def vacuum_big_tables(using: str = "default", analyze: bool = False) -> bool:
    """``VACUUM`` the big tables on PostgreSQL; False where it cannot run (SQLite, or inside
    a transaction, where VACUUM is not allowed)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    qn = connection.ops.quote_name
    tables = ", ".join(qn(m._meta.db_table) for m in BulkLoad.BIG_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {'ANALYZE ' if analyze else ''}{tables}")
    return True
