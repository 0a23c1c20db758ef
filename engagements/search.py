"""Text search: PostgreSQL full-text search with GIN indexes, a plain fallback on SQLite.

The index (migration 0002) and the query are built from the same ``search_vector`` so that
PostgreSQL can use the index: the expressions must match exactly.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet

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
        condition &= _any_field(fields, word)
    qs = queryset.filter(condition)
    return qs.distinct() if any("__" in f for f in fields) else qs


def _any_field(fields: tuple[str, ...], word: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
    return condition
