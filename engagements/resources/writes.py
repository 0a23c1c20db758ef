"""Rows written straight to a table, for the bulk import: the records, their links, their
citations and simple-history's first version of each, as a few statements instead of one
per row (``engagements.copy.insert``: COPY on PostgreSQL)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

from ..citing import citation_model
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


def insert_citations(model, cited: list[tuple], db: str, new: bool) -> None:
    """The citation rows of ``cited`` — ``(record, [(source, [paragraphs])])`` pairs of
    saved records of ``model`` — that do not exist yet, each with its first version (by
    whoever imported the record, for the same reason). ``new``: the records are new, so
    none of their citations exists."""
    citation = citation_model(model)
    record_id = f"{citation.record_field}_id"
    rows = {
        (record.pk, source.pk, number): record
        for record, sources in cited
        for source, numbers in sources or ()
        for number in numbers
    }
    if not new and rows:
        have = citation.objects.using(db).filter(**{f"{record_id}__in": {r[0] for r in rows}})
        for key in have.values_list(record_id, "source_id", "paragraph"):
            rows.pop(key, None)
    values = [
        {record_id: pk, "source_id": source_id, "paragraph": number, "note": ""}
        for pk, source_id, number in rows
    ]
    instances = []
    for pk, row, record in zip(insert(citation, values, db), values, rows.values(), strict=True):
        instance = citation(**row)
        instance.pk = pk
        instance._history_user = getattr(record, "_history_user", None)
        instance._change_reason = getattr(record, "_change_reason", "")
        instances.append(instance)
    first_versions(citation, instances, db)
