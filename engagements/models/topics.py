"""Topics: defrel's own controlled vocabulary of what a record is about.

The vocabulary is reference data, written by the curators (fixture ``02_topics.yaml``), not
read from any source: a topic on a meeting, outcome, agreement or initiative is supported by
that record's citations, while the topic's name and description are ours.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from .base import SlugKeyed

#: What every topic's ``source_note`` says unless a curator writes otherwise.
VOCABULARY_NOTE = "defrel's own vocabulary (reference, not from a source document)."


class Topic(SlugKeyed):
    """A subject of defence diplomacy: shipbuilding, air-to-air refuelling, trade…"""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(help_text="What the topic covers, in our own words.")
    source_note = models.CharField(
        max_length=300,
        default=VOCABULARY_NOTE,
        help_text="Where the term comes from: defrel's vocabulary is reference data.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
