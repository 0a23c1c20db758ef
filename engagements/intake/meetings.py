"""Meetings a report tells of: who met whom, where, when, and within what.

Sentence by sentence, over the sentence's mentions (officials, counterparts, countries,
cities, dates, groupings, mechanisms), the way news reports tell of meetings:

- talks: "A met B", "A held talks (discussions, bilaterals) with B and C", "A called on B",
  "in his meeting with B", "during A and B's meeting in Delhi", "A met his Australian and New
  Zealand counterparts" (one meeting per counterpart's country, named later when the report
  names them);
- visits: "A visited X", "A is on an official visit to X from September 2-4", "A concluded
  his visit to X", "A's visit to X", "during his visit to X", "upon his arrival in Y";
- meetings of a grouping: "the 11th ADMM-Plus", "the Quad Summit attended by B";
- sessions of a standing mechanism: "the 24th … Consultative Group meeting", "the 13th
  ministerial meeting of the … Dialogue", "the fifth 2+2 dialogue", with the edition from the
  ordinal ("inaugural" is the first), and next ones ("the next edition … is scheduled in
  December"), which are scheduled;
- industry events: "… Defence Industry Roundtable", "addressed the CEOs of … industries".

Parents: "on the sidelines (margins) of" a meeting; "during his visit", "during his stay",
and talks with the host country's officials while a visit is under way, are part of the
visit; "against the backdrop of" or "coincided with" another meeting is alongside it.

Dates: the date the sentence gives the meeting; else what its parent's dates allow (a
visit over 2–6 September holds talks "in September 2019"; a visit begun on a Monday and
reported on the Tuesday holds a meeting somewhere in those two days); a parent without dates
takes the month of its dated sessions. Never a day the text does not give.

Here: the reading of each sentence (its subject, the meeting it goes on about), talks,
visits, industry events and parents. The patterns are in ``meetingcues``, the meeting built
up in ``events``, which date and place of a clause is a meeting's in ``whenwhere``, grouping
meetings and mechanism sessions in ``sessions``, and the settling once the report is read
(parents, dates, countries, roles) in ``settling``.
"""

from __future__ import annotations

import datetime as dt
import re

from ..dates import DateExtent, DatePrecision
from ..models import MeetingKind, MeetingStatus, ParentRelation, Role
from .events import Event
from .masking import Masked
from .meetingcues import (
    ABOUT_CURRENT,
    ALONGSIDE,
    ANY,
    ARRIVAL,
    ARRIVED_ON,
    CANCELLED,
    DISCUSSING,
    DURING_VISIT,
    ENCOUNTER,
    FOR_THE_TALKS,
    FUTURE_MEETING,
    HIS_VISIT,
    INDUSTRY_ADDRESS,
    INDUSTRY_TITLE,
    INVITATION,
    JOINT_MEETING,
    MEETING_WITH,
    OBJECT_END,
    OFFICIAL,
    PRONOUN,
    SIDELINES,
    THE_VISIT,
    VISIT,
    VISIT_OF,
    WHO,
)
from .mentions import Marks
from .officials import People
from .sessions import SessionReading
from .settling import Settling
from .vocabulary import Vocabulary
from .when import NUMBER_WORDS, overlap
from .whenwhere import date_after, date_from, place_from, places_in


