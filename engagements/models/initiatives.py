"""Initiatives: policies, programmes, standing mechanisms, exhibitions, joint efforts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, PartialDate, precision_matches
from .aliases import CitedAlias, alias_constraints
from .base import Citation, SlugKeyed, citation_constraints


class InitiativeKind(models.TextChoices):
    POLICY = "policy", "Policy"
    PROGRAMME = "programme", "Programme"
    MECHANISM = "mechanism", "Standing mechanism"
    EXHIBITION = "exhibition", "Exhibition"
    JOINT_EFFORT = "joint_effort", "Joint effort"
    PARTNERSHIP = "partnership", "Partnership framework"


class Initiative(SlugKeyed):
    """A policy, programme, mechanism, exhibition or joint effort India takes part in."""

    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=50, blank=True, help_text="e.g. “MAITRI”.")
    kind = models.CharField(max_length=20, choices=InitiativeKind.choices)
    countries = models.ManyToManyField(
        "engagements.Country",
        related_name="initiatives",
        blank=True,
        help_text="Countries behind it.",
    )
    groupings = models.ManyToManyField(
        "engagements.Grouping",
        related_name="initiatives",
        blank=True,
        help_text="Groupings behind it (the Quad).",
    )
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    summary = models.TextField(blank=True, help_text="What it is, in our own words.")
    meetings = models.ManyToManyField(
        "engagements.Meeting",
        related_name="initiatives",
        blank=True,
        help_text="Meetings where it was discussed or launched.",
    )
    agreements = models.ManyToManyField(
        "engagements.Agreement", related_name="initiatives", blank=True
    )
    topics = models.ManyToManyField("engagements.Topic", related_name="initiatives", blank=True)
    sources = models.ManyToManyField(
        "engagements.Source", through="InitiativeCitation", related_name="initiatives"
    )

    history = HistoricalRecords(m2m_fields=[countries, groupings, meetings, agreements, topics])

    class Meta:
        ordering = ["name"]
        # The reading room's default order, read page by page (keyset) from the index.
        indexes = [models.Index(fields=["name", "id"], name="initiative_name_id")]
        constraints = [
            models.CheckConstraint(
                condition=precision_matches("start_precision", "start_date"),
                name="initiative_start_precision",
                violation_error_message="The start date does not match its precision.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    @property
    def start(self) -> PartialDate:
        return PartialDate(self.start_date, self.start_precision)

    def get_absolute_url(self) -> str:
        return reverse("engagements:initiative_detail", args=[self.slug])

    @property
    def current_level(self) -> PartnershipLevel | None:
        """A partnership's latest recorded level (uses prefetched ``levels``): the latest
        dated, else the last entered."""

        def order(level):
            return (level.date is not None, level.date or 0, level.pk or 0)

        return max(self.levels.all(), key=order, default=None)


class InitiativeAlias(CitedAlias):
    """Another name a source uses for an initiative (“Act-East policy”)."""

    owner_field = "initiative"
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="aliases")

    history = HistoricalRecords()

    class Meta(CitedAlias.Meta):
        ordering = ["initiative_id", "name"]
        verbose_name = "initiative alias"
        verbose_name_plural = "initiative aliases"
        constraints = alias_constraints("initiative")

    def natural_key(self) -> tuple[str, str]:
        return super().natural_key()

    natural_key.dependencies = ["engagements.initiative"]


class Level(models.TextChoices):
    """Levels of a partnership framework, lowest first, as India's partnerships are named."""

    STRATEGIC = "strategic", "Strategic Partnership"
    ENHANCED_STRATEGIC = "enhanced_strategic", "Enhanced Strategic Partnership"
    GLOBAL_STRATEGIC = "global_strategic", "Global Strategic Partnership"
    COMPREHENSIVE_STRATEGIC = "comprehensive_strategic", "Comprehensive Strategic Partnership"
    SPECIAL_STRATEGIC = "special_strategic", "Special Strategic Partnership"
    SPECIAL_STRATEGIC_GLOBAL = (
        "special_strategic_global",
        "Special Strategic and Global Partnership",
    )
    COMPREHENSIVE_STRATEGIC_GLOBAL = (
        "comprehensive_strategic_global",
        "Comprehensive Strategic and Global Partnership",
    )


