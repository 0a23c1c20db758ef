"""Rows written straight to a table, for the bulk import: the records, their links and
simple-history's first version of each, as a few statements instead of one per row
(``engagements.copy.insert``: COPY on PostgreSQL)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

from ..copy import insert


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
