"""Meetings, their participants, and where each is documented."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..dates import EXTENTS_WITH_END, DateExtent, DatePrecision, DateSpan, precision_matches
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


class ParentRelation(models.TextChoices):
    """How a meeting stands to its parent, in the words sources use."""

    PART_OF = "part_of", "part of"
    SIDELINES = "sidelines", "on the sidelines of"
    ALONGSIDE = "alongside", "alongside"


class MeetingQuerySet(models.QuerySet):
    def in_years(self, first: int | None = None, last: int | None = None) -> MeetingQuerySet:
        """Meetings starting in the years ``first`` to ``last``, whatever their precision or
        extent (an open end or a day within a span counts by its start, as a span does)."""
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
    date_extent = models.CharField(
        max_length=10,
        choices=DateExtent.choices,
        default=DateExtent.SINGLE,
        help_text="What the start and end say together: one date, a span, a start whose end "
        "is not reported, or one day somewhere in a span.",
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
    parent_relation = models.CharField(
        max_length=20,
        choices=ParentRelation.choices,
        blank=True,
        help_text="How it stands to its parent: part of a visit, on the sidelines of a "
        "summit, or alongside (at the same time, as a separate event). Blank when the sources "
        "do not say, or without a parent.",
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
            # A search for a city (``city__iexact``) beside the text index: PostgreSQL ORs the
            # two indexes instead of reading every meeting (engagements/search.py).
            models.Index(Upper("city"), name="meeting_city_upper"),
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
                condition=Q(date_extent__in=DateExtent.values),
                name="meeting_date_extent_valid",
                violation_error_message="Unknown date extent.",
            ),
            models.CheckConstraint(
                condition=~Q(date_extent=DateExtent.SINGLE) | Q(end_date__isnull=True),
                name="meeting_single_date_has_no_end",
                violation_error_message="A single date has no end date.",
            ),
            models.CheckConstraint(
                condition=~Q(date_extent__in=EXTENTS_WITH_END) | Q(end_date__isnull=False),
                name="meeting_span_has_end",
                violation_error_message="A span, and one day within a span, need an end date.",
            ),
            models.CheckConstraint(
                condition=~Q(date_extent=DateExtent.OPEN)
                | Q(start_date__isnull=False, end_date__isnull=True),
                name="meeting_open_end_has_start_only",
                violation_error_message="An open end needs a start date and no end date.",
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
                condition=Q(parent_relation__in=[*ParentRelation.values, ""]),
                name="meeting_parent_relation",
                violation_error_message="How a meeting stands to its parent is part_of, "
                "sidelines or alongside, or blank when not stated.",
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
        return DateSpan(self.start_date, self.end_date, self.date_precision, self.date_extent)

    @property
    def last_day(self) -> dt.date | None:
        """The last day the meeting's dates may stand for; None for an open end (unknown)."""
        return self.dates.last_day()

    @property
    def known_days(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last day the sources place it on (an open end: its start only)."""
        return self.dates.known_days()

    def _default_extent(self) -> None:
        # Code that sets only an end (as before extents existed) means a span.
        if self.date_extent == DateExtent.SINGLE and self.end_date is not None:
            self.date_extent = DateExtent.SPAN

    def save(self, *args, **kwargs):
        self._default_extent()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self._default_extent()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})
        if self.start_date and self.end_date == self.start_date:
            raise ValidationError({"end_date": "Leave the end date blank for a one-day meeting."})
        if self.date_extent == DateExtent.OPEN and self.end_date is not None:
            raise ValidationError(
                {"end_date": "An open end has no end date: write the start as 2023-07-10/.."}
            )
        if self.date_extent == DateExtent.OPEN and self.start_date is None:
            raise ValidationError(
                {"start_date": "An open end needs its start date, as in 2023-07-10/.."}
            )
        if self.date_extent in EXTENTS_WITH_END and self.end_date is None:
            raise ValidationError(
                {
                    "end_date": "One day within a span needs the span's end, as in "
                    "[2019-09-02..2019-09-06]."
                    if self.date_extent == DateExtent.WITHIN
                    else "A span needs an end date, as in 2019-09-02/2019-09-06."
                }
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A meeting cannot be its own parent."})
        if not self.parent_id:
            self.parent_relation = ""  # nothing to stand in relation to

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
    def get_by_natural_key(
        self, meeting_slug: str, official_slug: str = "", description: str = ""
    ) -> Participation:
        if official_slug:
            return self.get(meeting__slug=meeting_slug, official__slug=official_slug)
        return self.get(meeting__slug=meeting_slug, official__isnull=True, description=description)


class Participation(models.Model):
    """Someone taking part in a meeting, in a role: a named official (in the posts the
    sources give, if any), or a participant the sources only describe (“a delegation of
    cabinet ministers”), with the country they belong to."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    official = models.ForeignKey(
        "engagements.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text="Blank for a participant the sources describe without naming.",
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who took part, in our words, when the sources name no one "
        "(“Singapore's delegation of ministers and senior officials”).",
    )
    country = models.ForeignKey(
        "engagements.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="described_participations",
        help_text="The country a described participant belongs to (an official's is their own).",
    )
    posts = models.ManyToManyField(
        "engagements.Post",
        related_name="participations",
        blank=True,
        help_text="The posts the official held at the meeting (all the sources give); blank "
        "when the sources do not say.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    note = models.CharField(max_length=300, blank=True)

    objects = ParticipationManager()
    history = HistoricalRecords(m2m_fields=[posts])

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = "participant"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "official"],
                condition=Q(official__isnull=False),
                name="participation_unique",
                violation_error_message="This official is already a participant of this meeting.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "description"],
                condition=Q(official__isnull=True),
                name="participation_unique_description",
                violation_error_message="This meeting already has a participant with this "
                "description.",
            ),
            models.CheckConstraint(
                condition=(Q(official__isnull=False) & Q(description=""))
                | (Q(official__isnull=True) & ~Q(description="")),
                name="participation_official_or_description",
                violation_error_message="Name the official or describe the participant (not both).",
            ),
            models.CheckConstraint(
                condition=Q(official__isnull=True) | Q(country__isnull=True),
                name="participation_country_described_only",
                violation_error_message="Only a described participant has a country of its own "
                "(an official's is theirs).",
            ),
        ]

    def __str__(self) -> str:
        who = self.official if self.official_id else self.description
        return f"{who} ({self.get_role_display()})"

    def natural_key(self) -> tuple[str, str, str]:
        official = self.official.slug if self.official_id else ""
        return (self.meeting.slug, official, "" if official else self.description)

    natural_key.dependencies = ["engagements.meeting", "engagements.official"]

    def clean(self) -> None:
        """The rules of the row itself; the posts (a many-to-many, not set yet when a form
        or an import cleans the row) are checked by :meth:`post_problems`."""
        if self.official_id and self.description.strip():
            raise ValidationError(
                {"description": "Describe a participant only when no official is named."}
            )
        if not self.official_id and not self.description.strip():
            raise ValidationError(
                {
                    "official": "Name the official, or describe the participant the sources "
                    "do not name."
                }
            )
        if self.official_id and self.country_id:
            raise ValidationError(
                {"country": "Leave the country blank for a named official: theirs applies."}
            )

    def post_problems(self, posts) -> list[str]:
        """Why ``posts`` cannot be this participant's at this meeting (empty: they can).

        Each post must be of the official's country (:meth:`post_country_problems`) and held
        (a tenure) at the meeting's dates (:meth:`uncovered_posts`).
        """
        posts = list(posts)
        problems = self.post_country_problems(posts)
        if problems:
            return problems
        return [self.uncovered_message(post) for post in self.uncovered_posts(posts)]

    def post_country_problems(self, posts) -> list[str]:
        """Posts this participant cannot hold at all: any post without a named official, a
        post of another country than the official's."""
        posts = list(posts)
        if not posts:
            return []
        if not self.official_id:
            return ["Only a named official holds posts: name the official or clear the posts."]
        official = self.official
        return [
            f"{post} is not a post of {official}'s country."
            for post in posts
            if post.country_id != official.country_id
        ]

    def uncovered_posts(self, posts) -> list:
        """The ``posts`` (of the official's country) no tenure of the official covers at the
        meeting's dates.

        The tenures are the preloaded ``known_tenures`` ({post id: tenures}) when a CSV
        import set them, else read here (one query).
        """
        posts = list(posts)
        # On the admin's add page the meeting is new (no id yet), but the inline formset has
        # set it on this row: its dates are known, so the tenures are checked against them.
        if not posts or not self.official_id:
            return []
        if not (self.meeting_id or Participation.meeting.is_cached(self)):
            return []
        # The days the sources place the meeting on: for an open end, its start (the post was
        # held when it began; later days are not reported).
        first, last = self.meeting.known_days
        known = getattr(self, "known_tenures", None)
        if known is None:
            tenures = self.official.tenures.filter(post__in=posts)
            if first:
                tenures = tenures.held_between(first, last)
            held = set(tenures.values_list("post_id", flat=True))
        else:
            held = {
                post.pk
                for post in posts
                if any(not first or t.covers(first, last) for t in known.get(post.pk, ()))
            }
        return [post for post in posts if post.pk not in held]

    def uncovered_message(self, post) -> str:
        return (
            f"No tenure of {self.official} as {post.title} covers {self.meeting.dates}: add or "
            "extend the tenure first."
        )


class MeetingCitation(Citation):
    record_field = "meeting"
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="citations")

    history = HistoricalRecords()

    class Meta(Citation.Meta):
        verbose_name = "meeting citation"
        constraints = citation_constraints("meeting")
