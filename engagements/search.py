"""Text search: PostgreSQL full-text search with GIN indexes, a plain fallback on SQLite.

The index (migration 0002) and the query are built from the same ``search_vector`` so that
PostgreSQL can use the index: the expressions must match exactly.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet

CONFIG = "english"

# The text columns searched for each model (by model name).
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "meeting": ("title", "summary"),
    "agreement": ("title", "short_name", "summary"),
    "initiative": ("name", "short_name", "summary"),
}
# Name searches stay plain substring matches (stemming names helps nobody).
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "official": ("name", "aliases__name"),
    "country": ("name", "official_name", "iso2", "iso3", "aliases__name"),
    "grouping": ("name", "short_name"),
    "source": ("title", "publisher", "summary"),
}


def search_vector(model_name: str) -> SearchVector:
    return SearchVector(*SEARCH_FIELDS[model_name], config=CONFIG)


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Rows of ``queryset`` matching ``text``, a user's words (never SQL)."""
    text = (text or "").strip()
    if not text:
        return queryset
    name = queryset.model._meta.model_name
    vendor = connections[queryset.db].vendor
    if name in SEARCH_FIELDS and vendor == "postgresql":
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.annotate(_search=search_vector(name)).filter(_search=query)
    fields = SEARCH_FIELDS.get(name) or NAME_FIELDS[name]
    condition = Q()
    for word in text.split():
        condition &= _any_field(queryset.model, fields, word)
    return queryset.filter(condition)


def _any_field(model, fields: tuple[str, ...], word: str) -> Q:
    """``word`` in any of ``fields``; a related field (``aliases__name``) is an EXISTS.

    Not a join: a join repeats a record once per matching alias, which a DISTINCT would then
    have to undo (and facet counts over the joined rows would count it several times).
    """
    condition = Q()
    for field in fields:
        relation, _, column = field.partition("__")
        if not column:
            condition |= Q(**{f"{field}__icontains": word})
            continue
        related = model._meta.get_field(relation)  # a reverse foreign key (aliases)
        matches = related.related_model._default_manager.filter(
            **{related.field.name: OuterRef("pk"), f"{column}__icontains": word}
        )
        condition |= Q(Exists(matches))
    return condition
