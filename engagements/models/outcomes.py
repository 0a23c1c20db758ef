"""Outcomes of a meeting (what the sides agreed, offered, requested…) and their amounts.

Each kind of outcome records its counterpart in two event-data ontologies, so coded outcomes
can be compared with event datasets: PLOVER (the Open Event Data Alliance's categories) and
CAMEO (its two-digit root codes, with a finer code where one fits). See ``OUTCOME_KINDS`` and
the table in ``docs/data-model.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .base import Citation, SlugKeyed, citation_constraints, upper_code


class OutcomeKind(models.TextChoices):
    AGREE = "agree", "Agreed (to do something together)"
    CONCLUDE = "conclude", "Concluded an instrument (signed, exchanged or approved)"
    OFFER = "offer", "Offered or proposed"
    PLEDGE = "pledge", "Pledged or reaffirmed a commitment"
    INVITE = "invite", "Invited"
    REQUEST = "request", "Requested or urged"
    REVIEW = "review", "Reviewed or discussed"
    ANNOUNCE = "announce", "Announced"
    EXPRESS = "express", "Expressed welcome, praise or appreciation"
    CONCERN = "concern", "Expressed concern"


@dataclass(frozen=True)
class Counterpart:
    """A kind's nearest category in PLOVER and in CAMEO, and why where it is not exact."""

    plover: str
    cameo: str
    note: str = ""


#: Each outcome kind's PLOVER category and CAMEO code (root, and a finer code where one fits).
OUTCOME_KINDS: dict[str, Counterpart] = {
    OutcomeKind.AGREE: Counterpart(
        "AGREE", "03 Express intent to cooperate (030; 031 for material cooperation)"
    ),
    OutcomeKind.CONCLUDE: Counterpart(
        "AGREE", "05 Diplomatic cooperation (057 sign formal agreement)"
    ),
    OutcomeKind.OFFER: Counterpart(
        "AGREE", "03 Express intent to cooperate (031 material cooperation, 033 material aid)"
    ),
    OutcomeKind.PLEDGE: Counterpart("AGREE", "03 Express intent to cooperate (030)"),
    OutcomeKind.INVITE: Counterpart(
        "DEMAND",
        "02 Appeal (021 appeal for material cooperation; 026 appeal to meet)",
        "PLOVER codes an appeal only when it asks for a change of policy or action.",
    ),
    OutcomeKind.REQUEST: Counterpart(
        "DEMAND",
        "02 Appeal (020; 022 appeal for diplomatic cooperation)",
        "PLOVER's DEMAND covers requests; early drafts named it REQUEST.",
    ),
    OutcomeKind.REVIEW: Counterpart("CONSULT", "04 Consult (040; 046 engage in negotiation)"),
    OutcomeKind.ANNOUNCE: Counterpart(
        "COOPERATE",
        "06 Material cooperation (061 cooperate economically); 01 for a plain statement",
        "An announcement of deals is material cooperation; of anything else, a statement.",
    ),
    OutcomeKind.EXPRESS: Counterpart(
        "SUPPORT",
        "05 Diplomatic cooperation (051 praise or endorse); 01 public statement",
        "PLOVER leaves out commentary that signals no change of policy.",
    ),
    OutcomeKind.CONCERN: Counterpart(
        "DISAPPROVE", "01 Public statement (012 make pessimistic comment)"
    ),
}


def kinds_help() -> str:
    """The kinds with their PLOVER and CAMEO counterparts, for the admin's help text."""
    return "; ".join(
        f"{kind.value}: PLOVER {OUTCOME_KINDS[kind].plover}, CAMEO {OUTCOME_KINDS[kind].cameo}"
        for kind in OutcomeKind
    )


