"""Countries (with ISO codes and aliases) and groupings of countries."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, PartialDate, bound_reaches, precision_matches
from .base import SlugKeyed, upper_code

#: A Wikidata item identifier: Q and a number without leading zeros (Q668 is India).
WIKIDATA_QID = r"^Q[1-9][0-9]*$"


class CountryQuerySet(models.QuerySet):
    def matching(self, text: str) -> CountryQuerySet:
        """Countries whose ISO code, name or an alias is ``text`` (case-insensitive)."""
        text = (text or "").strip()
        return self.filter(
            Q(iso2__iexact=text)
            | Q(iso3__iexact=text)
            | Q(name__iexact=text)
            | Q(official_name__iexact=text)
            | Q(aliases__name__iexact=text)
        ).distinct()

    def partners(self) -> CountryQuerySet:
        """India's partners: countries other than India in a meeting, agreement or initiative.

        The overview's figure and the country list's ``engaged`` filter, one definition.
        """
        country = self.model
        return self.exclude(iso2="IN").filter(
            Q(Exists(country.meetings.through.objects.filter(country=OuterRef("pk"))))
            | Q(Exists(country.agreements.through.objects.filter(country=OuterRef("pk"))))
            | Q(Exists(country.initiatives.through.objects.filter(country=OuterRef("pk"))))
        )


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def get_by_natural_key(self, iso2: str) -> Country:
        return self.get(iso2=iso2)

    def resolve(self, text: str) -> Country:
        """The one country ``text`` names, or ``Country.DoesNotExist`` saying what was tried."""
        found = list(self.matching(text)[:2])
        if len(found) != 1:
            raise self.model.DoesNotExist(
                f"No country has the code, name or alias {text!r}."
                if not found
                else f"{text!r} names more than one country."
            )
        return found[0]


class Country(models.Model):
    name = models.CharField(
        max_length=100, unique=True, help_text="Common English name, e.g. “South Korea”."
    )
    official_name = models.CharField(
        max_length=200, blank=True, help_text="Formal name, e.g. “Republic of Korea”."
    )
    iso2 = models.CharField(
        "ISO alpha-2", max_length=2, unique=True, help_text="ISO 3166-1 alpha-2 code, e.g. KR."
    )
    iso3 = models.CharField(
        "ISO alpha-3", max_length=3, unique=True, help_text="ISO 3166-1 alpha-3 code, e.g. KOR."
    )
    wikidata = models.CharField(
        "Wikidata QID",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                WIKIDATA_QID,
                "A Wikidata QID is Q followed by the item's number, as in Q884 (no spaces, "
                "no URL).",
            )
        ],
        help_text="The country's Wikidata item, e.g. Q884 for South Korea (a join key for "
        "other datasets); blank until a curator looks it up.",
    )

    objects = CountryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=upper_code("iso2", 2),
                name="country_iso2_format",
                violation_error_message="The ISO alpha-2 code must be two upper-case letters.",
            ),
            models.CheckConstraint(
                condition=upper_code("iso3", 3),
                name="country_iso3_format",
                violation_error_message="The ISO alpha-3 code must be three upper-case letters.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata="") | Q(wikidata__regex=WIKIDATA_QID),
                name="country_wikidata_qid",
                violation_error_message="A Wikidata QID is Q followed by a number, as in Q884.",
            ),
            models.UniqueConstraint(
                fields=["wikidata"],
                condition=~Q(wikidata=""),
                name="country_wikidata_unique",
                violation_error_message="Another country already has this Wikidata QID.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("engagements:country_detail", args=[self.iso2.lower()])

    def natural_key(self) -> tuple[str]:
        return (self.iso2,)


class CountryAliasManager(models.Manager):
    def get_by_natural_key(self, name: str) -> CountryAlias:
        return self.get(name=name)


class CountryAlias(models.Model):
    """Another name a source may use for a country (“ROK”, “Republic of Korea”)."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    objects = CountryAliasManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = "country alias"
        verbose_name_plural = "country aliases"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="country_alias_unique_name",
                violation_error_message="This alias already names a country.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.country}"

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    natural_key.dependencies = ["engagements.country"]

    def clean(self) -> None:
        # A country is found by ISO code, name, official name or alias (CSV files, search):
        # an alias that is another country's name or code would make that ambiguous.
        name = (self.name or "").strip()
        if not name:
            return
        other = (
            Country.objects.filter(
                Q(iso2__iexact=name)
                | Q(iso3__iexact=name)
                | Q(name__iexact=name)
                | Q(official_name__iexact=name)
            )
            .exclude(pk=self.country_id)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "name": f"“{name}” is the ISO code, name or official name of {other} "
                    f"({other.iso2}): an alias may not name another country, or files and "
                    "searches could not tell the two apart."
                }
            )


