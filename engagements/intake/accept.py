"""Writing a reviewed draft: the source and every accepted record, in one transaction.

The review screen (``engagements.admin.intake``) turns the drafted items a curator kept into
the dataclasses below; :func:`accept` writes them. An item that matches a record defrel has
(the engine's match, or one found here by slug and natural key) is linked, not duplicated:
it gets this source's citations, and the participants, countries, parties and status step
it lacks. Every row is checked as the admin checks it (``full_clean``: the model's rules and
its constraints) before it is saved; the first that fails stops the intake and nothing is
written (:class:`IntakeError` names the item, the field and why). Each history row written
carries the reason ``Intake of <source key>`` and the curator as its user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Q

from ..dates import DatePrecision, DateSpan, PartialDate
from ..entry import unique_slug
from ..history import m2m_in_last_row
from ..models import (
    Agreement,
    AgreementCitation,
    AgreementStatus,
    AgreementStatusChange,
    Country,
    Grouping,
    Initiative,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    MeetingStatus,
    Official,
    Participation,
    Post,
    Source,
    Tenure,
    TenureCitation,
)
from ..paragraphs import split_paragraphs
from ..tenures import REASON_LENGTH, plan

#: The records an intake may add or change: a user needs both permissions on each.
INTAKE_MODELS = (
    Source,
    Official,
    Post,
    Tenure,
    TenureCitation,
    Meeting,
    MeetingCitation,
    Participation,
    Agreement,
    AgreementCitation,
    AgreementStatusChange,
    Initiative,
    InitiativeCitation,
)
UNKNOWN_DATE = PartialDate(None, DatePrecision.UNKNOWN)
UNKNOWN_DATES = DateSpan(None, None, DatePrecision.UNKNOWN)
#: Status steps whose date, when the report gives one, is the day the step happened.
STEPS_ON_THEIR_DATE = {AgreementStatus.SIGNED, AgreementStatus.EXCHANGED, AgreementStatus.AGREED}


def may_intake(user) -> bool:
    """Whether ``user`` may use the intake desk: staff who may add and change every record
    an intake writes (Editors)."""
    if not (user.is_active and user.is_staff):
        return False
    wanted = [
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in INTAKE_MODELS
        for action in ("add", "change")
    ]
    return user.has_perms(wanted)


def intake_reason(key: str) -> str:
    return f"Intake of {key}"[:REASON_LENGTH]


# -- what the review screen hands over ------------------------------------------------------


@dataclass
class SourceFields:
    key: str
    title: str
    summary: str
    text: str
    publisher: str = ""
    url: str = ""
    published: PartialDate = UNKNOWN_DATE
    dateline: str = ""


@dataclass
class OfficialItem:
    ref: str
    name: str
    country: Country
    paragraphs: list[int]
    post: str = ""
    honorific: str = ""
    match: Official | None = None


@dataclass
class InitiativeItem:
    ref: str
    title: str
    kind: str
    paragraphs: list[int]
    match: Initiative | None = None


@dataclass
class MeetingItem:
    """A meeting; ``participants`` are drafted officials (their ``ref``) or officials defrel
    has, ``parent`` a drafted meeting's ref or a meeting, ``mechanism`` a drafted initiative's
    ref or an initiative."""

    ref: str
    title: str
    kind: str
    paragraphs: list[int]
    status: str = MeetingStatus.HELD
    dates: DateSpan = UNKNOWN_DATES
    city: str = ""
    country: Country | None = None
    countries: list[Country] = field(default_factory=list)
    participants: list[str | Official] = field(default_factory=list)
    parent: str | Meeting | None = None
    parent_relation: str = ""
    mechanism: str | Initiative | None = None
    grouping: Grouping | None = None
    edition: int | None = None
    match: Meeting | None = None


@dataclass
class AgreementItem:
    ref: str
    title: str
    kind: str
    status: str
    paragraphs: list[int]
    date: PartialDate = UNKNOWN_DATE
    parties: list[Country] = field(default_factory=list)
    match: Agreement | None = None


@dataclass
class Reviewed:
    source: SourceFields
    officials: list[OfficialItem] = field(default_factory=list)
    meetings: list[MeetingItem] = field(default_factory=list)
    agreements: list[AgreementItem] = field(default_factory=list)
    initiatives: list[InitiativeItem] = field(default_factory=list)


@dataclass
class Written:
    """What an intake wrote: records created and records linked (matched), by kind."""

    source: Source
    source_is_new: bool = True
    created: dict[str, list] = field(default_factory=dict)
    linked: dict[str, list] = field(default_factory=dict)

    def add(self, kind: str, record, new: bool) -> None:
        (self.created if new else self.linked).setdefault(kind, []).append(record)

    def summary(self) -> str:
        def part(label, groups):
            counts = [f"{len(rows)} {kind}" for kind, rows in groups.items() if rows]
            return f"{label} {', '.join(counts)}" if counts else ""

        parts = [p for p in (part("added", self.created), part("linked", self.linked)) if p]
        return "; ".join(parts) or "no records"


class IntakeError(Exception):
    """A row the intake could not write: which item, which field, why."""

    def __init__(self, item: str, field_name: str, message: str):
        self.item, self.field, self.message = item, field_name, message
        where = f"{item}, {field_name}" if field_name else item
        super().__init__(f"{where}: {message}")


# -- finding what defrel already has ----------------------------------------------------------


def find_source(key: str, text: str) -> Source | None:
    """The source of this key, else one whose stored text is this text."""
    found = Source.objects.filter(key=key).first() if key else None
    if found is None and text.strip():
        wanted = split_paragraphs(text)
        count = len(wanted)
        for source in Source.objects.filter(paragraph_count=count).exclude(text="").only("text"):
            if split_paragraphs(source.text) == wanted:
                return Source.objects.get(pk=source.pk)
    return found


def find_official(name: str, country: Country | None) -> list[Official]:
    if not name or country is None:
        return []
    return Official.objects.likely_duplicates(name, country)


def find_post(country: Country, title: str) -> Post | None:
    """The country's post of this title or alias (or slug, which a curator may type)."""
    return (
        Post.objects.filter(country=country)
        .filter(Q(title__iexact=title) | Q(aliases__name__iexact=title) | Q(slug=title))
        .distinct()
        .first()
    )


