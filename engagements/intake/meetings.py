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
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..dates import DateExtent, DatePrecision
from ..models import GroupingKind, InitiativeKind, MeetingKind, MeetingStatus, ParentRelation, Role
from .masking import Masked
from .mentions import Marks
from .officials import People
from .places import City
from .titles import ORDINAL, ordinal_value
from .vocabulary import HOME, Vocabulary
from .when import When, at_precision, within

_OFF = r"⟨official:\d+⟩"
_CP = r"⟨counterparts:\d+⟩"
_WHO = rf"(?:{_OFF}|{_CP})"
_PLACE = r"⟨(?:country|city):\d+⟩"
_PLACES = rf"{_PLACE}(?:\s*(?:,|and|&)\s*(?:the\s+)?{_PLACE})*(?:\s*\(⟨country:\d+⟩\))?"
# A full stop that ends no clause: after an initial or an abbreviated rank ("Gen. Pande").
_ABBR_DOT = (
    r"(?:(?<=\bGen)|(?<=\bLt)|(?<=\bCol)|(?<=\bDr)|(?<=\bMr)|(?<=\bMrs)|(?<=\bMs)|"
    r"(?<=\bAdm)|(?<=\bBrig)|(?<=\bMaj)|(?<=\bCapt)|(?<=\bSt)|(?<=\b[A-Z]))\."
)
#: Any character of one clause.
_ANY = rf"(?:[^.;]|\.(?=\S)|{_ABBR_DOT})"
# Words between a subject and its verb: adverbs, a date, "also", a title in apposition.
_GAP = r"(?:[^.;⟨]|⟨(?:date|country|city):\d+⟩){0,60}?"

