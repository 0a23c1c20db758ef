"""Rows written straight to a table, for the bulk import: the records, their links and
simple-history's first version of each, as a few statements instead of one per row."""

from __future__ import annotations

from django.conf import settings
from django.db import connections, models
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object


def m2m_history_model(model, field_name: str):
    """simple-history's model of ``model.<field_name>`` links per version (None if untracked)."""
    history = model.history.model
    name = f"{history.__name__}_{field_name}"
    for relation in history._meta.related_objects:
        if relation.related_model.__name__ == name:
            return relation.related_model
    return None


def insert_values(instance) -> dict:
    """The row ``instance`` would insert (its concrete fields but the primary key)."""
    pk = instance._meta.pk
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f is not pk and not f.generated
    }


def insert(model, rows: list[dict], db: str) -> list[int]:
    """Insert ``rows`` (field attnames → values) into ``model``'s table; their new ids.

    On PostgreSQL the ids are drawn from the table's sequence first and the rows go in by
    ``COPY … FROM STDIN`` (several times faster than a multi-row ``INSERT``); elsewhere by
    ``bulk_create``. Constraints are checked as for any insert.
    """
    if not rows:
        return []
    if any(isinstance(f, models.JSONField) for f in model._meta.concrete_fields):
        raise TypeError(f"{model.__name__}: insert() passes raw values; JSON needs adapting.")
    connection = connections[db]
    pk = model._meta.pk
    if connection.vendor != "postgresql":
        records = [model(**row) for row in rows]
        model._default_manager.using(db).bulk_create(records, batch_size=1_000)
        return [record.pk for record in records]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(rows)],
        )
        ids = [pk_value for (pk_value,) in cursor.fetchall()]
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        copying = cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN")
        # As Django's own queries: psycopg's errors raised as IntegrityError, DataError…
        with connection.wrap_database_errors, copying as copy:
            names = [f.attname for f in fields]
            for pk_value, row in zip(ids, rows, strict=True):
                row[pk.attname] = pk_value
                # Raw values: psycopg adapts what these models hold (text, numbers, dates,
                # booleans); a field needing Django's own conversion (JSON) is refused above.
                copy.write_row([row.get(name) for name in names])
    return ids


def first_versions(model, instances: list, db: str) -> dict[int, int]:
    """simple-history's "+" version of each new record, as its post_save signal would write
    it; returns {record id: version id} (empty when history is off)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return {}
    history = model.history.model
    tracked = [f.attname for f in history.tracked_fields]
    now = timezone.now()
    rows = []
    for instance in instances:
        user = getattr(instance, "_history_user", None)
        rows.append(
            {
                **{name: getattr(instance, name) for name in tracked},
                "history_date": now,
                "history_change_reason": get_change_reason_from_object(instance) or "",
                "history_type": "+",
                "history_user_id": user.pk if user is not None else None,
            }
        )
    ids = insert(history, rows, db)
    return {row["id"]: pk for row, pk in zip(rows, ids, strict=True)}
