"""Agreements: instruments India signs or negotiates, their status over time and links."""

from __future__ import annotations

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import Exact
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, PartialDate, precision_matches
from .aliases import CitedAlias, alias_constraints
from .base import Citation, SlugKeyed, SlugManager, citation_constraints


class AgreementKind(models.TextChoices):
    MOU = "mou", "Memorandum of understanding"
    AGREEMENT = "agreement", "Agreement"
    ARRANGEMENT = "arrangement", "Arrangement"
    ROADMAP = "roadmap", "Roadmap"
    IMPLEMENTING_ARRANGEMENT = "implementing_arrangement", "Implementing arrangement"
    EXCHANGE_OF_LETTERS = "exchange_of_letters", "Exchange of letters"
    MEMORANDUM_OF_AGREEMENT = "memorandum_of_agreement", "Memorandum of agreement"
    TRADE = "trade", "Trade or economic agreement"
    PLAN = "plan", "Agreed plan"
    OTHER = "other", "Other instrument"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    UNDER_NEGOTIATION = "under_negotiation", "Under negotiation"
    AGREED = "agreed", "Agreed or approved"
    SIGNED = "signed", "Signed"
    EXCHANGED = "exchanged", "Exchanged"
    IN_FORCE = "in_force", "In force"
    UNDER_REVIEW = "under_review", "Under review"
    AMENDED = "amended", "Amended"
    EXPIRED = "expired", "Expired or terminated"


class StepBasis(models.TextChoices):
    """How a status step is known: named by its paragraph, or read from its wording."""

    REPORTED = "reported", "Reported"
    INFERRED = "inferred", "Inferred"


def latest_of(changes):
    """The latest of an agreement's status changes: the latest dated, else the last recorded.

    Works on model rows and on the list pages' light rows alike (``date`` and ``pk``).
    """

    def order(change):
        return (change.date is not None, change.date or 0, change.pk or 0)

    return max(changes, key=order, default=None)


def latest_steps() -> models.QuerySet:
    """The outer agreement's status changes, latest first (``latest_of``'s order, in SQL):
    sliced ``[:1]`` in a subquery, the current status of each row."""
    return AgreementStatusChange.objects.filter(agreement=OuterRef("pk")).order_by(
        F("date").desc(nulls_last=True), "-id"
    )


#: Agreement's kept columns and the field of its latest step each holds.
KEPT_STATUS = {
    "current_status": "status",
    "current_status_date": "date",
    "current_status_precision": "precision",
}


def latest_step_values() -> dict[str, Subquery]:
    """The kept columns as ``latest_steps()`` computes them (NULL without a step)."""
    latest = latest_steps()
    return {kept: Subquery(latest.values(step)[:1]) for kept, step in KEPT_STATUS.items()}


def refresh_status(agreements=None, using: str = "default") -> int:
    """Recompute the kept current status of ``agreements`` (ids, or a queryset of them; all
    when None) from their steps, in one UPDATE; returns the rows updated.

    Every write of steps calls it: their save and delete (signals, so the admin's inline,
    a history revert and cascades too), the bulk import's batches, ``synthesize`` and
    ``synthesize --clear``.
    """
    if agreements is None:
        agreements = Agreement.objects.using(using)
    elif not isinstance(agreements, models.QuerySet):
        ids = sorted({i for i in agreements if i is not None})
        if not ids:
            return 0
        agreements = Agreement.objects.using(using).filter(pk__in=ids)
    return agreements.update(**latest_step_values())


def status_drift(using: str = "default") -> models.QuerySet:
    """Agreements whose kept status differs from what their steps say (should be none)."""

    def text(expression):  # NULL as "", so that NULL and NULL are the same
        return Coalesce(
            Cast(expression, models.TextField()), Value(""), output_field=models.TextField()
        )

    differs = Q()
    for kept, value in latest_step_values().items():
        differs |= ~Q(Exact(text(F(kept)), text(value)))
    return Agreement.objects.using(using).filter(differs)


def kept_status_constraints() -> list[models.CheckConstraint]:
    """The kept status is a known status, and its date matches its precision (no status:
    no date, no precision)."""
    none = Q(
        current_status__isnull=True,
        current_status_date__isnull=True,
        current_status_precision__isnull=True,
    )
    known = Q(current_status__in=AgreementStatus.values) & precision_matches(
        "current_status_precision", "current_status_date"
    )
    return [
        models.CheckConstraint(
            condition=none | known,
            name="agreement_current_status",
            violation_error_message="The current status is a known status with a date that "
            "matches its precision.",
        )
    ]