def _citing(queryset, source: Source | None, paragraphs, exclude=()):
    """The one record of ``queryset`` that cites one of ``paragraphs`` of ``source`` (an
    intake run again finds what it wrote though its title was edited), else None."""
    if source is None or source.pk is None or not paragraphs:
        return None
    found = list(
        queryset.filter(citations__source=source, citations__paragraph__in=list(paragraphs))
        .exclude(pk__in=list(exclude))
        .distinct()[:2]
    )
    return found[0] if len(found) == 1 else None


def find_meeting(title, dates: DateSpan, source=None, paragraphs=(), exclude=()) -> Meeting | None:
    """A meeting of this title on these dates; else the one on these dates citing these
    paragraphs of ``source``."""
    same_dates = Meeting.objects.filter(
        start_date=dates.start, end_date=dates.end, date_precision=dates.precision
    ).exclude(pk__in=list(exclude))
    title = (title or "").strip()
    found = same_dates.filter(title__iexact=title).first() if title else None
    return found or _citing(same_dates, source, paragraphs, exclude)


def find_agreement(title, source=None, paragraphs=(), kind="", exclude=()) -> Agreement | None:
    """An agreement of this title (or short name, or alias); else the one of this kind citing
    these paragraphs of ``source``."""
    title = (title or "").strip()
    agreements = Agreement.objects.exclude(pk__in=list(exclude))
    found = None
    if title:
        found = (
            agreements.filter(
                Q(title__iexact=title)
                | Q(short_name__iexact=title)
                | Q(aliases__name__iexact=title)
            )
            .distinct()
            .first()
        )
    return found or _citing(agreements.filter(kind=kind), source, paragraphs, exclude)


def find_initiative(title, source=None, paragraphs=(), kind="", exclude=()) -> Initiative | None:
    """An initiative of this name (or short name, or alias); else the one of this kind
    citing these paragraphs of ``source``."""
    title = (title or "").strip()
    initiatives = Initiative.objects.exclude(pk__in=list(exclude))
    found = None
    if title:
        found = (
            initiatives.filter(
                Q(name__iexact=title) | Q(short_name__iexact=title) | Q(aliases__name__iexact=title)
            )
            .distinct()
            .first()
        )
    return found or _citing(initiatives.filter(kind=kind), source, paragraphs, exclude)