ENCOUNTER = re.compile(
    rf"(?P<subj>{_OFF})(?P<gap>{_GAP})\b(?P<verb>"
    r"met(?:\s+with)?|meets(?:\s+with)?|(?:will|to|would)\s+meet(?:\s+with)?|meeting\s+with|"
    r"held\s+(?:(?:a|an|bilateral|separate|extensive|wide-ranging|delegation-level|detailed|"
    r"fruitful|productive|comprehensive)\s+){0,3}(?:talks|discussions|meetings?|bilaterals|"
    r"consultations|parleys|a\s+meeting|bilateral\s+meetings?)\s+with|"
    r"engaged\s+in\s+(?:\w+\s+){0,3}(?:talks|discussions|dialogue)\s+with|"
    r"had\s+(?:\w+\s+){0,4}(?:talks|discussions|meetings?|interactions?|conversation|"
    r"opportunity\s+to\s+meet)(?:\s+with)?|"
    r"spoke\s+(?:to|with)|called\s+on|calls\s+on|paid\s+(?:a\s+)?(?:courtesy\s+)?call\s+on|"
    r"received|hosted|interacted\s+with|conferred\s+with|"
    r"(?:to\s+)?discuss(?:ed)?\s+(?:[^⟨.;]{0,60}?)\s+with"
    rf")\s+(?P<objs>{_ANY}*)"
)
#: Where a sentence's objects end: a new clause ("…, where he", "and discussed").
OBJECT_END = re.compile(
    r"\s+(?:to\s+(?:discuss|review|explore|strengthen)|where|who\s+(?!is\b)|which|and\s+"
    r"(?:discussed|reviewed|agreed|held|also)|after|before)\b|[;]"
)
MEETING_WITH = re.compile(
    rf"\b(?i:in|during|at|after|before|following)\s+(?:his|her|their|the|a)\s+(?:\w+\s+){{0,2}}"
    rf"(?:meeting|talks|discussions|interaction|bilateral|conversation)\s+with\s+"
    rf"(?:(?:⟨country:\d+⟩|[A-Z][\w&'’.-]*|of|for|and|the|&)\s+){{0,12}}(?P<obj>{_WHO})"
)
JOINT_MEETING = re.compile(
    rf"(?P<a>{_OFF})(?:[^⟨.;]|⟨country:\d+⟩){{0,50}}?\s+and\s+(?:[^⟨.;]|⟨country:\d+⟩){{0,50}}?"
    rf"(?P<b>{_OFF})['’]s?\s+(?:\w+\s+){{0,2}}(?:meeting|talks|discussions)"
    rf"|(?:meeting|talks|discussions)\s+between\s+(?P<c>{_OFF})\s+and\s+(?P<d>{_OFF})"
)
VISIT = re.compile(
    rf"(?P<subj>{_OFF})(?P<gap>{_GAP})\b(?P<verb>visited|visits|is\s+visiting|will\s+visit|"
    rf"(?:is|was|will\s+be)\s+on\s+(?:an?|his|her)\s+(?:[\w-]+\s+){{0,3}}visit\s+to|"
    rf"arrived\s+in|arrives\s+in|reached|travell?ed\s+to|will\s+travel\s+to|"
    rf"(?:concluded|began|begins|started|ended|wrapped\s+up|paid|pays|undertook|embarked\s+on)"
    rf"\s+(?:an?|his|her|the)\s+(?:[\w-]+\s+){{0,3}}visit\s+to)\s+(?:the\s+)?(?P<place>{_PLACES})"
)
VISIT_OF = re.compile(
    rf"(?P<subj>{_OFF})['’]s?\s+(?:[\w-]+\s+){{0,3}}visit\s+to\s+(?:the\s+)?(?P<place>{_PLACES})"
    rf"|visit\s+of\s+(?:⟨country:\d+⟩(?:['’]s)?\s+)?(?:[A-Z][\w]*\s+){{0,4}}(?P<subj2>{_OFF})\s+to\s+"
    rf"(?:the\s+)?(?P<place2>{_PLACES})"
)
HIS_VISIT = re.compile(
    rf"\b(?P<lead>during|on|after|before|upon|ahead\s+of|since)?\s*(?:his|her|(?i:the)\s+"
    rf"(?:[A-Z][\w-]*\s+){{0,3}}(?:[Mm]inister|[Ss]ecretary|[Cc]hief|President|Ambassador|"
    rf"Admiral|General)['’]s)\s+"
    rf"(?P<adj>(?:[\w-]+\s+){{0,3}})visit\s+to\s+(?:the\s+)?(?P<place>{_PLACES})"
)
ARRIVED_ON = re.compile(
    rf"(?P<who>{_OFF})?[^.;⟨]{{0,20}}\barriv(?:ed|es)\s+in\s+(?:the\s+(?:capital|city)|{_PLACE})"
    rf"(?:\s+\w+){{0,2}}?\s+(?:on\s+)?(?P<date>⟨date:\d+⟩)"
)
ARRIVAL = re.compile(rf"\b(?:upon|on|after)\s+(?:his|her)\s+arrival\s+in\s+(?P<place>{_PLACE})")
INVITATION = re.compile(rf"\b(?i:at)\s+the\s+invitation\s+of\s+(?:[^⟨.;]{{0,30}})?(?P<host>{_OFF})")
DURING_VISIT = re.compile(
    r"\b(?:during|in\s+the\s+course\s+of|as\s+part\s+of|on)\s+(?:his|her|the|this)\s+"
    r"(?:[\w-]+\s+)?(?:visit|stay|trip|tour)\b",
    re.IGNORECASE,
)
THE_VISIT = re.compile(r"\b(?:the|this|his|her)\s+(?:[\w-]+\s+)?(?:visit|trip|tour|stay)\b", re.I)
SIDELINES = re.compile(
    r"\b(?:on|at)\s+the\s+(?:sidelines|margins)(?:\s+of\s+(?:the\s+)?(?P<of>[^.;]*))?", re.I
)
ALONGSIDE = re.compile(
    r"\b(?:against\s+the\s+backdrop\s+of|coincided\s+with|coincides\s+with|on\s+the\s+same\s+"
    r"day\s+as|alongside\s+the|at\s+the\s+same\s+time\s+as)\b",
    re.I,
)
ATTEND = re.compile(
    r"\b(?:attended|attends|attending|participated\s+in|took\s+part\s+in|addressed|"
    r"address(?:ing)?|led|co-?chaired|chaired|hosted|will\s+attend|to\s+attend|at)\b",
    re.I,
)
ATTENDED_BY = re.compile(
    rf"\b(?:attended|chaired|hosted|addressed)\s+by\s+(?:[^⟨.;]{{0,30}})?(?P<who>{_OFF})"
)
SESSION_WORDS = r"(?:meeting|session|round|edition|talks|dialogue|summit)"
NEXT = re.compile(
    rf"\b(?:the\s+)?next\s+(?:(?:edition|meeting|session|round)\s+of\s+(?:the\s+)?)?"
    rf"(?=⟨initiative:\d+⟩|{SESSION_WORDS})",
    re.I,
)
SCHEDULED = re.compile(
    r"\b(?:scheduled|slated|will\s+be\s+held|to\s+be\s+held|will\s+take\s+place|to\s+take\s+"
    r"place|is\s+to\s+be|are\s+to\s+be|planned|expected\s+to\s+be\s+held|will\s+meet|next|"
    r"would\s+be\s+held|would\s+take\s+place|would\s+meet)\b",
    re.I,
)
#: The session already told of: "… hosted A and B for the talks".
FOR_THE_TALKS = re.compile(r"\bfor\s+the\s+(?:talks|dialogue|meeting|session|summit|discussions)\b")
#: Words that open a clause of its own between a date and a verb.
SUBORDINATE = re.compile(
    r",\s*(?:during\s+which|after\s+which|where|when|while|before|after|and\s+(?:he|she|they))\b",
    re.I,
)
CANCELLED = re.compile(r"\b(?:cancelled|canceled|postponed|called\s+off|deferred)\b", re.I)
CHAIR = re.compile(r"\bco-?chair(?:ed|s|ing)?\b", re.I)
INDUSTRY_TITLE = re.compile(
    r"(?<![\w-])(?P<title>(?:[A-Z][\w&’'-]*\s+){0,6}(?:Industry\s+Roundtable|Roundtable|"
    r"Business\s+(?:Forum|Summit|Meet)|CEOs?['’]?\s+Forum|Industry\s+Meet|Investors?['’]?\s+"
    r"(?:Meet|Roundtable|Summit)|Industry\s+Conclave|Seminar|Conclave|Webinar|Symposium))"
)
INDUSTRY_ADDRESS = re.compile(
    r"\b(?:addressed|interacted\s+with|met|held\s+(?:a\s+)?(?:meeting|interaction)\s+with)\s+"
    r"(?:the\s+)?(?P<who>(?:CEOs|chief\s+executives|captains|heads|representatives|leaders|"
    r"members)\s+of\s+[^,.;]{3,90}?(?:industries|industry|companies|firms|businesses|"
    r"enterprises|corporations))",
    re.I,
)
ABOUT_CURRENT = re.compile(
    r"^(?:[^,]{0,40},\s*)?[\"“]?(?:both|the\s+two)\s+(?:sides|leaders|ministers|prime\s+"
    r"ministers|defence\s+ministers|countries|nations|delegations)\b|"
    r"\bthe\s+(?:talks|discussions|meeting|bilateral)\b",
    re.I,
)
PRONOUN = re.compile(
    r"^(?:He|She|His|Her|The\s+(?:[A-Z][\w-]*\s+){0,3}(?:Minister|Mantri|Secretary|[Cc]hief|"
    r"President|Ambassador|Commissioner|Envoy|Admiral|General)(?:['’]s)?)\b"
)
#: Verbs by which a sentence goes on about the meeting its subject is in.
DISCUSSING = re.compile(
    r"\b(?:said|says|emphasi[sz]ed|invited|requested|highlighted|expressed|congratulated|"
    r"recalled|pointed\s+out|agreed|discussed|stressed|noted|welcomed|praised|called\s+for|"
    r"proposed|offered|thanked|underlined|reiterated|reviewed|appreciated|acknowledged|"
    r"affirmed|committed|conveyed|briefed|urged|sought|assured)\b",
    re.I,
)
#: A future meeting: "will meet", "is scheduled to hold talks".
FUTURE_MEETING = re.compile(
    r"\b(?:will|shall)\s+(?:meet|hold|visit|travel)|\bis\s+(?:scheduled|set|expected|due|slated)"
    r"\s+to\b|\b(?:is|are)\s+to\s+(?:meet|hold)\b",
    re.I,
)
HEADS_OF_GOVERNMENT = re.compile(
    r"\b(?:Prime\s+Minister|PM|President|King|Emir|Sultan|Premier|Chancellor)\b"
)