class PartnershipLevelManager(models.Manager):
    def get_by_natural_key(self, initiative_slug: str, level: str, date: str | None):
        return self.get(initiative__slug=initiative_slug, level=level, date=date)


class PartnershipLevel(models.Model):
    """A partnership framework at a level on a date: its elevation, or a date it is in force.

    A source that calls a partnership “special strategic” on a day shows the level in force
    then, not when it was reached: ``attested`` stays off. A date from outside the sources
    (an elevation known from a joint statement) names where it comes from in ``reference``.
    """

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="levels",
        limit_choices_to={"kind": InitiativeKind.PARTNERSHIP},
        help_text="A partnership framework (an initiative of kind partnership).",
    )
    level = models.CharField(max_length=40, choices=Level.choices)
    date = models.DateField(null=True, blank=True, help_text="Blank when the date is unknown.")
    precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    attested = models.BooleanField(
        "elevated on this date",
        default=False,
        help_text="Ticked: the partnership reached this level on the date. Unticked: the date "
        "is one a source shows the level in force.",
    )
    source = models.ForeignKey(
        "engagements.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The source that gives the level.",
    )
    paragraph = models.PositiveSmallIntegerField(null=True, blank=True)
    reference = models.CharField(
        max_length=300,
        blank=True,
        help_text="When no source paragraph gives it: where the level or date comes from.",
    )
    note = models.CharField(max_length=300, blank=True)

    objects = PartnershipLevelManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative_id", F("date").asc(nulls_first=True), "id"]
        verbose_name = "partnership level"
        constraints = [
            models.CheckConstraint(
                condition=precision_matches("precision", "date"),
                name="partnership_level_date_precision",
                violation_error_message="The date does not match its precision.",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True, paragraph__isnull=True)
                | Q(source__isnull=False, paragraph__isnull=False, paragraph__gte=1),
                name="partnership_level_source_paragraph",
                violation_error_message="A source needs its paragraph (numbered from 1), and "
                "a paragraph its source.",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=False) | ~Q(reference=""),
                name="partnership_level_cited",
                violation_error_message="Cite a source paragraph, or say in the reference "
                "where the level comes from.",
            ),
            models.UniqueConstraint(
                fields=["initiative", "level", "date"],
                name="partnership_level_unique",
                violation_error_message="This partnership already has this level on this date.",
            ),
            # NULLs are distinct in a unique constraint: one undated row per level.
            models.UniqueConstraint(
                fields=["initiative", "level"],
                condition=Q(date__isnull=True),
                name="partnership_level_unique_undated",
                violation_error_message="This partnership already has this level without a date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.when.humanize()})"

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.precision)

    @property
    def citation(self) -> str:
        return f"{self.source.key} ¶ {self.paragraph}" if self.source_id else ""

    def natural_key(self) -> tuple:
        return (self.initiative.slug, self.level, self.date.isoformat() if self.date else None)

    natural_key.dependencies = ["engagements.initiative"]

    def clean(self) -> None:
        # The database cannot check a related row's kind: the form and the import do.
        if self.initiative_id is not None and self.initiative.kind != InitiativeKind.PARTNERSHIP:
            raise ValidationError(
                {
                    "initiative": f"“{self.initiative}” is not a partnership framework (its "
                    "kind is not partnership): only partnerships have levels."
                }
            )


class InitiativeCitation(Citation):
    record_field = "initiative"
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="citations")

    history = HistoricalRecords()

    class Meta(Citation.Meta):
        verbose_name = "initiative citation"
        constraints = citation_constraints("initiative")
