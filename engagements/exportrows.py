"""CSV rows of the biggest table straight from ``values_list``: no model instances, no widgets.

A streamed export of every meeting through ``MeetingResource.export_csv_row`` builds a model
instance, a prefetch cache and fourteen field/widget calls per row: a few thousand rows a
second. Here the same columns come from one ``values_list`` over a server-side cursor plus two
queries per chunk, formatted by the same rules (``DateSpan`` text dates, ISO codes,
``;``-separated lists, formula escaping). A test checks that both paths write
identical rows (``tests/test_scale_querycounts.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db import connections, transaction
from django.db.models import QuerySet

from .dates import DateSpan
from .models import Country, Grouping, Initiative, Meeting
from .resources import FORMULA_STARTS, LIST_SEPARATOR, MeetingResource

_STARTS = frozenset(FORMULA_STARTS)
assert all(len(s) == 1 for s in FORMULA_STARTS)  # so that a first-character test suffices


def _escape(text: str) -> str:
    """``escape_formula`` for a non-empty ``str`` (the hot path of a million-row export)."""
    return "'" + text if text[:1] in _STARTS else text


CHUNK = 5_000

MEETING_VALUES = (
    "pk",
    "slug",
    "title",
    "kind",
    "status",
    "start_date",
    "end_date",
    "date_precision",
    "city",
    "country_id",
    "host_id",
    "grouping_id",
    "mechanism_id",
    "edition",
    "parent_id",
    "summary",
)


def meeting_rows(queryset: QuerySet) -> Iterator[list[str]]:
    """The rows ``MeetingResource.export_csv_row`` writes, for every meeting of ``queryset``.

    ``queryset`` keeps its filters and order. The meetings are read without joins (so the
    database streams them straight off the ordering index); countries, groupings and
    mechanisms are small tables held in dictionaries, and each chunk of CHUNK meetings costs
    two more queries (its countries, its parents' slugs).
    """
    if MeetingResource().get_export_headers() != list(HEADERS):
        raise RuntimeError("MeetingResource's columns changed: update exportrows.py.")
    db = queryset.db
    # In a transaction, PostgreSQL's server-side cursor streams. In autocommit mode Django
    # declares it WITH HOLD, and PostgreSQL then materialises every row before the first.
    with transaction.atomic(using=db):
        yield from _meeting_rows(queryset, db)


def _meeting_countries(db: str, ids: list[int]) -> Iterator[tuple[int, int]]:
    connection = connections[db]
    if connection.vendor == "postgresql":  # one array parameter, not thousands
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT meeting_id, country_id FROM engagements_meeting_countries "
                "WHERE meeting_id = ANY(%s)",
                [ids],
            )
            yield from cursor.fetchall()
        return
    through = Meeting.countries.through.objects.using(db)
    yield from through.filter(meeting_id__in=ids).values_list("meeting_id", "country_id")


def _meeting_rows(queryset: QuerySet, db: str) -> Iterator[list[str]]:
    iso2 = dict(Country.objects.using(db).values_list("pk", "iso2"))
    groupings = dict(Grouping.objects.using(db).values_list("pk", "slug"))
    mechanisms = dict(
        Initiative.objects.using(db).filter(kind="mechanism").values_list("pk", "slug")
    )
    rows = queryset.values_list(*MEETING_VALUES).iterator(chunk_size=CHUNK)
    separator = f"{LIST_SEPARATOR} "
    date_texts: dict[tuple, str] = {}  # a few thousand distinct dates over a million rows
    while chunk := list(islice(rows, CHUNK)):
        countries: dict[int, list[str]] = defaultdict(list)
        ids = [r[0] for r in chunk]
        for meeting_id, country_id in _meeting_countries(db, ids):
            countries[meeting_id].append(iso2[country_id])
        parent_ids = {r[14] for r in chunk if r[14] is not None}
        parents = dict(
            Meeting.objects.using(db).filter(pk__in=parent_ids).values_list("pk", "slug")
            if parent_ids
            else ()
        )
        for (
            pk,
            slug,
            title,
            kind,
            status,
            start,
            end,
            precision,
            city,
            country,
            host,
            grouping,
            mechanism,
            edition,
            parent,
            summary,
        ) in chunk:
            if mechanism is not None and mechanism not in mechanisms:  # not of kind mechanism
                mechanisms[mechanism] = Initiative.objects.using(db).get(pk=mechanism).slug
            dates = date_texts.get((start, end, precision))
            if dates is None:
                dates = date_texts[start, end, precision] = DateSpan(
                    start, end, precision
                ).isoformat()
            yield [
                _escape(slug),
                _escape(title),
                kind,
                status,
                dates,
                _escape(city),
                iso2[country] if country else "",
                iso2[host] if host else "",
                separator.join(sorted(countries.get(pk, ()))),
                _escape(groupings[grouping]) if grouping else "",
                _escape(mechanisms[mechanism]) if mechanism else "",
                "" if edition is None else str(edition),
                _escape(parents[parent]) if parent else "",
                _escape(summary),
            ]


HEADERS = (
    "slug",
    "title",
    "kind",
    "status",
    "dates",
    "city",
    "country",
    "host",
    "countries",
    "grouping",
    "mechanism",
    "edition",
    "parent",
    "summary",
)

#: Resource name → fast row function, for the exports that have one.
FAST_ROWS = {"MeetingResource": meeting_rows}
