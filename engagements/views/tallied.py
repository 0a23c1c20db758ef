"""A big meetings list's count and facets, read from ``MeetingTally`` where it answers
exactly: filters over one country, a year range, kinds and statuses only, no search.

The counts are the ones the scans give (the same rows, the same order); any other filter (two
countries, an official, a grouping, a topic, words) keeps the scans.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from ..models import MeetingTally

#: The filters the tally answers for (``country`` with one value).
TALLIED = {"country", "year_from", "year_to", "kind", "status"}
INDIA = "IN"  # never a facet value: every meeting has it (as CountryFacet leaves it out)


@dataclass(frozen=True)
class MeetingTallyReader:
    country: int | None
    year_from: int | None
    year_to: int | None
    kinds: tuple[str, ...]
    statuses: tuple[str, ...]

    @classmethod
    def for_filters(cls, filterset) -> MeetingTallyReader | None:
        """The reader for the filterset's (valid) filters; None when they are not all
        answered by the tally."""
        data = filterset.form.cleaned_data
        used = {k for k, v in data.items() if k != "sort" and v not in (None, "", [], False)}
        countries = data.get("country") or []
        if not used <= TALLIED or len(countries) > 1:
            return None
        return cls(
            country=countries[0].pk if countries else None,
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            kinds=tuple(data.get("kind") or ()),
            statuses=tuple(data.get("status") or ()),
        )

    def answers(self, label: str) -> bool:
        return label in ("total", "countries", "column:kind", "years:start_date")

    def count(self, label: str, drop: str = ""):
        """What ``label``'s facet (or the total) counts over the rows every filter but
        ``drop`` leaves, shaped as the facet's own query gives it."""
        if label == "total":
            return self.rows(drop).aggregate(n=Sum("n"))["n"] or 0
        if label == "column:kind":
            rows = self.rows(drop).values("kind").annotate(n=Sum("n")).filter(n__gt=0)
            return list(rows.order_by("-n", "kind"))
        if label == "years:start_date":
            rows = self.rows(drop).exclude(year=0).values("year").annotate(n=Sum("n"))
            return list(rows.filter(n__gt=0).order_by("year"))
        if label == "countries":
            return self.countries(drop)
        raise ValueError(f"The meeting tally does not count {label!r}.")

    def countries(self, drop: str) -> list[dict]:
        """Per country, the meetings linked to it (and to the chosen country, if any)."""
        pairs = self.country is not None and drop != "country"
        rows = self.rows(drop, scope=False)
        if pairs:
            rows = rows.filter(country_id=self.country).exclude(partner_id=0)
            side = "partner"
        else:
            rows = rows.filter(partner_id=0).exclude(country_id=0)
            side = "country"
        rows = (
            rows.exclude(**{f"{side}__iso2": INDIA})
            .values(f"{side}__iso2", f"{side}__name")
            .annotate(n=Sum("n"))
            .filter(n__gt=0)
            .order_by("-n", f"{side}__name")
        )
        return [
            {"country__iso2": r[f"{side}__iso2"], "country__name": r[f"{side}__name"], "n": r["n"]}
            for r in rows
        ]

    def rows(self, drop: str = "", *, scope: bool = True) -> QuerySet:
        """The tally's rows under every filter but ``drop``; ``scope``: those counting
        meetings (of the chosen country, when there is one and it is not dropped)."""
        rows = MeetingTally.objects.all()
        if scope:
            country = self.country if drop != "country" else None
            rows = rows.filter(partner_id=0, country_id=country or 0)
        bounded = self.year_from is not None or self.year_to is not None
        if drop not in ("year_from", "year_to") and bounded:
            rows = rows.filter(year__gt=0)  # an undated meeting is in no year range
            if self.year_from is not None:
                rows = rows.filter(year__gte=self.year_from)
            if self.year_to is not None:
                rows = rows.filter(year__lte=self.year_to)
        if self.kinds and drop != "kind":
            rows = rows.filter(kind__in=self.kinds)
        if self.statuses and drop != "status":
            rows = rows.filter(status__in=self.statuses)
        return rows
