"""Aggregates over whole tables (the overview, the country list), cached when tables are big.

On the seed data they are computed on every request, so an edit shows at once. Past
``caching.COUNT_LIMIT`` meetings (a million-row benchmark, years of curation) a GROUP BY over
every meeting costs more than a page should, so the figures are kept for a few minutes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Count
from django.db.models.functions import ExtractYear

from ..caching import kept, table_is_big
from ..models import Agreement, Country, Initiative, Meeting, MeetingStatus, Official, Source

T = TypeVar("T")


def cached(label: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept for a few minutes when the meetings table is big."""
    return kept(f"stats:{label}", compute, big=table_is_big(Meeting))


def _record_counts() -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for noun, through, column in (
        ("meetings", Meeting.countries.through, "meeting"),
        ("agreements", Agreement.parties.through, "agreement"),
        ("initiatives", Initiative.countries.through, "initiative"),
    ):
        rows = through.objects.order_by().values("country_id").annotate(n=Count(column))
        for row in rows:
            counts[row["country_id"]][noun] = row["n"]
    return dict(counts)


def record_counts() -> dict[int, dict[str, int]]:
    """{country id: {"meetings": n, "agreements": n, "initiatives": n}}."""
    return cached("record_counts", _record_counts)


def grouping_meeting_counts() -> dict[int, int]:
    """{grouping id: meetings it convened}."""

    def compute():
        rows = (
            Meeting.objects.order_by()
            .filter(grouping__isnull=False)
            .values("grouping_id")
            .annotate(n=Count("pk"))
        )
        return {r["grouping_id"]: r["n"] for r in rows}

    return cached("grouping_meeting_counts", compute)


def meetings_per_year(qs=None) -> list[tuple[int, int]]:
    """Held meetings per year (charts leave out scheduled and cancelled ones)."""
    qs = Meeting.objects.all() if qs is None else qs
    rows = (
        qs.order_by()
        .filter(start_date__isnull=False, status=MeetingStatus.HELD)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return [(r["year"], r["n"]) for r in rows]


def meetings_per_kind() -> list[tuple[str, int]]:
    """Held meetings of each kind."""
    rows = (
        Meeting.objects.order_by()
        .filter(status=MeetingStatus.HELD)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return [(r["kind"], r["n"]) for r in rows]


def top_partners(limit: int = 15) -> list[dict]:
    """Countries other than India, ranked by the held meetings they share with India."""
    rows = (
        Meeting.countries.through.objects.exclude(country__iso2="IN")
        .filter(meeting__status=MeetingStatus.HELD)
        .values("country__iso2", "country__name")
        .annotate(n=Count("meeting"))
        .order_by("-n", "country__name")[:limit]
    )
    return [{"iso2": r["country__iso2"], "name": r["country__name"], "n": r["n"]} for r in rows]


def overview_figures() -> dict:
    def compute():
        engaged = Country.objects.partners().count()
        return {
            "counts": {
                "meetings": Meeting.objects.count(),
                "agreements": Agreement.objects.count(),
                "initiatives": Initiative.objects.count(),
                "officials": Official.objects.count(),
                "countries": engaged,
                "sources": Source.objects.count(),
                "all_countries": Country.objects.count(),
            },
            "per_year": meetings_per_year(),
            "per_kind": meetings_per_kind(),
            "partners": top_partners(),
        }

    return cached("overview", compute)
