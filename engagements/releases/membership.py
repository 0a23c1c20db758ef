"""In which releases a record appears: one indexed query on ``ReleaseRecord`` by its key,
old slugs included (a release made before a rename names the record by its old slug)."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from ..columns import RECORDS
from ..models import Release
from ..models.base import SlugKeyed
from ..redirects import old_slugs


def releases_of(record: Model) -> QuerySet | list:
    declared = RECORDS.get(record._meta.model_name)
    if declared is None or len(declared.key) != 1:
        return []
    attribute = declared.column(declared.key[0]).kind.attribute
    keys = [getattr(record, attribute)]
    if isinstance(record, SlugKeyed):
        keys += old_slugs(record)
    return (
        Release.objects.filter(records__table=declared.name, records__key__in=keys)
        .distinct()
        .order_by("-created", "-id")
    )
