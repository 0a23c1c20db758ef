"""The source register: one record per source document."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, PartialDate, precision_matches


class SourceManager(models.Manager):
    def get_by_natural_key(self, key: str) -> Source:
        return self.get(key=key)


class Source(models.Model):
    """A document facts are taken from. Its summary is ours; its text is not copied here."""

    key = models.CharField(
        max_length=100,
        unique=True,
        help_text="The document's identifier, e.g. its file name without “.txt”.",
    )
    title = models.CharField(max_length=300, help_text="Headline, or a descriptive title.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Blank when not known.")
    url = models.URLField("URL", max_length=500, blank=True)
    published_on = models.DateField(
        "publication date", null=True, blank=True, help_text="Blank when the document is undated."
    )
    published_precision = models.CharField(
        "precision of publication date",
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    dateline = models.CharField(
        max_length=200, blank=True, help_text="Place of the dateline, e.g. “New Delhi”."
    )
    summary = models.TextField(help_text="What the document reports, in our own words.")
    curation_notes = models.TextField(
        blank=True,
        help_text="Corrections made while curating (misspellings, resolved relative dates) "
        "and what was left out.",
    )

    objects = SourceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=precision_matches("published_precision", "published_on"),
                name="source_date_precision",
                violation_error_message="The publication date does not match its precision.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagements:source_detail", args=[self.key])

    def natural_key(self) -> tuple[str]:
        return (self.key,)

    @property
    def published(self) -> PartialDate:
        return PartialDate(self.published_on, self.published_precision)