class Agreement(SlugKeyed):
    """An MoU, agreement, roadmap, arrangement or exchange of letters."""

    title = models.CharField(max_length=300)
    short_name = models.CharField(
        max_length=50, blank=True, help_text="Acronym or short name, e.g. “SOSA”."
    )
    kind = models.CharField(max_length=30, choices=AgreementKind.choices)
    parties = models.ManyToManyField(
        "engagements.Country", related_name="agreements", blank=True, help_text="India included."
    )
    party_groupings = models.ManyToManyField(
        "engagements.Grouping",
        related_name="agreements",
        blank=True,
        help_text="A grouping that is a party as a whole (ASEAN).",
    )
    summary = models.TextField(blank=True, help_text="What it covers, in our own words.")
    meetings = models.ManyToManyField(
        "engagements.Meeting", through="AgreementMeeting", related_name="agreements"
    )
    topics = models.ManyToManyField("engagements.Topic", related_name="agreements", blank=True)
    sources = models.ManyToManyField(
        "engagements.Source", through="AgreementCitation", related_name="agreements"
    )
    # Kept from the latest step (``latest_steps``) by ``refresh_status`` on every write of
    # steps, so the lists filter, count and sort by status without a subquery per row.
    # Never edited, never in the history (a revert recomputes them). NULL without a step,
    # as the subquery gives it (not "": the sorts and exports tell the two apart).
    current_status = models.CharField(  # noqa: DJ001
        max_length=20, choices=AgreementStatus.choices, null=True, editable=False
    )
    current_status_date = models.DateField(null=True, editable=False)
    current_status_precision = models.CharField(  # noqa: DJ001
        max_length=10, choices=DatePrecision.choices, null=True, editable=False
    )

    objects = SlugManager()
    history = HistoricalRecords(
        m2m_fields=[parties, party_groupings, topics], excluded_fields=list(KEPT_STATUS)
    )

    class Meta:
        ordering = ["title"]
        indexes = [
            # The reading room's default order, read page by page (keyset) from the index.
            models.Index(fields=["title", "id"], name="agreement_title_id"),
            # The status filter and facet, and the status-date sort within a status.
            models.Index(
                fields=["current_status", "current_status_date", "id"],
                name="agreement_status_date_id",
            ),
            # The lists' status-date sort.
            models.Index(fields=["current_status_date", "id"], name="agreement_status_day_id"),
        ]
        constraints = kept_status_constraints()

    def __str__(self) -> str:
        return f"{self.title} ({self.short_name})" if self.short_name else self.title

    @property
    def latest_status(self) -> AgreementStatusChange | None:
        """The latest status change (uses prefetched ``status_history`` when there is one)."""
        return latest_of(self.status_history.all())

    def get_absolute_url(self) -> str:
        return reverse("engagements:agreement_detail", args=[self.slug])


class AgreementStatusChangeManager(models.Manager):
    def get_by_natural_key(self, agreement_slug: str, status: str, date: str | None):
        return self.get(agreement__slug=agreement_slug, status=status, date=date)