class GroupingKind(models.TextChoices):
    REGIONAL = "regional", "Regional organisation"
    MINILATERAL = "minilateral", "Minilateral partnership"
    FORUM = "forum", "Multilateral forum"


class Grouping(SlugKeyed):
    """A group of countries that acts or meets together: ASEAN, the Quad, ADMM-Plus."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=50, unique=True, help_text="The name used in running text, e.g. “ADMM-Plus”."
    )
    kind = models.CharField(max_length=20, choices=GroupingKind.choices)
    members = models.ManyToManyField(
        Country,
        through="Membership",
        related_name="groupings",
        blank=True,
        help_text="Member countries, past and present (each membership dated).",
    )
    description = models.TextField(blank=True)

    # Memberships keep their own history (Membership.history), as citations do.
    history = HistoricalRecords()

    class Meta:
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("engagements:grouping_detail", args=[self.slug])

    def members_on(self, day: dt.date) -> models.QuerySet:
        """The countries that were members on ``day`` (a membership of unknown start counts)."""
        return Country.objects.filter(memberships__in=self.memberships.held_on(day))


class MembershipQuerySet(models.QuerySet):
    def held_on(self, day: dt.date) -> MembershipQuerySet:
        """Memberships running on ``day``: joined by then (or undated) and not yet left.

        A coarse date covers its whole month or year: joined in 2025 counts from 1 January, as
        the sources cannot say more; left in 2025 counts until 31 December.
        """
        # A coarse date is stored as the first day of its month or year: on or before ``day``.
        joined = Q(joined_on__isnull=True) | Q(joined_on__lte=day)
        not_left = Q(left_on__isnull=True) | bound_reaches("left_on", "left_precision", day)
        return self.filter(joined & not_left)


class MembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    def get_by_natural_key(self, grouping_slug: str, iso2: str) -> Membership:
        return self.get(grouping__slug=grouping_slug, country__iso2=iso2)


class Membership(models.Model):
    """A country's membership of a grouping, with when it began and ended.

    Reference data: groupings' own member lists, not the news sources; ``note`` says where the
    dates come from. The table is the one the plain many-to-many used (rows kept).
    """

    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField(
        "joined", null=True, blank=True, help_text="When it joined; blank when not known."
    )
    joined_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    left_on = models.DateField(
        "left", null=True, blank=True, help_text="When it left; blank while it is a member."
    )
    left_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="Where the dates come from (a reference)."
    )

    objects = MembershipManager()
    history = HistoricalRecords()

    class Meta:
        db_table = "engagements_grouping_members"
        ordering = ["grouping_id", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["grouping", "country"],
                name="membership_unique",
                violation_error_message="This country is already a member of this grouping.",
            ),
            models.CheckConstraint(
                condition=precision_matches("joined_precision", "joined_on"),
                name="membership_joined_precision",
                violation_error_message="The date joined does not match its precision.",
            ),
            models.CheckConstraint(
                condition=precision_matches("left_precision", "left_on"),
                name="membership_left_precision",
                violation_error_message="The date left does not match its precision.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message="A country cannot leave before it joined.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.grouping}"

    def natural_key(self) -> tuple[str, str]:
        return (self.grouping.slug, self.country.iso2)

    natural_key.dependencies = ["engagements.grouping", "engagements.country"]

    @property
    def joined(self) -> PartialDate:
        return PartialDate(self.joined_on, self.joined_precision)

    @property
    def left(self) -> PartialDate:
        return PartialDate(self.left_on, self.left_precision)
