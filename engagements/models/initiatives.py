"""Initiatives: policies, programmes, standing mechanisms, exhibitions, joint efforts."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, PartialDate, precision_matches
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


class InitiativeCitation(Citation):
    record_field = "initiative"
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="citations")

    history = HistoricalRecords()

    class Meta(Citation.Meta):
        verbose_name = "initiative citation"
        constraints = citation_constraints("initiative")
