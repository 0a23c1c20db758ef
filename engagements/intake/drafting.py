"""The intake of one report: read it, find what it names, draft its records, match them.

``draft_report(text, published=...)`` is the one entry point (the ``intake`` command and the
admin's intake desk call it). It reads the database (a fixed number of queries) and writes
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ..dates import DatePrecision
from ..models import AgreementKind, AgreementStatus, MeetingKind, MeetingStatus
from .agreements import Agreements, parties_of
from .draft import Draft, Participant
from .events import Event
from .initiatives import Initiatives
from .matching import Matcher
from .meetings import Meetings
from .mentions import Marks
from .officials import People, posts_of
from .places import mark_cities, mark_countries, mark_groupings
from .report import Report, read_report
from .vocabulary import HOME, Vocabulary, load_vocabulary
from .when import When, at_precision, find_dates


class Reading:
    """Everything found in one report, before it is drafted."""

    def __init__(self, report: Report, vocabulary: Vocabulary):
        self.report = report
        self.vocabulary = vocabulary
        self.people = People(vocabulary)
        self.initiatives = Initiatives(vocabulary)
        self.agreements = Agreements(vocabulary, report.published)
        self.meetings = Meetings(vocabulary, self.people, self.initiatives, report.published)
        self.marked: list[Marks] = []

    def read(self) -> None:
        report = self.report
        for sentence in report.sentences:
            marks = Marks(sentence)
            for when in find_dates(sentence.text, report.published):
                marks.add("date", when.begin, when.stop, when)
            mark_groupings(marks, self.vocabulary)
            mark_countries(marks, self.vocabulary)
            self.initiatives.mark_known(marks)
            self.agreements.mark(marks)
            self.initiatives.mark_new(marks)
            self.agreements.mark_acronyms(marks)
            self.initiatives.mark_acronyms(marks)
            self.initiatives.add_countries(marks)
            self.people.read(marks)
            mark_cities(marks)
            self.marked.append(marks)
        partner = self.partner()
        for marks in self.marked:
            self.initiatives.mark_partnerships(marks, partner)
            self.agreements.read_steps(marks)
        for marks in self.marked:
            self.meetings.read(marks, headline=marks.paragraph == report.headline)

    def partner(self) -> str | None:
        """The country the report is most about, besides India."""
        counts = Counter(
            m.value for marks in self.marked for m in marks.of("country") if m.value != HOME
        )
        return counts.most_common(1)[0][0] if counts else None


def draft_report(text: str, *, published: dt.date | None = None) -> dict:
    """The draft of the records ``text`` supports, as a JSON-able dict (``Draft.as_dict``)."""
    return build_draft(text, published=published).as_dict()


def build_draft(text: str, *, published: dt.date | None = None, vocabulary=None) -> Draft:
    report = read_report(text, published)
    vocabulary = vocabulary or load_vocabulary()
    reading = Reading(report, vocabulary)
    reading.read()
    events = reading.meetings.finish()
    draft = Draft(report.published, report.paragraph_count, report.dateline)
    _countries(draft, reading, events)
    _groupings(draft, reading)
    officials = _officials(draft, reading, events)
    initiatives = _initiatives(draft, reading)
    meetings = _meetings(draft, reading, events, officials, initiatives)
    _agreements(draft, reading, meetings)
    Matcher(vocabulary).match(draft, events, meetings, officials)
    return draft


def _countries(draft: Draft, reading: Reading, events: list[Event]) -> None:
    found: dict[str, set[int]] = {}
    for marks in reading.marked:
        for mention in marks.of("country") + [m for m in marks.hidden if m.kind == "country"]:
            found.setdefault(mention.value, set()).add(marks.paragraph)
        for span in marks.spans:
            for iso2 in span.value.countries:
                found.setdefault(iso2, set()).add(marks.paragraph)
    for person in reading.people.people:
        if person.country:
            found.setdefault(person.country, set()).update(person.paragraphs)
    via: dict[str, str] = {}
    for event in events:  # a summit of the Quad: its members, though none is named
        for iso2 in event.countries:
            if iso2 not in found and event.grouping:
                found[iso2] = set(event.paragraphs)
                via[iso2] = event.grouping
    vocabulary = reading.vocabulary
    for iso2, paragraphs in sorted(found.items(), key=lambda kv: (min(kv[1]), kv[0])):
        if not paragraphs:
            continue
        draft.new(
            "countries",
            iso2=iso2,
            name=vocabulary.country_name(iso2),
            via=via.get(iso2, "name"),
            paragraphs=set(paragraphs),
            match=iso2 if iso2 in vocabulary.countries else None,
        )


def _groupings(draft: Draft, reading: Reading) -> None:
    found: dict[str, set[int]] = {}
    for marks in reading.marked:
        for mention in marks.of("grouping") + [m for m in marks.hidden if m.kind == "grouping"]:
            found.setdefault(mention.value, set()).add(marks.paragraph)
    for slug, paragraphs in sorted(found.items(), key=lambda kv: min(kv[1])):
        grouping = reading.vocabulary.grouping(slug)
        draft.new(
            "groupings", slug=slug, name=grouping.short_name, paragraphs=paragraphs, match=slug
        )


def _officials(draft: Draft, reading: Reading, events: list[Event]) -> dict[int, object]:
    """An item per person, with the post the text gives (the database's title when it is a
    post the database knows), else the post a tenure shows them in on the day they met."""
    people = reading.people
    items = {}
    for person in sorted(people.people, key=lambda p: (p.first_seen, p.key)):
        posts = posts_of(person)
        official = person.official
        days = [e.when for e in events if person.key in e.people and e.when and e.when.known]
        held = []
        if official is not None:
            for when in days or [When(reading.report.published)] * bool(reading.report.published):
                held += [t for t in official.posts_on(when.start, when.last_day()) if t not in held]
        known = [people.grammar.known(p, person.country) for p in posts]
        titles = []
        for post, match in zip(posts, known, strict=True):
            title = match.title if match else post
            if title not in titles:
                titles.append(title)
        if not titles:
            titles = list(dict.fromkeys(t.post_title for t in held))
        matches = [k.slug for k in known if k] or list(dict.fromkeys(t.post_slug for t in held))
        item = draft.new(
            "officials",
            name=person.display_name(),
            country=person.country,
            post=" and ".join(titles),
            posts=titles,
            post_matches=matches,
            honorific=person.honorific,
            written=person.name if official and person.name != official.name else "",
            paragraphs=set(person.paragraphs),
            match=official.slug if official else None,
        )
        items[person.key] = item
    return items


def _initiatives(draft: Draft, reading: Reading) -> dict[int, object]:
    items = {}
    for thing in reading.initiatives.things:
        if not thing.paragraphs:
            continue
        countries = set(thing.countries)
        if thing.match is None and thing.kind in ("mechanism", "partnership"):
            countries.add(HOME)
        item = draft.new(
            "initiatives",
            title=thing.title,
            short_name=thing.short,
            kind=thing.kind,
            countries=sorted(countries),
            paragraphs=set(thing.paragraphs),
            match=thing.match,
        )
        items[thing.key] = item
    return items


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _title(event: Event, reading: Reading) -> str:
    people = reading.people
    names = [people.person(k).display_name() for k in _home_first(event, people)]
    vocabulary = reading.vocabulary
    if event.kind == MeetingKind.VISIT:
        places = " and ".join(vocabulary.country_name(c) for c in sorted(event.destinations))
        visitor = people.person(event.visitor).display_name() if event.visitor is not None else ""
        return f"{visitor}'s visit to {places}".strip()
    if event.kind == MeetingKind.MECHANISM and event.mechanism is not None:
        name = reading.initiatives.thing(event.mechanism).title
        if event.edition:
            return f"{_ordinal(event.edition)} {name} meeting"
        if event.status == MeetingStatus.SCHEDULED:
            return f"Next {name} meeting"
        return f"{name} meeting"
    if event.grouping:
        grouping = vocabulary.grouping(event.grouping)
        name = grouping.name if "meeting" in grouping.name.lower() else grouping.short_name
        if event.title:  # the words the report names it by: "ASEAN-India Summit"
            name = event.title
        if event.kind == MeetingKind.SUMMIT and "summit" not in name.lower():
            name = f"{name} Summit"
        return f"{_ordinal(event.edition)} {name}" if event.edition else name
    if event.kind == MeetingKind.INDUSTRY:
        if event.title:
            return event.title
        where = f" in {event.city.name}" if event.city else ""
        return f"{names[0] if names else 'Defence industry'} meeting with industry{where}"
    if event.kind == MeetingKind.CALL and len(names) >= 2:
        caller = event.visitor if event.visitor is not None else event.subject
        if event.parent is not None and event.parent.visitor in event.people:
            caller = event.parent.visitor
        if caller in event.people:
            others = [people.person(k).display_name() for k in event.people if k != caller]
            return f"{people.person(caller).display_name()}'s call on {' and '.join(others)}"
        return f"{names[0]}'s call on {' and '.join(names[1:])}"
    if len(names) >= 2:
        return f"{' – '.join(names)} talks"
    if names and event.described:  # a counterpart the report does not name
        return f"{names[0]} – {event.described[0]['description']} talks"
    return event.title or "Meeting"


def _home_first(event: Event, people) -> list[int]:
    keys = list(event.people)
    return sorted(keys, key=lambda k: (people.person(k).country != HOME, keys.index(k)))


def _meetings(draft, reading: Reading, events: list[Event], officials, initiatives) -> dict:
    items = {}
    for event in sorted(events, key=lambda e: (min(e.paragraphs), e.key)):
        participants = [
            Participant(
                reading.people.person(key).display_name(),
                officials[key].id,
                role,
                officials[key].match,
            )
            for key, role in event.people.items()
        ]
        mechanism = None
        if event.mechanism is not None and event.mechanism in initiatives:
            mechanism = initiatives[event.mechanism].id
        item = draft.new(
            "meetings",
            title=_title(event, reading),
            kind=event.kind,
            dates=event.when.csv() if event.when else "",
            city=event.city.name if event.city else "",
            country=event.country,
            status=event.status,
            participants=participants,
            described=list(event.described),
            parent_relation=event.relation if event.parent else "",
            mechanism=mechanism,
            edition=event.edition,
            grouping=event.grouping,
            countries=sorted(event.countries),
            paragraphs=set(event.paragraphs),
        )
        items[event.key] = item
    for event in events:
        if event.parent is not None and event.parent.key in items:
            items[event.key].parent = items[event.parent.key].id
    return items


#: Which step stands as an agreement's status when a report gives several on one date.
STEP_ORDER = [
    AgreementStatus.PROPOSED,
    AgreementStatus.UNDER_NEGOTIATION,
    AgreementStatus.AGREED,
    AgreementStatus.SIGNED,
    AgreementStatus.EXCHANGED,
    AgreementStatus.IN_FORCE,
    AgreementStatus.UNDER_REVIEW,
    AgreementStatus.AMENDED,
    AgreementStatus.EXPIRED,
]


def _step_date(step, reading: Reading, meetings: dict) -> When | None:
    if step.when is not None:
        return step.when
    if not step.at_meeting:
        return None
    event = reading.meetings.about.get(step.sentence)
    if event is not None and event.key in meetings and event.when and event.when.known:
        when = event.when
        if when.end is None and when.extent == "single":
            return when
        first, last = when.start, when.last_day() or when.start
        if (first.year, first.month) == (last.year, last.month):
            return at_precision(first, DatePrecision.MONTH)
        return at_precision(first, DatePrecision.YEAR)
    return None


def _agreements(draft: Draft, reading: Reading, meetings: dict) -> None:
    for found in reading.agreements.instruments:
        if not found.paragraphs:
            continue
        context: set[str] = set()
        meeting = None
        for index in found.sentences:
            # The meeting the sentence itself tells of ("the visit … saw the signing of"),
            # else the one the report is telling of then.
            touched = reading.meetings.touched.get(index) or []
            event = touched[0] if len(touched) == 1 else reading.meetings.about.get(index)
            if event is not None and event.key in meetings:
                context = set(event.countries)
                meeting = meetings[event.key].id
                break
        named = {
            m.value
            for marks in reading.marked
            if marks.sentence.index in found.sentences
            for m in marks.of("country")
        }
        if named - {HOME}:  # "India and Singapore signed …": the sentence names the parties
            context = named
        steps = []
        for step in found.steps:
            when = _step_date(step, reading, meetings)
            steps.append(
                {
                    "status": step.status,
                    "dates": when.csv() if when else "",
                    "basis": step.basis,
                    "paragraph": step.paragraph,
                }
            )
        if not steps and found.kind in (AgreementKind.ROADMAP, AgreementKind.PLAN):
            # A roadmap or a plan that is worked under has been agreed.
            steps.append(
                {
                    "status": AgreementStatus.AGREED,
                    "dates": "",
                    "basis": "inferred",
                    "paragraph": min(found.paragraphs),
                }
            )
        current = _current(steps)
        draft.new(
            "agreements",
            title=found.title,
            short_name=found.short,
            kind=found.kind,
            status=current["status"] if current else "",
            dates=current["dates"] if current else "",
            basis=current["basis"] if current else "",
            steps=steps,
            parties=parties_of(found, context),
            party_groupings=sorted(found.groupings),
            meeting=meeting,
            paragraphs=set(found.paragraphs),
            match=found.match,
        )


def _current(steps: list[dict]) -> dict | None:
    """The step an agreement stands at: the latest dated one; among steps of the report's
    own time (undated or on one date), one the text names over one read from its wording."""
    if not steps:
        return None

    def order(step):
        dated = step["dates"] or ""
        return (dated[:10], step["basis"] == "reported", STEP_ORDER.index(step["status"]))

    return max(steps, key=order)
