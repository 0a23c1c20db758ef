"""Meetings, their participants, and where each is documented."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import DatePrecision, DateSpan, PartialDate, precision_matches
from .base import Citation, SlugKeyed, SlugManager, citation_constraints


class MeetingKind(models.TextChoices):
    BILATERAL = "bilateral", "Bilateral talks"
    VISIT = "visit", "Official visit"
    SUMMIT = "summit", "Summit"
    MECHANISM = "mechanism", "Session of a standing mechanism"
    MULTILATERAL = "multilateral", "Multilateral forum meeting"
    INDUSTRY = "industry", "Industry roundtable or business event"
    CALL = "call", "Courtesy call"
    OTHER = "other", "Other"


class MeetingStatus(models.TextChoices):
    HELD = "held", "Held"
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class MeetingQuerySet(models.QuerySet):
    def in_years(self, first: int | None = None, last: int | None = None) -> MeetingQuerySet:
        """Meetings starting in the years ``first`` to ``last``, whatever their precision."""
        qs = self
        if first is not None:
            qs = qs.filter(start_date__year__gte=first)
        if last is not None:
            qs = qs.filter(start_date__year__lte=last)
        return qs

    def chronological(self) -> MeetingQuerySet:
        return self.order_by(F("start_date").asc(nulls_last=True), "id")


class Meeting(SlugKeyed):
    """A meeting, visit, summit or session in which India engages another country."""

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.HELD
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="The (first) day; for a month or year, its first day. Blank when unknown.",
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day of a span (a visit over 2–6 September)."
    )
    date_precision = models.CharField(
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date the sources give. Never invent a day.",
    )
    city = models.CharField(max_length=100, blank=True)
    country = models.ForeignKey(
        "engagements.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_held",
        help_text="Where it took place.",
    )
    host = models.ForeignKey(
        "engagements.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
    )
    countries = models.ManyToManyField(
        "engagements.Country",
        related_name="meetings",
        blank=True,
        help_text="Countries taking part, India included.",
    )
    grouping = models.ForeignKey(
        "engagements.Grouping",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text="The grouping that convened it (ADMM-Plus, the Quad).",
    )
    mechanism = models.ForeignKey(
        "engagements.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        limit_choices_to={"kind": "mechanism"},
        help_text="The standing mechanism this is a session of (a dialogue, a committee).",
    )
    edition = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Edition number of a mechanism session or a grouping's meeting (the 24th).",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The visit or larger meeting this was part of or held on the sidelines of.",
    )
    summary = models.TextField(blank=True, help_text="What happened, in our own words.")
    topics = models.ManyToManyField("engagements.Topic", related_name="meetings", blank=True)
    sources = models.ManyToManyField(
        "engagements.Source", through="MeetingCitation", related_name="meetings"
    )

    objects = SlugManager.from_queryset(MeetingQuerySet)()
    history = HistoricalRecords(m2m_fields=[countries, topics])

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        indexes = [
            models.Index(fields=["start_date", "id"], name="meeting_start_id"),
            models.Index(fields=["kind", "start_date"], name="meeting_kind_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=precision_matches("date_precision", "start_date", "end_date"),
                name="meeting_date_precision",
                violation_error_message="The dates do not match their precision (a month is "
                "stored as its first day, a year as 1 January; unknown has no date).",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="meeting_end_after_start",
                violation_error_message="The end date must be after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(edition__isnull=True)
                | Q(mechanism__isnull=False)
                | Q(grouping__isnull=False),
                name="meeting_edition_needs_series",
                violation_error_message="An edition number needs a mechanism or a grouping.",
            ),
            models.CheckConstraint(
                condition=Q(edition__isnull=True) | Q(edition__gte=1),
                name="meeting_edition_positive",
                violation_error_message="Editions are numbered from 1.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="meeting_not_own_parent",
                violation_error_message="A meeting cannot be its own parent.",
            ),
            models.UniqueConstraint(
                fields=["mechanism", "edition"],
                condition=Q(mechanism__isnull=False, edition__isnull=False),
                name="meeting_unique_mechanism_edition",
                violation_error_message="This mechanism already has a session with this edition.",
            ),
            models.UniqueConstraint(
                fields=["grouping", "kind", "edition"],
                condition=Q(mechanism__isnull=True, edition__isnull=False),
                name="meeting_unique_grouping_edition",
                violation_error_message="This grouping already has a meeting of this kind "
                "with this edition.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.dates})"

    @property
    def dates(self) -> DateSpan:
        return DateSpan(self.start_date, self.end_date, self.date_precision)

    @property
    def last_day(self) -> dt.date | None:
        """The last day the meeting's dates may stand for."""
        return PartialDate(self.end_date or self.start_date, self.date_precision).last_day()

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})
        if self.start_date and self.end_date == self.start_date:
            raise ValidationError({"end_date": "Leave the end date blank for a one-day meeting."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A meeting cannot be its own parent."})

    def get_absolute_url(self) -> str:
        return reverse("engagements:meeting_detail", args=[self.slug])


class Role(models.TextChoices):
    HEAD = "head", "Head of delegation"
    CO_CHAIR = "co_chair", "Co-chair"
    CHAIR = "chair", "Chair"
    HOST = "host", "Host"
    DELEGATE = "delegate", "Member of delegation"
    SPEAKER = "speaker", "Keynote speaker"
    PARTICIPANT = "participant", "Participant"


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, meeting_slug: str, official_slug: str) -> Participation:
        return self.get(meeting__slug=meeting_slug, official__slug=official_slug)


class Participation(models.Model):
    """An official taking part in a meeting, in a role and (where known) a post."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    official = models.ForeignKey(
        "engagements.Official", on_delete=models.PROTECT, related_name="participations"
    )
    post = models.ForeignKey(
        "engagements.Post",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text="The post the official held at the meeting; blank when the sources do not say.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    note = models.CharField(max_length=300, blank=True)

    objects = ParticipationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = "participant"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "official"],
                name="participation_unique",
                violation_error_message="This official is already a participant of this meeting.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} ({self.get_role_display()})"

    def natural_key(self) -> tuple[str, str]:
        return (self.meeting.slug, self.official.slug)

    def clean(self) -> None:
        if not (self.post_id and self.official_id):
            return
        if self.post.country_id != self.official.country_id:
            raise ValidationError(
                {"post": f"{self.post} is not a post of {self.official}'s country."}
            )
        # On the admin's add page the meeting is new (no id yet), but the inline formset has
        # set it on this row: its dates are known, so the tenure is checked against them.
        if not (self.meeting_id or Participation.meeting.is_cached(self)):
            return
        meeting = self.meeting
        known = getattr(self, "known_tenures", None)  # the official's tenures in this post
        if known is not None:  # loaded beforehand for many rows (a CSV import)
            held = any(
                not meeting.start_date or t.covers(meeting.start_date, meeting.last_day)
                for t in known
            )
        else:
            tenures = self.official.tenures.filter(post=self.post)
            if meeting.start_date:
                tenures = tenures.held_between(meeting.start_date, meeting.last_day)
            held = tenures.exists()
        if not held:
            raise ValidationError(
                {
                    "post": f"No tenure of {self.official} as {self.post.title} covers "
                    f"{meeting.dates}: add or extend the tenure first."
                }
            )


class MeetingCitation(Citation):
    record_field = "meeting"
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="citations")

    history = HistoricalRecords()

    class Meta(Citation.Meta):
        verbose_name = "meeting citation"
        constraints = citation_constraints("meeting")