class AgreementStatusChange(models.Model):
    """One step in an agreement's history: proposed, signed, amended…, with its date."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="status_history"
    )
    status = models.CharField(max_length=20, choices=AgreementStatus.choices)
    date = models.DateField(null=True, blank=True, help_text="Blank when the date is unknown.")
    precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    source = models.ForeignKey(
        "engagements.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The source that reports this status.",
    )
    paragraph = models.PositiveSmallIntegerField(null=True, blank=True)
    date_exact = models.BooleanField(
        "reached on this date",
        default=False,
        help_text="Ticked: the step happened on the date (signed on 5 May). Unticked: the date "
        "is when a source shows the agreement at this step (reported under negotiation).",
    )
    basis = models.CharField(
        max_length=20,
        choices=StepBasis.choices,
        default=StepBasis.REPORTED,
        help_text="Reported: the cited paragraph names this step. Inferred: read from its "
        "wording (a request to finalise an agreement implies it is under negotiation); say how "
        "in the note.",
    )
    note = models.CharField(max_length=300, blank=True)

    objects = AgreementStatusChangeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement_id", F("date").asc(nulls_first=True), "id"]
        verbose_name = "status change"
        constraints = [
            models.CheckConstraint(
                condition=precision_matches("precision", "date"),
                name="status_change_date_precision",
                violation_error_message="The date does not match its precision.",
            ),
            models.CheckConstraint(
                condition=~Q(basis=StepBasis.INFERRED) | ~Q(note=""),
                name="status_change_inferred_has_note",
                violation_error_message="An inferred step says in its note how it was inferred.",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=StepBasis.values),
                name="status_change_basis",
                violation_error_message="A step is reported or inferred.",
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(source__isnull=False),
                name="status_change_paragraph_needs_source",
                violation_error_message="A paragraph number needs a source.",
            ),
            models.UniqueConstraint(
                fields=["agreement", "status", "date"],
                name="status_change_unique",
                violation_error_message="This agreement already has this status on this date.",
            ),
            # NULLs are distinct in a unique constraint: one undated step per status.
            models.UniqueConstraint(
                fields=["agreement", "status"],
                condition=Q(date__isnull=True),
                name="status_change_unique_undated",
                violation_error_message="This agreement already has this status without a date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.when})"

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.precision)

    def natural_key(self) -> tuple:
        return (self.agreement.slug, self.status, self.date.isoformat() if self.date else None)


class RelationKind(models.TextChoices):
    AMENDS = "amends", "amends"
    SUPERSEDES = "supersedes", "supersedes"
    IMPLEMENTS = "implements", "implements"
    EXTENDS = "extends", "extends"
    RELATES_TO = "relates_to", "relates to"


class AgreementRelationManager(models.Manager):
    def get_by_natural_key(self, subject_slug: str, kind: str, object_slug: str):
        return self.get(subject__slug=subject_slug, kind=kind, object__slug=object_slug)


class AgreementRelation(models.Model):
    """A typed link between instruments: an exchange of letters *amends* an MoU."""

    subject = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(max_length=20, choices=RelationKind.choices)
    object = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="relations_in")
    note = models.CharField(max_length=300, blank=True)

    objects = AgreementRelationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["subject_id", "kind", "id"]
        verbose_name = "link between agreements"
        verbose_name_plural = "links between agreements"
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "object"],
                name="agreement_relation_unique",
                violation_error_message="These agreements are already linked this way.",
            ),
            models.CheckConstraint(
                condition=~Q(subject=F("object")),
                name="agreement_relation_not_self",
                violation_error_message="An agreement cannot be linked to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_kind_display()} {self.object}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.subject.slug, self.kind, self.object.slug)


class AgreementMeetingRole(models.TextChoices):
    SIGNED = "signed", "signed at"
    EXCHANGED = "exchanged", "exchanged at"
    APPROVED = "approved", "approved at"
    DISCUSSED = "discussed", "discussed at"


class AgreementMeetingManager(models.Manager):
    def get_by_natural_key(self, agreement_slug: str, meeting_slug: str, role: str):
        return self.get(agreement__slug=agreement_slug, meeting__slug=meeting_slug, role=role)


class AgreementMeeting(models.Model):
    """A meeting where an agreement was signed, exchanged, approved or discussed."""

    Role = AgreementMeetingRole

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meeting_links")
    meeting = models.ForeignKey(
        "engagements.Meeting", on_delete=models.CASCADE, related_name="agreement_links"
    )
    role = models.CharField(max_length=20, choices=AgreementMeetingRole.choices)

    objects = AgreementMeetingManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement_id", "meeting_id", "id"]
        verbose_name = "agreement at a meeting"
        verbose_name_plural = "agreements at meetings"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "meeting", "role"],
                name="agreement_meeting_unique",
                violation_error_message="This link already exists.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.get_role_display()} {self.meeting}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.agreement.slug, self.meeting.slug, self.role)


class AgreementCitation(Citation):
    record_field = "agreement"
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="citations")

    history = HistoricalRecords()

    class Meta(Citation.Meta):
        verbose_name = "agreement citation"
        constraints = citation_constraints("agreement")


class AgreementAlias(CitedAlias):
    """Another name a source uses for an agreement (“Security of Supplies Agreement”)."""

    owner_field = "agreement"
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="aliases")

    history = HistoricalRecords()

    class Meta(CitedAlias.Meta):
        ordering = ["agreement_id", "name"]
        verbose_name = "agreement alias"
        verbose_name_plural = "agreement aliases"
        constraints = alias_constraints("agreement")

    def natural_key(self) -> tuple[str, str]:
        return super().natural_key()

    natural_key.dependencies = ["engagements.agreement"]
