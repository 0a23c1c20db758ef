"""Records named in place on a meeting's page, so one news report is entered on one page.

A participant row may name a new official (name, country, post title) and an agreement row a
new agreement (title, kind). The forms check them (``ParticipationForm``,
``AgreementLinkForm``); the admin creates them as it saves the meeting:

- the official, the post (an existing post of that country and title is reused) and a
  tenure of the meeting's dates, cited to the meeting's source (``engagements.tenures``);
- the agreement, its parties (the meeting's countries), a status step from the row's role
  (signed, exchanged, approved) on the meeting's date, cited to the meeting's citations.

Each row is saved with a change reason naming the meeting; the history's user is the
editing user (simple-history's request middleware, and set here too for callers without it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.text import slugify

from .dates import DateExtent, DatePrecision
from .history import m2m_in_last_row
from .models import (
    Agreement,
    AgreementCitation,
    AgreementStatus,
    AgreementStatusChange,
    Country,
    Meeting,
    MeetingCitation,
    Official,
    Post,
)
from .models.agreements import AgreementMeetingRole
from .tenures import REASON_LENGTH

#: The status step an agreement reaches at a meeting, by the link's role (discussed: none).
STEP_OF_ROLE = {
    AgreementMeetingRole.SIGNED: AgreementStatus.SIGNED,
    AgreementMeetingRole.EXCHANGED: AgreementStatus.EXCHANGED,
    AgreementMeetingRole.APPROVED: AgreementStatus.AGREED,
}


def unique_slug(model: type[models.Model], text: str) -> str:
    """``text`` as a slug not yet taken in ``model`` (``-2``, ``-3``… when it is)."""
    base = slugify(text)[:190].strip("-") or model._meta.model_name
    slug, number = base, 1
    while model._default_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def reason(meeting: Meeting) -> str:
    text = f"Added with the meeting {meeting}"
    if len(text) > REASON_LENGTH:
        text = f"Added with the meeting {meeting.slug}"
    return text[:REASON_LENGTH]


def _save(row: models.Model, meeting: Meeting, user) -> None:
    row._change_reason = reason(meeting)
    if user is not None:
        row._history_user = user
    row.save()


@dataclass
class NewOfficial:
    """An official a participant row names in place (checked by its form, saved here)."""

    name: str
    country: Country
    post_title: str = ""

    def create(self, meeting: Meeting, user=None) -> tuple[Official, Post | None]:
        """Save the official and find or save the post (the tenure is the caller's)."""
        official = Official(
            name=self.name, country=self.country, slug=unique_slug(Official, self.name)
        )
        _save(official, meeting, user)
        if not self.post_title:
            return official, None
        post = Post.objects.filter(country=self.country, title__iexact=self.post_title).first()
        if post is None:
            slug = unique_slug(Post, f"{self.country.iso2.lower()} {self.post_title}")
            post = Post(title=self.post_title, country=self.country, slug=slug)
            _save(post, meeting, user)
        return official, post


@dataclass
class NewAgreement:
    """An agreement an agreement row names in place (checked by its form, saved here)."""

    title: str
    kind: str

    def create(self, meeting: Meeting, user=None) -> Agreement:
        """Save the agreement itself, so the row's link can point at it."""
        agreement = Agreement(
            title=self.title, kind=self.kind, slug=unique_slug(Agreement, self.title)
        )
        _save(agreement, meeting, user)
        return agreement


def complete_agreement(agreement: Agreement, meeting: Meeting, role: str, user=None) -> None:
    """The new agreement's parties, status step and citations, from the saved meeting (its
    countries and citations are saved by then)."""
    agreement._change_reason = reason(meeting)
    with m2m_in_last_row(agreement):
        agreement.parties.set(meeting.countries.all())
    cited = list(
        MeetingCitation.objects.filter(meeting=meeting)
        .order_by("source__key", "paragraph")
        .values_list("source_id", "paragraph")
    )
    note = f"Recorded with the meeting {meeting.slug}."
    for source_id, paragraph in cited:
        citation = AgreementCitation(
            agreement=agreement, source_id=source_id, paragraph=paragraph, note=note[:300]
        )
        _save(citation, meeting, user)
    status = STEP_OF_ROLE.get(role)
    if status is None:
        return
    # A single known day is the day it was signed; a span or coarser date only bounds it.
    exact = (
        meeting.start_date is not None
        and meeting.date_precision == DatePrecision.DAY
        and meeting.date_extent == DateExtent.SINGLE
    )
    source_id, paragraph = cited[0] if cited else (None, None)
    step = AgreementStatusChange(
        agreement=agreement,
        status=status,
        date=meeting.start_date,
        precision=meeting.date_precision if meeting.start_date else DatePrecision.UNKNOWN,
        date_exact=exact,
        source_id=source_id,
        paragraph=paragraph,
        note=note[:300],
    )
    _save(step, meeting, user)
