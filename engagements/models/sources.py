"""The source register: one record per source document."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, PartialDate, precision_matches
from ..paragraphs import count_paragraphs, split_paragraphs


class SourceManager(models.Manager):
    """Sources without their ``text`` loaded: pages and exports never read it (staff only,
    and long); the admin's form asks for it."""

    def get_queryset(self):
        return super().get_queryset().defer("text")

    def get_by_natural_key(self, key: str) -> Source:
        return self.get(key=key)


class Source(models.Model):
    """A document facts are taken from. Its summary is ours.

    Its ``text`` is kept for staff only (to number its paragraphs and show what a citation
    points at): no public column, page, export or release carries it, and the repository
    never holds it (the seed loads it from a folder outside, ``seed --source-texts``).
    """

    key = models.CharField(
        max_length=100,
        unique=True,
        help_text="The report's identifier, short and stable: citations and CSV files name "
        "it, e.g. its file name without “.txt” (002_e5b3391f3894ea28) or "
        "publisher-date-subject (pib-2024-11-21-admm-plus).",
    )
    title = models.CharField(
        max_length=300,
        help_text="The headline as published; a descriptive title of ours when it has none.",
    )
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who published the report: the outlet or office (Press Information Bureau, "
        "The Hindu), not the reporter. Blank when not known.",
    )
    url = models.URLField(
        "URL",
        max_length=500,
        blank=True,
        help_text="The address the report was read at (its canonical page, not a search "
        "result or a shortened link). Blank when it has none.",
    )
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
        max_length=200,
        blank=True,
        help_text="The place the report was filed from, as its first line gives it "
        "(“New Delhi”), without the date or the agency. Blank when it has none.",
    )
    summary = models.TextField(help_text="What the document reports, in our own words.")
    curation_notes = models.TextField(
        blank=True,
        help_text="Corrections made while curating (misspellings, resolved relative dates) "
        "and what was left out.",
    )

    text = models.TextField(
        blank=True,
        help_text="Staff only: the report's text as published, paragraphs separated by blank "
        "lines. Never shown on public pages or exported.",
    )
    paragraph_count = models.PositiveSmallIntegerField(
        "paragraphs",
        null=True,
        blank=True,
        help_text="How many paragraphs the report has: counted from its text when given; "
        "blank when not known. Citations are checked against it.",
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
            models.CheckConstraint(
                condition=models.Q(paragraph_count__isnull=True) | models.Q(paragraph_count__gte=1),
                name="source_paragraph_count_positive",
                violation_error_message="A source has at least one paragraph.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The count follows the text whenever there is one (a count without text stays).
        if "text" not in self.get_deferred_fields() and self.text.strip():
            self.paragraph_count = count_paragraphs(self.text)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "text" in update_fields:
                kwargs["update_fields"] = {*update_fields, "paragraph_count"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("engagements:source_detail", args=[self.key])

    def natural_key(self) -> tuple[str]:
        return (self.key,)

    def paragraphs(self) -> list[str]:
        """The text's paragraphs (paragraph 1 first); empty when no text is stored."""
        return split_paragraphs(self.text)

    @property
    def published(self) -> PartialDate:
        return PartialDate(self.published_on, self.published_precision)