@dataclass
class Event:
    """A meeting of the report, built up as sentences tell of it."""

    key: int
    kind: str
    people: dict[int, str] = field(default_factory=dict)  # person key → role
    described: list[dict] = field(default_factory=list)
    #: Countries a counterpart of the subject is of, while that counterpart is unnamed.
    unnamed: set[str] = field(default_factory=set)
    when: When | None = None
    city: City | None = None
    country: str | None = None
    destinations: set[str] = field(default_factory=set)
    status: str = MeetingStatus.HELD
    parent: Event | None = None
    relation: str = ""
    mechanism: int | None = None  # an initiative key
    edition: int | None = None
    grouping: str | None = None
    title: str = ""
    paragraphs: set[int] = field(default_factory=set)
    sentences: set[int] = field(default_factory=set)
    visitor: int | None = None
    subject: int | None = None
    countries: set[str] = field(default_factory=set)
    dropped: bool = False
    #: The sentence gave the day of a visit ("during his visit … on Monday"): it ran from it.
    visit_day: bool = False
    #: How many days a visit lasted, as the text gives it ("a four-day visit").
    days: int | None = None

    def cite(self, marks: Marks) -> None:
        self.paragraphs.add(marks.paragraph)
        self.sentences.add(marks.sentence.index)


class Meetings:
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
            rf"minister|secretary|envoy|ambassador)\s+){{0,8}}({_OFF})",
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
            for obj in re.finditer(_WHO, objs):
                pairs.append((who, obj.group(), m.group("verb"), m.start("verb")))
        for m in re.finditer(
            rf"^(?P<pre>{_ANY}*?)\b(?P<verb>met(?:\s+with)?|held\s+(?:\w+\s+){{0,3}}(?:talks|discussions|bilaterals)\s+with|called\s+on)\s+(?P<objs>{_ANY}*)",
            text,
        ):
            if re.search(_OFF, m.group("pre")) or subject is None:
                continue  # the subject is named: ENCOUNTER has it
            objs = m.group("objs")
            stop = OBJECT_END.search(objs)
            objs = objs[: stop.start()] if stop else objs
            for obj in re.finditer(_WHO, objs):
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
                self._date_from(marks, masked, event, places.get(event.key))
                event.when = event.when or shared
            shared = shared or event.when
            self._place_from(marks, masked, event)
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

    def _places(self, masked: Masked, text: str) -> tuple[set[str], City | None]:
        countries, city = set(), None
        for mention in masked.mentions_in(text):
            if mention.kind == "country":
                countries.add(mention.value)
            elif mention.kind == "city":
                city = city or mention.value
                countries.add(mention.value.country)
        return countries, city

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
            countries, city = self._places(masked, place)
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
            countries, city = self._places(masked, m.group("place"))
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
        when = self._date_after(masked, m.end(), window=60)
        past = re.search(r"\b(?:recent|earlier|last|previous|former|successful)\b", m.group())
        for event in reversed(self.events):
            if event.kind != MeetingKind.VISIT or event.visitor != who or event.dropped:
                continue
            if not (countries & event.destinations or countries <= event.destinations):
                continue
            if when and event.when and not _overlap(when, event.when):
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

    # --- meetings of groupings and mechanisms ---------------------------------------

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
                event.when = event.when or self._date_after(masked, end, window=70)
            places_after = re.match(
                rf"\s*(?:\([^)]*\))?\s*[-–]?\s*(?:Plus\s*)?(?:\([^)]*\))?\s*in\s+(?P<place>{_PLACES})",
                text[end:],
            )
            if places_after:
                countries, city = self._places(masked, places_after.group("place"))
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
        when = self._date_after(masked, end, window=90) or (
            self._date_in(masked) if scheduled else None
        )
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
                and (when is None or e.when is None or _overlap(when, e.when))
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
        self._place_from(marks, masked, event)
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
        for other in re.finditer(_OFF, after):
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
            rf"(?P<who>{_OFF}(?:\s*(?:,|and)\s*(?:[^⟨.;]|⟨country:\d+⟩){{0,40}}?{_OFF})*)\s+"
            r"(?:co-?chaired|chaired|"
            r"led|headed)\s+(?:the|their)\s+(?:talks|dialogue|meeting|session|delegations)\b",
            text,
        )
        if led and self._reported(last):
            role = Role.CO_CHAIR if CHAIR.search(led.group()) else Role.HEAD
            for who in re.finditer(_OFF, led.group("who")):
                last.people.setdefault(self._person(masked, who.group()), role)
            last.cite(marks)
            found.append(last)
        elif FOR_THE_TALKS.search(text) and self._reported(last):
            # "A and B hosted C and D for the talks": all of them took part in the session.
            for who in re.finditer(_OFF, text[: FOR_THE_TALKS.search(text).start()]):
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
            self._place_from(marks, masked, event)
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

    # --- dates and places -------------------------------------------------------------

    def _date_after(self, masked: Masked, at: int, window: int) -> When | None:
        text = masked.text
        for m in re.finditer(r"⟨date:\d+⟩", text[at : at + window]):
            between = text[at : at + m.start()]
            if re.search(r"[.;]|\b(?:which|who|while|when|where|and\s+(?:he|she))\b", between):
                break
            when = masked.mention(m.group()).value
            if when.known:
                return when
        return None

    def _date_in(self, masked: Masked) -> When | None:
        dates = [m.value for m in masked.chosen if m.kind == "date" and m.value.known]
        return dates[0] if len(dates) == 1 else None

    def _date_from(self, marks: Marks, masked: Masked, event: Event, at: int | None = None) -> None:
        """The date of the clause a meeting is told in: between its subject and verb, or
        after the verb in the same clause; not a date in an aside ("…, who arrived on June
        20, …") or held by another meeting of the sentence (but the visit it is part of)."""
        if event.when is not None:
            return
        text = masked.text
        claimed = {
            id(e.when)
            for e in self.events
            if e is not event and e.when is not None and e.kind != MeetingKind.VISIT
        }
        asides = [
            (m.start(), m.end())
            for m in re.finditer(r",\s*(?:who|which|where|when)\b[^,;]*,", text)
        ]
        for index, mention in enumerate(masked.chosen):
            if mention.kind != "date" or not mention.value.known or id(mention.value) in claimed:
                continue
            where = text.find(f"⟨date:{index}⟩")
            if any(a <= where < b for a, b in asides):
                continue
            if (
                at is not None
                and where > at
                and re.search(r"[;]|,\s+(?:and|but)\s", text[at:where])
            ):
                continue
            if at is not None and where < at and SUBORDINATE.search(text[where:at]):
                continue  # "began a visit on Wednesday, during which he will meet …"
            event.when = mention.value
            return

    def _place_from(self, marks: Marks, masked: Masked, event: Event) -> None:
        text = masked.text
        for m in re.finditer(
            rf"\b(?:in|(?:visit|trip)\s+to)\s+(?:the\s+)?(?P<place>{_PLACES})", text
        ):
            before = text[max(0, m.start() - 40) : m.start()]
            if re.search(r"(?:sidelines|margins)\s+of\s+[^.;]*$", before) or re.search(
                r"\binterest|invest|partner\w*\s*$", before
            ):
                continue
            countries, city = self._places(masked, m.group("place"))
            if city is not None:
                event.city = event.city or city
                event.country = event.country or city.country
                return
            if len(countries) == 1 and event.kind != MeetingKind.VISIT:
                event.country = event.country or next(iter(countries))
                return

    # --- finishing ------------------------------------------------------------------

    def finish(self) -> list[Event]:
        """Settle each meeting once the whole report is read: drop counterparts never
        named, find parents, dates, countries, roles and titles."""
        events = [e for e in self.events if not e.dropped]
        for event in events:
            if event.kind in (MeetingKind.BILATERAL, MeetingKind.CALL) and len(event.people) < 2:
                if not event.unnamed:
                    event.dropped = True
                    continue
                for iso2 in sorted(event.unnamed):  # a counterpart the report never names
                    name = self.vocabulary.country_name(iso2)
                    event.described.append(
                        {"description": f"{name}'s counterpart", "country": iso2, "role": Role.HEAD}
                    )
        events = [e for e in events if not e.dropped]
        self._post_countries(events)
        self._visit_spans(events)
        self._implicit_parents(events)
        self._dates(events)
        for event in events:
            self._countries(event)
            self._roles(event)
            self._kind(event)
        return events

    def _post_countries(self, events: list[Event]) -> None:
        """Whose a post given without a country is: the country a visitor from home went
        to, for someone the visitor met there; else the home country."""
        for person in self.people.people:
            if person.country or not person.home_post:
                continue
            for event in events:
                if person.key not in event.people:
                    continue
                visit = event if event.kind == MeetingKind.VISIT else event.parent
                if visit is None or visit.kind != MeetingKind.VISIT:
                    visit = next(
                        (
                            v
                            for v in events
                            if v.kind == MeetingKind.VISIT
                            and v.visitor in event.people
                            and v.visitor != person.key
                            and (not (v.when and event.when) or _overlap(v.when, event.when))
                        ),
                        None,
                    )
                if visit is None or visit.visitor == person.key:
                    continue
                visitor = self.people.person(visit.visitor)
                abroad = visit.destinations - {HOME}
                if visitor.country in (HOME, None) and len(abroad) == 1:
                    person.country = next(iter(abroad))
                    break
            else:
                person.country = HOME

    def _implicit_parents(self, events: list[Event]) -> None:
        """Talks with the host country's officials while the visitor is there are part of
        the visit."""
        visits = [e for e in events if e.kind == MeetingKind.VISIT]
        for event in events:
            if event.parent is not None or event.kind == MeetingKind.VISIT:
                continue
            fits = []
            for visit in visits:
                if visit.visitor not in event.people:
                    continue
                hosts = {self.people.person(p).country for p in event.people if p != visit.visitor}
                if event.kind == MeetingKind.INDUSTRY:  # the host country's companies
                    hosts |= event.countries - {HOME}
                if not hosts & visit.destinations:
                    continue
                if event.country and event.country not in visit.destinations:
                    continue
                if event.when and visit.when and not _overlap(event.when, visit.when):
                    continue
                if not event.when and visit.when and not self._reported(visit):
                    continue  # an earlier visit the report recalls
                distance = min(abs(a - b) for a in event.paragraphs for b in visit.paragraphs)
                fits.append((distance, visit.key, visit))
            if fits:
                event.parent, event.relation = min(fits)[2], ParentRelation.PART_OF

    def _visit_spans(self, events: list[Event]) -> None:
        for event in events:  # a visit reported on a day: from that day, end not reported
            if event.kind == MeetingKind.VISIT and event.visit_day and event.when:
                day = event.when.start
                if event.days and event.days > 1:  # arrived on June 20 for a four-day visit
                    event.when = When(
                        day,
                        day + dt.timedelta(days=event.days - 1),
                        DatePrecision.DAY,
                        DateExtent.SPAN,
                    )
                elif self.published and day < self.published:
                    event.when = When(day, None, DatePrecision.DAY, DateExtent.OPEN)

    def _dates(self, events: list[Event]) -> None:
        for event in events:  # a parent without dates: the month of its dated children
            if event.when is None:
                days = [c.when for c in events if c.parent is event and c.when and c.when.known]
                if days:
                    first = min(d.start for d in days)
                    month = at_precision(first, DatePrecision.MONTH)
                    if all(d.start.replace(day=1) == month.start for d in days):
                        event.when = month
        for event in events:
            if event.when is None and event.parent is not None and event.parent.when:
                event.when = _inherited(event.parent.when, self.published)
        for event in events:
            if event.when is None and event.parent is not None and event.parent.when is None:
                grand = event.parent.parent
                if (
                    grand is not None
                    and grand.when
                    and event.parent.relation == ParentRelation.PART_OF
                ):
                    event.when = _inherited(grand.when, self.published)

    def _countries(self, event: Event) -> None:
        countries = set(event.countries) | {HOME}
        for key in event.people:
            country = self.people.person(key).country
            if country:
                countries.add(country)
        countries.update(event.unnamed)
        countries.update(event.destinations)
        if event.country:
            countries.add(event.country)
        if event.grouping and event.kind in (MeetingKind.MULTILATERAL, MeetingKind.SUMMIT):
            for child in self.events:
                if child.parent is event and not child.dropped:
                    for key in child.people:
                        country = self.people.person(key).country
                        if country:
                            countries.add(country)
        if event.mechanism is not None:
            countries.update(self.initiatives.thing(event.mechanism).countries)
        event.countries = countries
        if event.kind == MeetingKind.VISIT and len(event.destinations) == 1:
            event.country = next(iter(event.destinations))
        if event.city and not event.country and event.kind != MeetingKind.VISIT:
            event.country = event.city.country
        if (
            event.parent is not None
            and event.parent.kind == MeetingKind.VISIT
            and not event.country
            and event.relation == ParentRelation.PART_OF
        ):
            # Talks with the host's officials during a visit are in the host country.
            hosts = {
                self.people.person(p).country for p in event.people if p != event.parent.visitor
            }
            if len(hosts) == 1 and hosts <= event.parent.destinations:
                event.country = next(iter(hosts))
        if (
            event.parent is not None
            and event.kind != MeetingKind.VISIT
            and event.relation != ParentRelation.ALONGSIDE
        ):
            parent = event.parent
            if (
                not event.city
                and parent.city
                and (not event.country or event.country == parent.city.country)
            ):
                event.city = parent.city
            if not event.country and parent.country:
                event.country = parent.country

    def _roles(self, event: Event) -> None:
        if event.kind not in (MeetingKind.BILATERAL, MeetingKind.CALL):
            return
        place = event.country
        if not place:
            return
        countries = {self.people.person(p).country for p in event.people}
        if len(countries) < 2:
            return
        for key in event.people:
            if self.people.person(key).country == place:
                event.people[key] = Role.HOST

    def _kind(self, event: Event) -> None:
        """A visiting minister's meeting with the host's head of government is a call."""
        if (
            event.kind != MeetingKind.BILATERAL
            or event.parent is None
            or event.parent.kind != MeetingKind.VISIT
        ):
            return
        visitor = event.parent.visitor
        others = [p for p in event.people if p != visitor]
        if visitor is None or not others:
            return
        visitor_posts = " ".join(self.people.person(visitor).posts)
        if HEADS_OF_GOVERNMENT.search(visitor_posts):
            return
        if all(
            HEADS_OF_GOVERNMENT.search(" ".join(self.people.person(p).posts) or "") for p in others
        ):
            event.kind = MeetingKind.CALL


NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBERS.get(word)


def _overlap(a: When, b: When) -> bool:
    if not (a.known and b.known):
        return True
    a_last, b_last = a.last_day() or a.start, b.last_day() or b.start
    return a.start <= b_last and b.start <= a_last


def _inherited(parent: When, published: dt.date | None) -> When:
    """The date a meeting within ``parent`` has when the text gives it none: the parent's
    month (or year) when the parent lies within one; one day from the start to the report's
    date when the parent's end is not reported."""
    if parent.extent == DateExtent.OPEN:
        if published and published > parent.start:
            return within(parent.start, published)
        return When(parent.start)
    first, last = parent.start, parent.last_day() or parent.start
    if parent.precision == DatePrecision.DAY and first == last:
        return When(first)
    if (first.year, first.month) == (last.year, last.month):
        return at_precision(
            first,
            DatePrecision.MONTH if parent.precision != DatePrecision.YEAR else DatePrecision.YEAR,
        )
    return (
        at_precision(first, DatePrecision.YEAR)
        if first.year == last.year
        else When(None, None, DatePrecision.UNKNOWN)
    )
