"""Meetings of groupings and sessions of standing mechanisms, as a report tells of them.

"the 11th ADMM-Plus", "the Quad Summit attended by B", "the 24th … Consultative Group
meeting", "the fifth 2+2 dialogue", "the next edition … is scheduled in December": the
edition from the ordinal ("inaugural" is the first), whether it is held or to come, its date
and place, and who chaired or led it. ``SessionReading`` is one of the readers ``Meetings``
is made of: it uses the reader's events, vocabulary, initiatives and report date, and its
``_new``, ``_person`` and ``_reported``.
"""

from __future__ import annotations

import re

from ..models import GroupingKind, InitiativeKind, MeetingKind, MeetingStatus, Role
from .events import Event
from .masking import Masked
from .meetingcues import (
    ATTEND,
    ATTENDED_BY,
    CANCELLED,
    CHAIR,
    FOR_THE_TALKS,
    NEXT,
    OFFICIAL,
    PLACES,
    SCHEDULED,
    SESSION_WORDS,
    SIDELINES,
)
from .mentions import Marks
from .titles import ORDINAL, ordinal_value
from .when import overlap
from .whenwhere import date_after, date_in, place_from, places_in


class SessionReading:
    """The reading of grouping meetings and mechanism sessions (mixed into ``Meetings``)."""

    def _grouping_meetings(self, marks: Marks, masked: Masked, subject) -> list[Event]:
        text = masked.text
        found = []
        for mention in [m for m in masked.chosen if m.kind == "grouping"]:
            grouping = self.vocabulary.grouping(mention.value)
            token = f"⟨grouping:{masked.chosen.index(mention)}⟩"
            at = text.index(token)
            after = text[at + len(token) : at + len(token) + 40]
            before = text[max(0, at - 60) : at]
            ordinal = re.search(rf"({ORDINAL})\s*$", before, re.I)
            noun = re.match(
                r"\s*(?:\(⟨[^⟩]+⟩\)|\([A-Z][\w-]*\))?\s*(?:[-–]\s*⟨country:\d+⟩\s*)?[-–]?\s*"
                r"(?P<noun>Summit|Meeting|Ministerial|Conference|Conclave|Retreat|Plus)\b",
                after,
                re.I,
            )
            named_meeting = "meeting" in grouping.name.lower()
            cue = (
                ordinal
                or noun
                or SIDELINES.search(before)
                or re.search(
                    r"\b(?:attended|attend|participated\s+in|took\s+part\s+in|at\s+the|hosted)\s+(?:the\s+)?$",
                    before,
                    re.I,
                )
            )
            if not cue or not (named_meeting or noun):
                continue
            kind = (
                MeetingKind.SUMMIT
                if noun and noun.group("noun").lower() == "summit"
                else MeetingKind.MULTILATERAL
            )
            edition = ordinal_value(ordinal.group(1)) if ordinal else None
            event = next(
                (
                    e
                    for e in self.events
                    if e.grouping == grouping.slug
                    and not e.dropped
                    and (edition is None or e.edition in (None, edition))
                    and e.kind == kind
                ),
                None,
            )
            if event is None:
                event = self._new(kind, marks, grouping=grouping.slug, edition=edition)
            else:
                event.cite(marks)
                event.edition = event.edition or edition
            if noun and "⟨country" in noun.group():  # "the ASEAN-India Summit"
                event.title = event.title or masked.raw_text(at, at + len(token) + noun.end())
            end = at + len(token) + (noun.end() if noun else 0)
            # "met B on the sidelines of the X in Y, on November 21": the day is the talks'.
            if not SIDELINES.search(before):
                event.when = event.when or date_after(masked, end, window=70)
            places_after = re.match(
                rf"\s*(?:\([^)]*\))?\s*[-–]?\s*(?:Plus\s*)?(?:\([^)]*\))?\s*in\s+(?P<place>{PLACES})",
                text[end:],
            )
            if places_after:
                countries, city = places_in(masked, places_after.group("place"))
                event.city = event.city or city
                if len(countries) == 1:
                    event.country = event.country or next(iter(countries))
            by = ATTENDED_BY.search(text[end:])
            if by:
                event.people.setdefault(self._person(masked, by.group("who")), Role.HEAD)
            elif subject is not None and re.search(
                r"\b(?:attended|participated|took\s+part|addressed|attend)\b", text[:at], re.I
            ):
                event.people.setdefault(subject, Role.HEAD)
            if grouping.kind == GroupingKind.MINILATERAL:
                event.countries.update(grouping.members_on(self.published))
            found.append(event)
        return found

    def _sessions(self, marks: Marks, masked: Masked, subject) -> list[Event]:
        text = masked.text
        found = []
        for mention in [m for m in masked.chosen if m.kind == "initiative"]:
            thing = self.initiatives.thing(mention.value)
            if thing.kind != InitiativeKind.MECHANISM:
                continue
            token = f"⟨initiative:{masked.chosen.index(mention)}⟩"
            at = text.index(token)
            end = at + len(token)
            before, after = text[max(0, at - 80) : at], text[end : end + 40]
            ordinal = re.search(
                rf"\b({ORDINAL})\s+(?:(?:[\w-]+\s+){{0,2}}{SESSION_WORDS}\s+of\s+(?:the\s+)?)?$",
                before,
                re.I,
            ) or re.search(rf"\b({ORDINAL})\s+(?:[\w-]+\s+)?$", before, re.I)
            nxt = NEXT.search(before[-40:] + " ") or re.search(r"\bnext\s+$", before, re.I)
            noun = re.match(
                rf"\s*(?:\([^)]*\))?\s*(?:ministerial\s+)?{SESSION_WORDS}\b", after, re.I
            )
            session_of = re.search(rf"\b{SESSION_WORDS}\s+of\s+(?:the\s+)?$", before, re.I)
            chaired = re.search(r"\b(?:co-?chaired|chaired|convened)\b", text, re.I)
            if not (ordinal or nxt or noun or session_of or chaired):
                continue  # the mechanism named, not one of its sessions
            edition = ordinal_value(ordinal.group(1)) if ordinal else None
            event = self._session(marks, masked, thing.key, edition, bool(nxt), at, end)
            if (
                event.status == MeetingStatus.HELD
                and subject is not None
                and ATTEND.search(text[:at])
            ):
                self._chairs(masked, event, subject, text[:at], text[end:])
            found.append(event)
        if not found:
            found += self._editions(marks, masked, subject)
        return found

    def _session(
        self, marks, masked, mechanism: int, edition, nxt: bool, at: int, end: int
    ) -> Event:
        """A session of ``mechanism``: its status, date and place from the sentence."""
        text = masked.text
        clause = text[at:]
        # "agreed … to hold the inaugural …": a session to come.
        later = re.search(
            r"\bto\s+(?:hold|host|convene|organi[sz]e)\s+(?:(?:the|an?|its|their)\s+)?(?:[\w-]+\s+){0,2}$",
            text[max(0, at - 60) : at],
        )
        scheduled = (
            nxt
            or bool(later)
            or bool(
                SCHEDULED.search(clause)
                and not re.search(r"\b(?:held|was|were)\b", text[at : end + 60])
            )
        )
        when = date_after(masked, end, window=90) or (date_in(masked) if scheduled else None)
        if (
            when
            and when.known
            and (
                (self.published and when.start > self.published)
                or re.search(r"\b(?:later|next|coming|upcoming)\b", when.text, re.I)
            )
        ):
            scheduled = True  # a session dated after the report is still to come
        status = MeetingStatus.SCHEDULED if scheduled else MeetingStatus.HELD
        if CANCELLED.search(text):
            status = MeetingStatus.CANCELLED
        event = next(
            (
                e
                for e in self.events
                if e.mechanism == mechanism
                and not e.dropped
                and e.status == status
                and (edition is None or e.edition in (None, edition))
                and (when is None or e.when is None or overlap(when, e.when))
            ),
            None,
        )
        if event is None:
            event = self._new(
                MeetingKind.MECHANISM, marks, mechanism=mechanism, edition=edition, status=status
            )
        else:
            event.cite(marks)
            event.edition = event.edition or edition
        event.when = event.when or when
        place_from(masked, event)
        host = re.search(r"(⟨country:\d+⟩)\s+(?:will|would|is\s+to|shall)\s+host\b", text[:at])
        if host and not event.country:  # "Vietnam would host the next …"
            event.country = masked.mention(host.group(1)).value
        return event

    def _chairs(self, masked: Masked, event: Event, subject: int, before: str, after: str) -> None:
        """Who chaired or led a session: the subject, and whoever it did so "with" or
        "alongside"."""
        role = Role.HEAD
        if CHAIR.search(before):
            role = Role.CO_CHAIR
        elif re.search(r"\bchaired\b", before):
            role = Role.CHAIR
        event.people.setdefault(subject, role)
        for other in re.finditer(OFFICIAL, after):
            if re.search(r"\b(?:alongside|with)\b", after[: other.start()]):
                event.people.setdefault(self._person(masked, other.group()), role)

    def _editions(self, marks: Marks, masked: Masked, subject) -> list[Event]:
        """Sessions of the mechanism last named, told of without its name: "the third
        edition, in New Delhi in 2020", "the next dialogue", "A and B led the talks"."""
        text = masked.text
        last = next(
            (e for e in reversed(self.events) if e.kind == MeetingKind.MECHANISM and not e.dropped),
            None,
        )
        if last is None:
            return []
        found: list[Event] = []
        led = re.search(
            rf"(?P<who>{OFFICIAL}(?:\s*(?:,|and)\s*(?:[^⟨.;]|⟨country:\d+⟩){{0,40}}?{OFFICIAL})*)\s+"
            r"(?:co-?chaired|chaired|"
            r"led|headed)\s+(?:the|their)\s+(?:talks|dialogue|meeting|session|delegations)\b",
            text,
        )
        if led and self._reported(last):
            role = Role.CO_CHAIR if CHAIR.search(led.group()) else Role.HEAD
            for who in re.finditer(OFFICIAL, led.group("who")):
                last.people.setdefault(self._person(masked, who.group()), role)
            last.cite(marks)
            found.append(last)
        elif FOR_THE_TALKS.search(text) and self._reported(last):
            # "A and B hosted C and D for the talks": all of them took part in the session.
            for who in re.finditer(OFFICIAL, text[: FOR_THE_TALKS.search(text).start()]):
                last.people.setdefault(self._person(masked, who.group()), Role.HEAD)
            last.cite(marks)
            found.append(last)
        for m in re.finditer(
            rf"\b(?:the\s+)?(?:(?P<ord>{ORDINAL})|(?P<next>next|previous|last))\s+"
            rf"(?:(?:ministerial|annual)\s+)?(?:edition|session|round|meeting|dialogue|talks)\b",
            text,
            re.I,
        ):
            if m.group("next") and m.group("next").lower() in ("previous", "last"):
                edition = last.edition - 1 if last.edition and last.edition > 1 else None
                nxt = False
            elif m.group("next"):
                edition, nxt = None, True
            else:
                edition, nxt = ordinal_value(m.group("ord")), False
            if edition is not None and edition == last.edition:
                last.cite(marks)
                found.append(last)
                continue
            found.append(
                self._session(marks, masked, last.mechanism, edition, nxt, m.start(), m.end())
            )
        return found
