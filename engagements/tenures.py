"""A tenure made to cover a meeting an official took part in: extended, or created.

When no tenure of a participant covers the meeting in a post the sources give, the admin
offers this fix in place of a refusal (``ParticipationForm``). The meeting is the evidence:
the official was in post over its known days, so the tenure is stretched to them (an earlier
start, a later end) or a tenure of exactly those days is created. The new bound is attested,
not exact: ``start_exact``/``end_exact`` stay off, and a tenure whose bound on that side is
exact (it began or ended on that day) is never stretched past it; a new tenure is offered
instead.

The tenure is cited to the meeting's sources: defrel keeps no text of the sources to tell
which cited paragraph names the official, so it cites, for each source the meeting cites, the
first paragraph the meeting cites in it (a report's lede, which names the main participants,
in the seed). A reviewer can move the citation to a better paragraph on the tenure's page.
The change goes into the tenure's history with the editing user and a reason naming the
meeting.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .dates import DatePrecision, PartialDate
from .models import Meeting, MeetingCitation, Post, Tenure, TenureCitation

#: The tick box's words, by what the fix does.
EXTEND_OFFER = "extend the tenure to cover this meeting"
CREATE_OFFER = "create a tenure for this meeting's dates"
#: simple-history's change reason holds at most this many characters.
REASON_LENGTH = 100


def _reason(verb: str, meeting: Meeting) -> str:
    reason = f"{verb} to cover {meeting}"
    if len(reason) > REASON_LENGTH:
        reason = f"{verb} to cover meeting {meeting.slug}"
    return reason[:REASON_LENGTH]


def _bounds(meeting: Meeting) -> tuple[PartialDate, PartialDate]:
    """The meeting's first and last known date, at its precision (an open end: its start)."""
    precision = meeting.date_precision
    if meeting.start_date is None:
        unknown = PartialDate(None, DatePrecision.UNKNOWN)
        return unknown, unknown
    first = PartialDate(meeting.start_date, precision)
    return first, PartialDate(meeting.end_date or meeting.start_date, precision)


def _gap(tenure: Tenure, meeting: Meeting) -> int:
    """Days between the tenure and the meeting (which tenure to stretch: the nearest)."""
    first, last = meeting.known_days
    if tenure.start_date is None:
        return 1 << 30
    if tenure.start_date > last:
        return (tenure.start_date - last).days
    if tenure.end_date is not None:
        return max((first - tenure.end.last_day()).days, 0)
    return 0


def _stretched(tenure: Tenure, meeting: Meeting) -> Tenure | None:
    """``tenure`` (changed in place, unsaved) stretched to cover ``meeting``; None when an
    exact bound stands in the way."""
    first, last = meeting.known_days
    start, end = _bounds(meeting)
    undated = tenure.start_date is None and tenure.end_date is None
    if tenure.start_date is None or tenure.start_date > last:
        if tenure.start_date is not None and tenure.start_exact:
            return None  # it began after the meeting: another tenure
        tenure.start_date, tenure.start_precision = start.date, start.precision
        tenure.start_exact = False
    if undated or not tenure.covers(first, last):
        if tenure.end_date is not None and tenure.end_exact:
            return None  # it ended before the meeting: another tenure
        tenure.end_date, tenure.end_precision = end.date, end.precision
        tenure.end_exact = False
    return tenure


@dataclass
class TenureFix:
    """The tenure of ``post`` that will cover ``meeting``: an existing one stretched (its
    period before in ``before``) or a new one."""

    meeting: Meeting
    post: Post
    tenure: Tenure
    before: str = ""

    @property
    def creates(self) -> bool:
        return self.tenure.pk is None

    @property
    def offer(self) -> str:
        return CREATE_OFFER if self.creates else EXTEND_OFFER

    def describe(self) -> str:
        """What the fix does, in words, for the row's message."""
        if self.creates:
            return f"a tenure “{self.tenure.period}” will be added"
        return f"the tenure, now “{self.before}”, will read “{self.tenure.period}”"

    def problem(self) -> str:
        """Why the fix cannot be saved (a rule of the tenure table), or ""."""
        try:
            self.tenure.full_clean()
        except ValidationError as exc:
            return " ".join(exc.messages)
        return ""

    def apply(self, user=None) -> Tenure:
        """Save the tenure and cite it to the meeting's sources, with its history's user and
        reason. The meeting's citations must be saved already."""
        tenure = self.tenure
        tenure._change_reason = _reason("Created" if self.creates else "Extended", self.meeting)
        if user is not None:
            tenure._history_user = user
        tenure.save()
        note = f"Shows the official in post at {self.meeting.slug} (added with the meeting)."
        for source_id, paragraph in cited_paragraphs(self.meeting):
            if tenure.citations.filter(source_id=source_id, paragraph=paragraph).exists():
                continue
            citation = TenureCitation(
                tenure=tenure, source_id=source_id, paragraph=paragraph, note=note[:300]
            )
            citation._change_reason = tenure._change_reason
            if user is not None:
                citation._history_user = user
            citation.save()
        return tenure


def cited_paragraphs(meeting: Meeting) -> list[tuple[int, int]]:
    """(source id, paragraph): the first paragraph the meeting cites in each of its sources."""
    first: dict[int, int] = {}
    rows = MeetingCitation.objects.filter(meeting=meeting).order_by("source__key", "paragraph")
    for source_id, paragraph in rows.values_list("source_id", "paragraph"):
        first.setdefault(source_id, paragraph)
    return list(first.items())


def plan(official, post: Post, meeting: Meeting) -> TenureFix:
    """How ``official``'s tenure of ``post`` will cover ``meeting`` (nothing saved yet):
    the nearest tenure that can be stretched, else a new one of the meeting's dates."""
    tenures = sorted(official.tenures.filter(post=post), key=lambda t: _gap(t, meeting))
    for tenure in tenures:
        before = tenure.period
        if _stretched(tenure, meeting) is not None:
            return TenureFix(meeting, post, tenure, before)
    start, end = _bounds(meeting)
    tenure = Tenure(
        official=official,
        post=post,
        start_date=start.date,
        start_precision=start.precision,
        end_date=end.date,
        end_precision=end.precision,
    )
    return TenureFix(meeting, post, tenure)