class Outcome(SlugKeyed):
    """One thing a meeting produced: who agreed, offered, requested… what, of or to whom."""

    meeting = models.ForeignKey(
        "engagements.Meeting", on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices, help_text=kinds_help())
    actors = models.ManyToManyField(
        "engagements.Country",
        related_name="outcomes_as_actor",
        blank=True,
        help_text="Who agreed, offered, requested… (both sides for a joint outcome).",
    )
    targets = models.ManyToManyField(
        "engagements.Country",
        related_name="outcomes_as_target",
        blank=True,
        help_text="Of whom it was asked, to whom it was offered; blank for a joint outcome.",
    )
    summary = models.TextField(help_text="What came out of the meeting, in our own words.")
    topics = models.ManyToManyField("engagements.Topic", related_name="outcomes", blank=True)
    agreements = models.ManyToManyField(
        "engagements.Agreement",
        related_name="outcomes",
        blank=True,
        help_text="Agreements it concerns.",
    )
    initiatives = models.ManyToManyField(
        "engagements.Initiative",
        related_name="outcomes",
        blank=True,
        help_text="Initiatives it concerns.",
    )
    sources = models.ManyToManyField(
        "engagements.Source", through="OutcomeCitation", related_name="outcomes"
    )

    history = HistoricalRecords(m2m_fields=[actors, targets, topics, agreements, initiatives])

    class Meta:
        ordering = ["meeting_id", "id"]
        indexes = [models.Index(fields=["meeting", "id"], name="outcome_meeting_id")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="outcome_summary_given",
                violation_error_message="Say what the outcome was (a summary in our words).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary[:80]}"

    def get_absolute_url(self) -> str:
        """Its place on its meeting's page (outcomes have no page of their own)."""
        return f"{self.meeting.get_absolute_url()}#outcome-{self.slug}"

    @property
    def counterpart(self) -> Counterpart | None:
        return OUTCOME_KINDS.get(self.kind)


class OutcomeCitation(Citation):
    record_field = "outcome"
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="citations")

    history = HistoricalRecords()

    class Meta(Citation.Meta):
        verbose_name = "outcome citation"
        constraints = citation_constraints("outcome")


class Qualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    ABOUT = "about", "about"
    NEARLY = "nearly", "nearly"
    OVER = "over", "over"
    UP_TO = "up_to", "up to"


class AmountManager(models.Manager):
    def get_by_natural_key(self, outcome_slug: str, measure: str, period: str):
        return self.get(outcome__slug=outcome_slug, measure=measure, period=period)


class Amount(models.Model):
    """A figure an outcome gives: its value, currency, how exact, for what period, of what.

    ``period`` is the sources' own period as text: a year (``2024``), an Indian financial
    year (``2004-05``: April 2004 to March 2005), or blank when none is given.
    """

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="amounts")
    value = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        help_text="In units of the currency (6.7 billion: 6700000000).",
    )
    currency = models.CharField(max_length=3, help_text="ISO 4217 code: USD, EUR, INR.")
    qualifier = models.CharField(
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text="How exact the source is: exactly, about, nearly, over, up to.",
    )
    period = models.CharField(
        max_length=20,
        blank=True,
        help_text="The period as the source gives it: a year (2024) or a financial year "
        "(2004-05); blank when none.",
    )
    measure = models.CharField(
        max_length=100,
        help_text="What it measures: “bilateral trade”, “export and investment deals”.",
    )
    source = models.ForeignKey(
        "engagements.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The source that gives the figure.",
    )
    paragraph = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = AmountManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome_id", "period", "id"]
        constraints = [
            models.CheckConstraint(
                condition=upper_code("currency", 3),
                name="amount_currency_iso4217",
                violation_error_message="The currency is an ISO 4217 code: three capitals (USD).",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="amount_value_not_negative",
                violation_error_message="An amount is not negative.",
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(source__isnull=False),
                name="amount_paragraph_needs_source",
                violation_error_message="A paragraph number needs a source.",
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(paragraph__gte=1),
                name="amount_paragraph_positive",
                violation_error_message="Paragraphs are numbered from 1.",
            ),
            models.UniqueConstraint(
                fields=["outcome", "measure", "period"],
                name="amount_unique",
                violation_error_message="This outcome already has this measure for this period.",
            ),
        ]

    def __str__(self) -> str:
        period = f" ({self.period})" if self.period else ""
        return f"{self.measure}: {self.figure}{period}"

    @property
    def figure(self) -> str:
        """The value as people write it: “nearly USD 35 billion”, “EUR 400 million”."""
        qualifier = "" if self.qualifier == Qualifier.EXACT else f"{self.get_qualifier_display()} "
        value = Decimal(self.value)
        for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
            if value >= size:
                number = format((value / size).normalize(), "f")
                return f"{qualifier}{self.currency} {number} {word}"
        return f"{qualifier}{self.currency} {format(value.normalize(), ',f')}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.outcome.slug, self.measure, self.period)