# -- writing ---------------------------------------------------------------------------------


def _messages(exc: ValidationError) -> tuple[str, str]:
    """The first field an error names and its messages, in words."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            label = "" if name == NON_FIELD_ERRORS else name
            return label, " ".join(errors)
    return "", " ".join(exc.messages)


class _Writer:
    def __init__(self, reviewed: Reviewed, user=None):
        self.reviewed = reviewed
        self.user = user
        self.reason = intake_reason(reviewed.source.key)
        self.source: Source | None = None
        self.officials: dict[str, Official] = {}
        self.posts: dict[str, Post] = {}
        self.meetings: dict[str, Meeting] = {}
        self.initiatives: dict[str, Initiative] = {}
        self.written: Written | None = None
        #: Records this intake wrote or linked, by model: no second item may match them.
        self.used: dict[type, set[int]] = {}

    # Rows are checked as the admin checks them, then saved with the intake's history.
    def save(self, row: models.Model, item: str, exclude: Iterable[str] = ()) -> None:
        try:
            row.full_clean(exclude=list(exclude))
        except ValidationError as exc:
            raise IntakeError(item, *_messages(exc)) from None
        row._change_reason = self.reason
        if self.user is not None:
            row._history_user = self.user
        try:
            with transaction.atomic():
                row.save()
        except DatabaseError as exc:
            raise IntakeError(item, "", f"the database refused it ({exc}).") from None

    def touch(self, record: models.Model, item: str) -> None:
        """A history row for a linked record whose many-to-many values the intake changes."""
        self.save(record, item)

    def cite(self, citation_model, record_field: str, record, numbers, item: str) -> None:
        have = set(
            citation_model.objects.filter(**{record_field: record}, source=self.source).values_list(
                "paragraph", flat=True
            )
        )
        for number in sorted(set(numbers) - have):
            row = citation_model(**{record_field: record}, source=self.source, paragraph=number)
            self.save(row, item)

    def run(self) -> Written:
        new = self.write_source()
        self.written = Written(self.source, new)
        for item in self.reviewed.initiatives:
            self.write_initiative(item)
        for item in self.reviewed.officials:
            self.write_official(item)
        for item in ordered_meetings(self.reviewed.meetings):
            self.write_meeting(item)
        for item in self.reviewed.officials:
            self.write_tenure(item)
        for item in self.reviewed.agreements:
            self.write_agreement(item)
        return self.written

    def write_source(self) -> bool:
        """Register the source, or find it registered; True when it is new."""
        fields = self.reviewed.source
        label = f"Source {fields.key}"
        source = find_source(fields.key, fields.text)
        if source is not None:
            stored = Source.objects.only("text").get(pk=source.pk).text
            if split_paragraphs(stored) == split_paragraphs(fields.text):
                self.source = source
                return False
            if stored.strip():
                raise IntakeError(
                    label,
                    "key",
                    f"the source {source.key} is registered with another text: give this "
                    "report its own key, or correct that source's text on its page first.",
                )
            if source.paragraph_count and source.paragraph_count != len(
                split_paragraphs(fields.text)
            ):
                raise IntakeError(
                    label,
                    "text",
                    f"the source {source.key} has {source.paragraph_count} paragraphs, this "
                    f"text {len(split_paragraphs(fields.text))}: its citations would point "
                    "elsewhere. Check the blank lines between paragraphs.",
                )
            source = Source.objects.get(pk=source.pk)  # with its text, to store this one
            source.text = fields.text
            self.save(source, label)
            self.source = source
            return False
        source = Source(
            key=fields.key,
            title=fields.title,
            summary=fields.summary,
            text=fields.text,
            publisher=fields.publisher,
            url=fields.url,
            published_on=fields.published.date,
            published_precision=fields.published.precision,
            dateline=fields.dateline,
        )
        self.save(source, label)
        self.source = source
        return True

    def write_initiative(self, item: InitiativeItem) -> None:
        label = f"Initiative {item.ref} “{item.title}”"
        initiative = item.match or find_initiative(
            item.title, self.source, item.paragraphs, item.kind, self.taken(Initiative)
        )
        new = initiative is None
        if new:
            initiative = Initiative(
                name=item.title, kind=item.kind, slug=unique_slug(Initiative, item.title)
            )
            self.save(initiative, label)
        self.cite(InitiativeCitation, "initiative", initiative, item.paragraphs, label)
        self.initiatives[item.ref] = initiative
        self.taken(Initiative).add(initiative.pk)
        self.written.add("initiatives", initiative, new)

    def write_official(self, item: OfficialItem) -> None:
        label = f"Official {item.ref} “{item.name}”"
        official = item.match
        if official is None:
            found = find_official(item.name, item.country)
            if len(found) > 1:
                listed = ", ".join(o.slug for o in found)
                raise IntakeError(
                    label,
                    "match",
                    f"{item.country} has several officials of this name ({listed}): name the "
                    "one meant.",
                )
            official = found[0] if found else None
        new = official is None
        if new:
            official = Official(
                name=item.name,
                honorific=item.honorific,
                country=item.country,
                slug=unique_slug(Official, item.name),
            )
            self.save(official, label)
        if item.post:
            post = find_post(official.country, item.post)
            if post is None:
                slug = unique_slug(Post, f"{official.country.iso2.lower()} {item.post}")
                post = Post(title=item.post, country=official.country, slug=slug)
                self.save(post, f"{label}, post “{item.post}”")
            self.posts[item.ref] = post
        self.officials[item.ref] = official
        self.written.add("officials", official, new)

    def taken(self, model) -> set[int]:
        return self.used.setdefault(model, set())

    def participant(self, who: str | Official) -> Official:
        return self.officials[who] if isinstance(who, str) else who

    def write_meeting(self, item: MeetingItem) -> None:
        label = f"Meeting {item.ref} “{item.title}”"
        meeting = item.match or find_meeting(
            item.title, item.dates, self.source, item.paragraphs, self.taken(Meeting)
        )
        new = meeting is None
        countries = list(dict.fromkeys(item.countries))
        if new:
            parent = item.parent
            if isinstance(parent, str):
                parent = self.meetings[parent]
            mechanism = item.mechanism
            if isinstance(mechanism, str):
                mechanism = self.initiatives[mechanism]
            meeting = Meeting(
                title=item.title,
                slug=unique_slug(Meeting, self.meeting_slug_text(item)),
                kind=item.kind,
                status=item.status,
                start_date=item.dates.start,
                end_date=item.dates.end,
                date_precision=item.dates.precision,
                date_extent=item.dates.extent,
                city=item.city,
                country=item.country,
                parent=parent,
                parent_relation=item.parent_relation if parent is not None else "",
                mechanism=mechanism,
                grouping=item.grouping,
                edition=item.edition,
            )
            self.save(meeting, label)
            with m2m_in_last_row(meeting):
                meeting.countries.set(countries)
        else:
            missing = [c for c in countries if not meeting.countries.filter(pk=c.pk).exists()]
            if missing:
                self.touch(meeting, label)
                with m2m_in_last_row(meeting):
                    meeting.countries.add(*missing)
        self.cite(MeetingCitation, "meeting", meeting, item.paragraphs, label)
        for who in dict.fromkeys(item.participants):
            official = self.participant(who)
            if meeting.participations.filter(official=official).exists():
                continue
            row = Participation(meeting=meeting, official=official)
            self.save(row, f"{label}, participant {official.name}")
            self.taken(Participation).add(row.pk)
        self.meetings[item.ref] = meeting
        self.taken(Meeting).add(meeting.pk)
        self.written.add("meetings", meeting, new)

    def meeting_slug_text(self, item: MeetingItem) -> str:
        start = PartialDate(item.dates.start, item.dates.precision).isoformat()
        return f"{start} {item.title}" if start else item.title

    def evidence(self, item: OfficialItem) -> list[Meeting]:
        """The days the report shows the official in post: its own date, and each held
        meeting of this intake with a date they took part in (as unsaved meetings)."""
        days = []
        published = self.reviewed.source.published
        if published.date is not None:
            days.append(Meeting(start_date=published.date, date_precision=published.precision))
        for meeting_item in self.reviewed.meetings:
            meeting = self.meetings.get(meeting_item.ref)
            took_part = any(
                self.participant(who).pk == self.officials[item.ref].pk
                for who in meeting_item.participants
            )
            if took_part and meeting.status == MeetingStatus.HELD and meeting.start_date:
                days.append(meeting)
        return days

    def write_tenure(self, item: OfficialItem) -> None:
        """The official's tenure of the post the report gives, made to cover what the report
        shows (``engagements.tenures.plan``), cited to the official's paragraphs; and that
        post on their participations in this intake's meetings the tenure covers."""
        post = self.posts.get(item.ref)
        if post is None:
            return
        official = self.officials[item.ref]
        label = f"Official {item.ref} “{item.name}”, tenure as {post.title}"
        tenures: list[Tenure] = []
        for evidence in self.evidence(item):
            fix = plan(official, post, evidence)
            if fix.creates or fix.tenure.period != fix.before:
                self.save(fix.tenure, label)
            if fix.tenure not in tenures:
                tenures.append(fix.tenure)
        if not tenures:  # an undated report: an undated tenure, unless there is a tenure
            tenure = official.tenures.filter(post=post).first()
            if tenure is None:
                tenure = Tenure(
                    official=official,
                    post=post,
                    start_precision=DatePrecision.UNKNOWN,
                    end_precision=DatePrecision.UNKNOWN,
                )
                self.save(tenure, label)
            tenures.append(tenure)
        for tenure in tenures:
            self.cite(TenureCitation, "tenure", tenure, item.paragraphs, label)
        for meeting_item in self.reviewed.meetings:
            meeting = self.meetings[meeting_item.ref]
            row = meeting.participations.filter(official=official).first()
            if row is None or row.posts.filter(pk=post.pk).exists():
                continue
            if meeting.status != MeetingStatus.HELD or row.uncovered_posts([post]):
                continue
            if row.pk not in self.taken(Participation):  # its own row of this intake holds it
                self.touch(row, f"Meeting {meeting_item.ref}, participant {official.name}")
            with m2m_in_last_row(row):
                row.posts.add(post)

    def write_agreement(self, item: AgreementItem) -> None:
        label = f"Agreement {item.ref} “{item.title}”"
        agreement = item.match or find_agreement(
            item.title, self.source, item.paragraphs, item.kind, self.taken(Agreement)
        )
        new = agreement is None
        parties = list(dict.fromkeys(item.parties))
        if new:
            agreement = Agreement(
                title=item.title, kind=item.kind, slug=unique_slug(Agreement, item.title)
            )
            self.save(agreement, label)
            with m2m_in_last_row(agreement):
                agreement.parties.set(parties)
        else:
            missing = [c for c in parties if not agreement.parties.filter(pk=c.pk).exists()]
            if missing:
                self.touch(agreement, label)
                with m2m_in_last_row(agreement):
                    agreement.parties.add(*missing)
        self.taken(Agreement).add(agreement.pk)
        self.cite(AgreementCitation, "agreement", agreement, item.paragraphs, label)
        self.write_step(agreement, item, label)
        self.written.add("agreements", agreement, new)

    def write_step(self, agreement: Agreement, item: AgreementItem, label: str) -> None:
        """The status the report gives: on its date when it gives one (the day of a signing),
        else as shown on the report's date."""
        when, exact = item.date, item.date.date is not None
        if when.date is None:
            when = self.reviewed.source.published
        exact = exact and item.status in STEPS_ON_THEIR_DATE
        if agreement.status_history.filter(status=item.status, date=when.date).exists():
            return
        step = AgreementStatusChange(
            agreement=agreement,
            status=item.status,
            date=when.date,
            precision=when.precision if when.date else DatePrecision.UNKNOWN,
            date_exact=exact,
            source=self.source,
            paragraph=min(item.paragraphs),
        )
        self.save(step, f"{label}, status")


def ordered_meetings(items: list[MeetingItem]) -> list[MeetingItem]:
    """Parents before the meetings held on their sidelines or as their part (the review
    refuses a loop)."""
    by_ref = {item.ref: item for item in items}
    done: dict[str, MeetingItem] = {}

    def visit(item: MeetingItem, seen: frozenset) -> None:
        if item.ref in done:
            return
        parent = item.parent
        if isinstance(parent, str) and parent in by_ref and parent not in seen:
            visit(by_ref[parent], seen | {item.ref})
        done[item.ref] = item

    for item in items:
        visit(item, frozenset())
    return list(done.values())


def accept(reviewed: Reviewed, user=None) -> Written:
    """Write ``reviewed`` in one transaction; :class:`IntakeError` and nothing written when
    a row fails its checks."""
    with transaction.atomic():
        return _Writer(reviewed, user).run()
