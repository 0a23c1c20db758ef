"""History rows that carry their record's many-to-many values, one row per save.

simple-history records a many-to-many change (``m2m_changed``) as a history row of its own:
a form saving a meeting and then its countries wrote two rows, the first with the old
countries. Here the values set after the save go into the save's own row instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from django.db import models
from simple_history.utils import get_m2m_field_name


def write_m2m_values(history_model, records: Iterable) -> None:
    """Record in each history row of ``records`` its record's many-to-many values now."""
    pk_name = history_model.instance_type._meta.pk.attname
    by_pk = {getattr(record, pk_name): record for record in records}
    if not by_pk:
        return
    for field in history_model._history_m2m_fields:
        m2m_history_model = getattr(history_model, field.name).model
        m2m_history_model.objects.filter(history__in=list(by_pk.values())).delete()
        through = field.remote_field.through
        owner = get_m2m_field_name(field)
        names = [f.attname for f in through._meta.fields]
        links = through._default_manager.filter(**{f"{owner}__in": list(by_pk)}).values(*names)
        m2m_history_model.objects.bulk_create(
            m2m_history_model(history=by_pk[link[f"{owner}_id"]], **link) for link in links
        )


def history_of(instance: models.Model):
    """``instance``'s history manager; ``None`` if its model keeps no history."""
    manager_name = getattr(instance._meta, "simple_history_manager_attribute", None)
    return getattr(instance, manager_name) if manager_name else None


@contextlib.contextmanager
def m2m_in_last_row(*instances: models.Model) -> Iterator[None]:
    """Many-to-many values set within the block go into each instance's latest history row.

    Use it around a form's ``save_m2m()`` after the instance's ``save()`` wrote that row.
    """
    tracked = [
        instance
        for instance in instances
        if history_of(instance) is not None and history_of(instance).model._history_m2m_fields
    ]
    for instance in tracked:
        instance.skip_history_when_saving = True
    try:
        yield
    finally:
        for instance in tracked:
            del instance.skip_history_when_saving
    for instance in tracked:
        latest = history_of(instance).order_by("-history_date", "-history_id").first()
        if latest is not None:
            write_m2m_values(type(latest), [latest])
