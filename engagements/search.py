"""Text search: PostgreSQL full-text search with GIN indexes, a plain fallback on SQLite.

On PostgreSQL each searched table has a stored, generated ``search_document`` column (the
``tsvector`` of its text columns, migration 0007) with a GIN index. Django's models do not
declare it (SQLite has no such type); ``SearchDocument`` names it in a query.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connections
from django.db.models import Exists, Expression, OuterRef, Q, QuerySet
from django.db.models.expressions import Col

from .models import Country, Meeting

CONFIG = "english"

# The text columns searched for each model (by model name).
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "meeting": ("title", "summary"),
    "agreement": ("title", "short_name", "summary"),
    "initiative": ("name", "short_name", "summary"),
}
# Records whose other names (``aliases``: the sources' own spellings, “SOSA”) are searched
# too; on PostgreSQL their short table is matched first and the hits join the document's.
ALIASED = ("agreement", "initiative")
#: At most this many records found by an alias (a word common to thousands of aliases is
#: no use as a search: the document's matches still count in full).
ALIAS_LIMIT = 1_000
# Name searches stay plain substring matches (stemming names helps nobody).
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "official": ("name", "aliases__name"),
    "country": ("name", "official_name", "iso2", "iso3", "aliases__name"),
    "grouping": ("name", "short_name"),
    "post": ("title", "organisation", "aliases__name"),
    "source": ("title", "publisher", "summary"),
    # Outcomes have no search document (migration 0007): their summary, word by word.
    "outcome": ("summary", "slug"),
}


DOCUMENT_COLUMN = "search_document"
#: A user's terms: "a quoted phrase" is one term, other words one each.
TERM = re.compile(r'"([^"]*)"|(\S+)')


def terms(text: str) -> list[str]:
    """The words and quoted phrases of ``text`` (quotes dropped; an unclosed quote is a
    word's character). ``"maritime security" Seoul`` is two terms."""
    found = [(phrase or word).strip() for phrase, word in TERM.findall(text)]
    return [term.strip('"') for term in found if term.strip('"')]


def places(model, text: str, *, eager: bool = False) -> Q:
    """Meetings held in the city ``text`` or involving the country it names (by its name,
    official name or an alias in any case, or its alpha-3 code in capitals): what people
    type besides titles.

    Cities and countries are not in the search document (migration 0007 indexes the title
    and summary), so both backends add them as plain conditions. Other records: nothing.
    """
    if model._meta.model_name != "meeting" or not text:
        return Q(pk__in=[])
    named = Q(name__iexact=text) | Q(official_name__iexact=text) | Q(aliases__name__iexact=text)
    if len(text) == 3 and text.isalpha() and text.isupper():
        # A code only as codes are written: typed in lower case, "are", "arm" or "can" are
        # words, not the Emirates, Armenia or Canada.
        named |= Q(iso3=text)
    countries = Country.objects.filter(named).values("pk")
    if eager:
        # PostgreSQL: the countries first (a small table). Most searches name none, and a
        # condition on the meeting–country links would make it read every meeting instead
        # of ORing its indexes. (SQLite reads every meeting for LIKE anyway: a subquery.)
        countries = list(countries.values_list("pk", flat=True).distinct())
    where = Q(city__iexact=text)  # on an index of UPPER(city)
    if not eager or countries:  # (a queryset is never tested for rows here)
        links = Meeting.countries.through.objects.filter(
            meeting=OuterRef("pk"), country__in=countries
        )
        where |= Q(Exists(links))
    return where


def search_vector(model_name: str) -> SearchVector:
    """The vector as an expression (migration 0002's index; the column replaced it in 0007)."""
    return SearchVector(*SEARCH_FIELDS[model_name], config=CONFIG)


def document_sql(model_name: str) -> str:
    """SQL of the ``search_document`` column: the text columns' ``tsvector``."""
    text = " || ' ' || ".join(f"COALESCE({column}, '')" for column in SEARCH_FIELDS[model_name])
    return f"to_tsvector('{CONFIG}'::regconfig, {text})"


class SearchDocument(Expression):
    """The row's ``search_document`` column, in whatever alias the query gives its table."""

    output_field = SearchVectorField()

    def __init__(self, model):
        super().__init__()
        self.model = model

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, **kw):
        column = SearchVectorField()
        column.set_attributes_from_name(DOCUMENT_COLUMN)
        column.model = self.model
        return Col(query.get_initial_alias(), column, SearchVectorField())


def matching(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """Rows of ``queryset`` whose document matches ``query`` (PostgreSQL, on the GIN index)."""
    return queryset.alias(_document=SearchDocument(queryset.model)).filter(_document=query)


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Rows of ``queryset`` matching ``text``, a user's words (never SQL)."""
    text = (text or "").strip()
    if not text:
        return queryset
    name = queryset.model._meta.model_name
    vendor = connections[queryset.db].vendor
    if name in SEARCH_FIELDS and vendor == "postgresql":
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        if name not in ALIASED:
            where = places(queryset.model, " ".join(terms(text)), eager=True)
            document = SearchDocument(queryset.model)
            return queryset.alias(_document=document).filter(Q(_document=query) | where)
        ids = _alias_matches(queryset, query)
        if not ids:
            return matching(queryset, query)
        document = SearchDocument(queryset.model)
        return queryset.alias(_document=document).filter(Q(_document=query) | Q(pk__in=ids))
    fields = SEARCH_FIELDS.get(name) or NAME_FIELDS[name]
    if name in ALIASED:
        fields = (*fields, "aliases__name")
    condition = Q()
    words = terms(text)
    for term in words:
        condition &= _any_field(queryset.model, fields, term) | places(queryset.model, term)
    if len(words) > 1:  # a place of several words: “South Korea”, “Kuala Lumpur”
        condition |= places(queryset.model, " ".join(words))
    return queryset.filter(condition)


def _alias_matches(queryset: QuerySet, query: SearchQuery) -> list[int]:
    """Ids of the records an alias of which matches ``query`` (the alias table is short:
    read first, so the big table is asked by primary key beside its GIN index)."""
    relation = queryset.model._meta.get_field("aliases")
    aliases = relation.related_model._default_manager.using(queryset.db)
    owner = f"{relation.field.name}_id"
    found = (
        aliases.annotate(_name=SearchVector("name", config=CONFIG))
        .filter(_name=query)
        .order_by()
        .values_list(owner, flat=True)
        .distinct()
    )
    return list(found[:ALIAS_LIMIT])


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