class Meetings(SessionReading, Settling):
    def __init__(
        self, vocabulary: Vocabulary, people: People, initiatives, published: dt.date | None
    ):
        self.vocabulary = vocabulary
        self.people = people
        self.initiatives = initiatives
        self.published = published
        self.events: list[Event] = []
        self.subject: int | None = None
        self.current: Event | None = None
        #: The meeting each sentence is about (by sentence index), for agreements' dates.
        self.about: dict[int, Event] = {}
        #: The meetings each sentence tells of itself.
        self.touched: dict[int, list[Event]] = {}

    # --- building -------------------------------------------------------------------

    def _new(self, kind: str, marks: Marks, **values) -> Event:
        event = Event(len(self.events), kind, **values)
        event.cite(marks)
        self.events.append(event)
        return event

    def _person(self, masked: Masked, placeholder: str):
        mention = masked.mention(placeholder)
        return None if mention is None else mention.value

    def read(self, marks: Marks, *, headline: bool = False) -> None:
        """Read one sentence: the meetings it tells of, and what it adds to them."""
        masked = Masked(marks, spans=True)
        text = masked.text
        named = self._subject(masked)
        # The one the sentence is about: the subject it names, or the one before ("He").
        actor = named if named is not None else self.subject
        touched: list[Event] = []
        if not headline:
            touched += self._sessions(marks, masked, actor)
            touched += self._grouping_meetings(marks, masked, actor)
            touched += self._visits(marks, masked, actor)
            touched += self._industry(marks, masked, actor)
            touched += self._encounters(marks, masked, actor)
            self._relations(marks, masked, touched, actor)
        reported = [e for e in touched if self._reported(e)]
        if reported:
            # What the following sentences go on about: talks or a session before a
            # courtesy call, and either before the visit they are part of.
            rank = {MeetingKind.VISIT: 0, MeetingKind.CALL: 1}
            best = max(rank.get(e.kind, 2) for e in reported)
            chosen = [e for e in reported if rank.get(e.kind, 2) == best]
            if best > 1 or self.current is None or self.current.kind == MeetingKind.VISIT:
                self.current = chosen[-1]
        elif (
            not touched
            and self.current is not None
            and (
                ABOUT_CURRENT.search(text)
                or (actor is not None and actor in self.current.people and DISCUSSING.search(text))
            )
        ):
            self.current.cite(marks)
        if THE_VISIT.search(text) and not touched:
            visit = self._visit_of(actor)
            if visit is not None and self._reported(visit):
                visit.cite(marks)
        if self.current is not None:
            self.about[marks.sentence.index] = self.current
        self.touched[marks.sentence.index] = touched
        if named is not None:
            self.subject = named

    def _reported(self, event: Event) -> bool:
        """Whether the report tells of the meeting as news (held lately, or being held),
        rather than recalling an earlier one or announcing a next one."""
        if event.status != MeetingStatus.HELD:
            return False
        if event.when and event.when.known and self.published:
            return (self.published - (event.when.last_day() or event.when.start)).days <= 45
        return True

    def _subject(self, masked: Masked) -> int | None:
        """The sentence's subject: the official it opens with (before its verb), or the
        subject of before for "He", "The Defence Minister"."""
        text = masked.text
        m = re.match(
            rf"^(?:(?:[^⟨,]|⟨(?:country|city|date|grouping|initiative):\d+⟩){{0,100}}?,\s*)?"
            rf"(?:⟨country:\d+⟩(?:['’]s)?\s+)?(?:(?:[A-Z][\w&'’.-]*|of|for|and|the|&|chief|"
            rf"minister|secretary|envoy|ambassador)\s+){{0,8}}({OFFICIAL})",
            text,
        )
        if m and not re.search(
            r"\b(?:with|to|by|of)\s+(?:(?:[A-Z][\w&'’.-]*|of|for|the)\s+){0,8}$",
            text[: m.start(1)],
        ):
            return self._person(masked, m.group(1))
        if PRONOUN.match(text) or re.match(r"^(?:[^,]{0,60},\s*)?(?:he|she)\b", text):
            return self.subject
        return None

    # --- talks ----------------------------------------------------------------------

    def _encounters(self, marks: Marks, masked: Masked, subject) -> list[Event]:
        text = masked.text
        found: list[Event] = []
        if FOR_THE_TALKS.search(text) and any(
            e.kind in (MeetingKind.MECHANISM, MeetingKind.MULTILATERAL, MeetingKind.SUMMIT)
            for e in self.events
        ):
            return found  # who took part in a session told of before, not talks of their own
        pairs: list[tuple[int | None, str, str, int]] = []  # subject, object, verb, at
        for m in ENCOUNTER.finditer(text):
            who = self._person(masked, m.group("subj"))
            objs = m.group("objs")
            stop = OBJECT_END.search(objs)
            objs = objs[: stop.start()] if stop else objs
            for obj in re.finditer(WHO, objs):
                pairs.append((who, obj.group(), m.group("verb"), m.start("verb")))
        for m in re.finditer(
            rf"^(?P<pre>{ANY}*?)\b(?P<verb>met(?:\s+with)?|held\s+(?:\w+\s+){{0,3}}(?:talks|discussions|bilaterals)\s+with|called\s+on)\s+(?P<objs>{ANY}*)",
            text,
        ):
            if re.search(OFFICIAL, m.group("pre")) or subject is None:
                continue  # the subject is named: ENCOUNTER has it
            objs = m.group("objs")
            stop = OBJECT_END.search(objs)
            objs = objs[: stop.start()] if stop else objs
            for obj in re.finditer(WHO, objs):
                pairs.append((subject, obj.group(), m.group("verb"), m.start("verb")))
        for m in MEETING_WITH.finditer(text):
            pairs.append((subject, m.group("obj"), "meeting", m.start()))
        for m in JOINT_MEETING.finditer(text):
            a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
            pairs.append((self._person(masked, a), b, "meeting", m.start()))
        places: dict[int, int] = {}  # event key → where its verb is
        for who, obj, verb, at in pairs:
            if who is None:
                continue
            mention = masked.mention(obj)
            kind = MeetingKind.CALL if re.search(r"call", verb) else MeetingKind.BILATERAL
            if mention.kind == "counterparts":
                for iso2 in mention.value.countries:
                    event = self._talks(marks, who, None, iso2, kind)
                    found.append(event)
                    places.setdefault(event.key, at)
                continue
            other = mention.value
            if other == who:
                continue
            event = self._talks(marks, who, other, None, kind)
            found.append(event)
            places.setdefault(event.key, at)
        shared = None
        for event in found:
            if event.when is None:
                # Talks told of in one clause share its date ("on Wednesday … held
                # bilaterals with A and B").
                date_from(self.events, masked, event, places.get(event.key))
                event.when = event.when or shared
            shared = shared or event.when
            place_from(masked, event)
            if CANCELLED.search(text):
                event.status = MeetingStatus.CANCELLED
            elif FUTURE_MEETING.search(text) and not re.search(r"\b(?:met|held)\b", text):
                event.status = MeetingStatus.SCHEDULED
        return found

    def _talks(
        self, marks: Marks, who: int, other: int | None, country: str | None, kind: str
    ) -> Event:
        """The meeting of ``who`` with ``other`` (or with their unnamed counterpart of
        ``country``): one already told of, or a new one."""
        other_country = self.people.person(other).country if other is not None else country
        for event in reversed(self.events):
            if event.dropped or event.kind not in (MeetingKind.BILATERAL, MeetingKind.CALL):
                continue
            if who not in event.people and event.subject != who:
                continue
            if other is not None and other in event.people:
                event.cite(marks)
                return event
            if other is not None and other_country in event.unnamed:
                event.unnamed.discard(other_country)
                event.people[other] = Role.HEAD
                event.cite(marks)
                return event
            if other is None and (
                country in event.unnamed
                or any(self.people.person(p).country == country for p in event.people if p != who)
            ):
                event.cite(marks)
                return event
        event = self._new(kind, marks, subject=who)
        event.people[who] = Role.HEAD
        if other is not None:
            event.people[other] = Role.HEAD
        else:
            event.unnamed.add(country)
        return event

    # --- visits ---------------------------------------------------------------------

    def _visit_of(self, person: int | None, countries: set[str] | None = None) -> Event | None:
        for event in reversed(self.events):
            if (
                event.kind == MeetingKind.VISIT
                and not event.dropped
                and event.visitor == person
                and (countries is None or not event.destinations or countries & event.destinations)
            ):
                return event
        return None

    def _visits(self, marks: Marks, masked: Masked, subject) -> list[Event]:
        text = masked.text
        found = []
        hits = []
        for m in VISIT.finditer(text):
            hits.append((self._person(masked, m.group("subj")), m.group("place"), m))
        for m in VISIT_OF.finditer(text):
            who = m.group("subj") or m.group("subj2")
            hits.append((self._person(masked, who), m.group("place") or m.group("place2"), m))
        for m in HIS_VISIT.finditer(text):
            if any(h[2].start() <= m.start() < h[2].end() for h in hits):
                continue
            hits.append((subject, m.group("place"), m))
        for who, place, m in hits:
            if who is None:
                continue
            countries, city = places_in(masked, place)
            if not countries:
                continue
            visit = self._visit(marks, masked, who, countries, city, m)
            if visit not in found:
                found.append(visit)
        for m in ARRIVED_ON.finditer(text):
            # "who arrived in the capital on June 20": the visit began that day.
            who = self._person(masked, m.group("who")) if m.group("who") else subject
            visit = self._visit_of(who)
            when = masked.mention(m.group("date")).value
            if visit is not None and visit.when is None and when.known:
                visit.when = when
                visit.visit_day = when.precision == DatePrecision.DAY
                visit.cite(marks)
        for m in ARRIVAL.finditer(text):
            visit = self._visit_of(subject)
            countries, city = places_in(masked, m.group("place"))
            if (
                visit is not None
                and city is not None
                and (not visit.destinations or city.country in visit.destinations)
            ):
                visit.city = visit.city or city
                visit.cite(marks)
        for m in INVITATION.finditer(text):
            host = self._person(masked, m.group("host"))
            for visit in found:
                if host is not None and host != visit.visitor:
                    visit.people.setdefault(host, Role.HOST)
        return found

    def _visit(self, marks: Marks, masked: Masked, who: int, countries: set[str], city, m) -> Event:
        when = date_after(masked, m.end(), window=60)
        past = re.search(r"\b(?:recent|earlier|last|previous|former|successful)\b", m.group())
        for event in reversed(self.events):
            if event.kind != MeetingKind.VISIT or event.visitor != who or event.dropped:
                continue
            if not (countries & event.destinations or countries <= event.destinations):
                continue
            if when and event.when and not overlap(when, event.when):
                continue
            if past and event.when and when is None:
                continue
            if when and not event.when:
                event.when = when
            length = re.search(r"\b(?P<n>\w+)-day\b", m.group())
            if length and not event.days:
                event.days = _number(length.group("n"))
            if len(event.destinations | countries) == 1:
                event.city = event.city or city
            event.destinations |= countries
            event.cite(marks)
            return event
        event = self._new(MeetingKind.VISIT, marks, visitor=who, subject=who)
        event.people[who] = Role.HEAD
        length = re.search(r"\b(?P<n>\w+)-day\b", m.group())
        if length:
            event.days = _number(length.group("n"))
        event.destinations = set(countries)
        event.city = city
        event.when = when
        if when and when.precision == DatePrecision.DAY and when.extent == DateExtent.SINGLE:
            event.visit_day = True
        return event

    # --- industry -------------------------------------------------------------------

    def _industry(self, marks: Marks, masked: Masked, subject) -> list[Event]:
        found = []
        for m in INDUSTRY_TITLE.finditer(marks.text):
            title = m.group("title").strip()
            event = next(
                (e for e in self.events if e.kind == MeetingKind.INDUSTRY and e.title == title),
                None,
            )
            if event is None:
                event = self._new(MeetingKind.INDUSTRY, marks, title=title)
            else:
                event.cite(marks)
            if subject is not None:
                role = (
                    Role.SPEAKER
                    if re.search(r"\b(?:address|speech|spoke|keynote)", marks.text, re.I)
                    else Role.PARTICIPANT
                )
                event.people.setdefault(subject, role)
            for mention in marks.mentions + marks.hidden:  # "India-UK … Roundtable"
                if mention.kind == "country" and m.start() <= mention.begin < m.end():
                    event.countries.add(mention.value)
            found.append(event)
        for m in INDUSTRY_ADDRESS.finditer(marks.text):
            named = next((e for e in found if e.kind == MeetingKind.INDUSTRY), None)
            if named is not None:  # "addressed the CEOs of … at the … Roundtable"
                named.described.append(
                    {"description": " ".join(m.group("who").split()), "role": Role.PARTICIPANT}
                )
                for mention in marks.mentions:
                    if mention.kind == "country" and m.start("who") <= mention.begin < m.end("who"):
                        named.countries.add(mention.value)
                continue
            if subject is None:
                continue
            who = " ".join(m.group("who").split())
            event = self._new(MeetingKind.INDUSTRY, marks)
            event.people[subject] = (
                Role.SPEAKER if m.group().lower().startswith("address") else Role.PARTICIPANT
            )
            event.described.append({"description": who, "role": Role.PARTICIPANT})
            for mention in marks.mentions:  # "CEOs of Korean and Indian defence industries"
                if mention.kind == "country" and m.start("who") <= mention.begin < m.end("who"):
                    event.countries.add(mention.value)
            place_from(masked, event)
            found.append(event)
        return found

    # --- relations ------------------------------------------------------------------

    def _relations(self, marks: Marks, masked: Masked, touched: list[Event], subject) -> None:
        text = masked.text
        sidelines = SIDELINES.search(text)
        if sidelines:
            host = None
            tail = sidelines.group("of") or ""
            token = re.search(r"⟨(?:grouping|initiative):\d+⟩", tail)
            if token:
                mention = masked.mention(token.group())
                host = next(
                    (
                        e
                        for e in touched
                        if (mention.kind == "grouping" and e.grouping == mention.value)
                        or (mention.kind == "initiative" and e.mechanism == mention.value)
                    ),
                    None,
                )
            if host is None:  # "on the sidelines of the dialogue (summit)": the one told of
                host = next(
                    (
                        e
                        for e in reversed(self.events)
                        if e.kind
                        in (MeetingKind.MULTILATERAL, MeetingKind.SUMMIT, MeetingKind.MECHANISM)
                        and self._reported(e)
                        and not e.dropped
                        and e not in touched
                    ),
                    None,
                )
            if host is not None:
                for event in touched:
                    if event is not host and event.kind in (
                        MeetingKind.BILATERAL,
                        MeetingKind.CALL,
                        MeetingKind.INDUSTRY,
                    ):
                        event.parent, event.relation = host, ParentRelation.SIDELINES
        alongside = ALONGSIDE.search(text)
        if alongside:
            after = masked.mentions_in(text[alongside.end() :])
            target = None
            for mention in after:
                target = next(
                    (
                        e
                        for e in touched
                        if (mention.kind == "initiative" and e.mechanism == mention.value)
                        or (mention.kind == "grouping" and e.grouping == mention.value)
                    ),
                    None,
                )
                if target:
                    break
            if target is not None:
                first = [e for e in touched if e is not target]
                if not first:
                    current = self._visit_of(subject) or self.current
                    first = [current] if current is not None and current is not target else []
                for event in first:
                    if event.parent is None:
                        event.parent, event.relation = target, ParentRelation.ALONGSIDE
        visit = None
        if DURING_VISIT.search(text) or re.search(
            r"\b(?:culminated|concluded|ended|began|commenced)\s+(?:in|with)\b", text
        ):
            visit = next(
                (e for e in touched if e.kind == MeetingKind.VISIT), None
            ) or self._visit_of(subject)
        else:
            visit = next((e for e in touched if e.kind == MeetingKind.VISIT), None)
        if visit is not None:
            visit.cite(marks)
            for event in touched:
                if event is not visit and event.parent is None and event.kind != MeetingKind.VISIT:
                    if event.kind in (MeetingKind.MULTILATERAL, MeetingKind.SUMMIT):
                        continue
                    event.parent, event.relation = visit, ParentRelation.PART_OF


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)
