"""Officials, the posts they hold, and tenures: who held which post when."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, PartialDate, bound_reaches, precision_matches
from .aliases import CitedAlias, alias_constraints
from .base import Citation, SlugKeyed, SlugManager, citation_constraints


class OfficialQuerySet(models.QuerySet):
    def likely_duplicates(self, name: str, country, exclude_pk=None, limit: int = 5) -> list:
        """Officials of ``country`` whose name or an alias is ``name`` (case-insensitive)."""
        name = (name or "").strip()
        same = (
            self.filter(country=country)
            .filter(Q(name__iexact=name) | Q(aliases__name__iexact=name))
            .exclude(pk=exclude_pk)
            .distinct()
        )
        return list(same[:limit])


class Official(SlugKeyed):
    """A person who meets or signs. The name carries no honorific or rank."""

    name = models.CharField(
        max_length=200, help_text="Name without honorifics or ranks: “Rajnath Singh”."
    )
    honorific = models.CharField(
        max_length=100,
        blank=True,
        help_text="Honorifics and ranks kept apart from the name: “Shri”, “Dato' Seri”, “General”.",
    )
    country = models.ForeignKey(
        "engagements.Country",
        on_delete=models.PROTECT,
        related_name="officials",
        help_text="The country the official serves.",
    )
    notes = models.TextField(blank=True)

    objects = SlugManager.from_queryset(OfficialQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["country", "name"], name="official_country_name"),
            # The reading room's default order, read page by page (keyset) from the index.
            models.Index(fields=["name", "id"], name="official_name_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("engagements:official_detail", args=[self.slug])


class OfficialAliasManager(models.Manager):
    def get_by_natural_key(self, official_slug: str, name: str) -> OfficialAlias:
        return self.get(official__slug=official_slug, name=name)


class OfficialAlias(models.Model):
    """Another spelling or form of an official's name (“Lloyd J. Austin”, “Lloyd Austin”)."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    objects = OfficialAliasManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["official__name", "name"]
        verbose_name = "official alias"
        verbose_name_plural = "official aliases"
        constraints = [
            models.UniqueConstraint(
                "official",
                Lower("name"),
                name="official_alias_unique_name",
                violation_error_message="This official already has this alias.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.official.slug, self.name)

    natural_key.dependencies = ["engagements.official"]


class Post(SlugKeyed):
    """An office in a government, held by different people over time."""

    title = models.CharField(
        max_length=200, help_text="The office, e.g. “Minister of Defence”, without its country."
    )
    country = models.ForeignKey(
        "engagements.Country", on_delete=models.PROTECT, related_name="posts"
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Ministry or body, e.g. “Ministry of Defence”."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "title"],
                name="post_unique_title_per_country",
                violation_error_message="This country already has a post with this title.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.country}"

    def holders_between(self, first: dt.date, last: dt.date | None = None) -> models.QuerySet:
        """Officials who held this post at some point from ``first`` to ``last``."""
        tenures = Tenure.objects.filter(post=self).held_between(first, last or first)
        return Official.objects.filter(tenures__in=tenures).distinct()

    def get_absolute_url(self) -> str:
        return reverse("engagements:post_detail", args=[self.slug])


class PostAlias(CitedAlias):
    """Another title a source gives a post (“US Secretary of Defence”)."""

    owner_field = "post"
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="aliases")

    history = HistoricalRecords()

    class Meta(CitedAlias.Meta):
        ordering = ["post_id", "name"]
        verbose_name = "post alias"
        verbose_name_plural = "post aliases"
        constraints = alias_constraints("post")

    def natural_key(self) -> tuple[str, str]:
        return super().natural_key()

    natural_key.dependencies = ["engagements.post"]


def _end_covers(first: dt.date) -> Q:
    """Q: a tenure's end bound reaches ``first`` (a coarse end covers its whole month/year)."""
    return Q(end_date__isnull=True, start_date__isnull=False) | bound_reaches(
        "end_date", "end_precision", first
    )


class TenureQuerySet(models.QuerySet):
    def held_between(self, first: dt.date, last: dt.date) -> TenureQuerySet:
        """Tenures that overlap the days ``first`` to ``last`` (inclusive).

        A tenure with no start date is not known to cover any day and is left out; one with a
        start and no end is taken as running on.
        """
        return self.filter(Q(start_date__lte=last) & _end_covers(first))

    def held_on(self, day: dt.date) -> TenureQuerySet:
        return self.held_between(day, day)

    def held_during(self, when: PartialDate) -> TenureQuerySet:
        """Tenures overlapping a partial date: “July 2023” means any day of July 2023."""
        return self.held_between(when.date, when.last_day())


class TenureManager(models.Manager.from_queryset(TenureQuerySet)):
    def get_by_natural_key(self, official_slug: str, post_slug: str, start: str | None):
        return self.get(official__slug=official_slug, post__slug=post_slug, start_date=start)


class Tenure(models.Model):
    """An official holding a post over a period.

    Sources often show someone in post on a date without saying when the tenure began or
    ended. Then the start and end are the earliest and latest dates the sources attest, and
    ``start_exact``/``end_exact`` stay off: the real tenure is at least this long.
    """

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="tenures")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="tenures")
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    start_exact = models.BooleanField(
        "began on this date",
        default=False,
        help_text="Ticked: the tenure began on the start date. Unticked: the start date is "
        "the earliest date the sources show the official in post.",
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Blank when the tenure runs on or its end is unknown."
    )
    end_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    end_exact = models.BooleanField(
        "ended on this date",
        default=False,
        help_text="Ticked: the tenure ended on the end date. Unticked: the end date is the "
        "latest date the sources show the official in post.",
    )
    sources = models.ManyToManyField(
        "engagements.Source", through="TenureCitation", related_name="tenures"
    )

    objects = TenureManager()
    history = HistoricalRecords()

    class Meta:
        # By id, not "post": ordering by a relation would join and sort by the post's ordering.
        ordering = ["post_id", F("start_date").asc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=precision_matches("start_precision", "start_date"),
                name="tenure_start_precision",
                violation_error_message="The start date does not match its precision.",
            ),
            models.CheckConstraint(
                condition=precision_matches("end_precision", "end_date"),
                name="tenure_end_precision",
                violation_error_message="The end date does not match its precision.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="tenure_end_after_start",
                violation_error_message="The end date is before the start date.",
            ),
            models.UniqueConstraint(
                fields=["official", "post", "start_date"],
                name="tenure_unique_start",
                violation_error_message="This official already has a tenure in this post "
                "starting on this date.",
            ),
            # NULLs are distinct in a unique constraint: one undated tenure per post, so the
            # natural key (official, post, None) names one row.
            models.UniqueConstraint(
                fields=["official", "post"],
                condition=Q(start_date__isnull=True),
                name="tenure_unique_undated",
                violation_error_message="This official already has a tenure in this post "
                "without a start date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.post.title} ({self.period})"

    def natural_key(self) -> tuple:
        start = self.start_date.isoformat() if self.start_date else None
        return (self.official.slug, self.post.slug, start)

    natural_key.dependencies = ["engagements.official", "engagements.post"]

    @property
    def start(self) -> PartialDate:
        return PartialDate(self.start_date, self.start_precision)

    @property
    def end(self) -> PartialDate:
        return PartialDate(self.end_date, self.end_precision)

    @property
    def period(self) -> str:
        """The tenure in words: “by 10 July 2023 – at least 10 July 2023”, “dates unknown”."""
        end = ""
        if self.end_date is not None:
            end = self.end.humanize()
            if not self.end_exact:
                end = f"at least {end}"
        if self.start_date is None:
            return f"until {end}" if end else "dates unknown"
        start = self.start.humanize()
        if not self.start_exact:
            start = f"by {start}"
        return f"{start} – {end}" if end else f"{start} –"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})

    def covers(self, first: dt.date, last: dt.date) -> bool:
        """``TenureQuerySet.held_between`` for this tenure, in Python (tested to agree).

        For checks of many rows at once (a CSV import) against tenures loaded beforehand.
        """
        if self.start_date is None or self.start_date > last:
            return False
        if self.end_date is None:
            return True
        floor = {
            DatePrecision.DAY: first,
            DatePrecision.MONTH: first.replace(day=1),
            DatePrecision.YEAR: first.replace(month=1, day=1),
        }.get(self.end_precision)
        return floor is not None and self.end_date >= floor


class TenureCitation(Citation):
    record_field = "tenure"
    tenure = models.ForeignKey(Tenure, on_delete=models.CASCADE, related_name="citations")

    history = HistoricalRecords()

    class Meta(Citation.Meta):
        verbose_name = "tenure citation"
        constraints = citation_constraints("tenure")
