"""What a report's meetings are once the whole report is read.

Counterparts never named are dropped (or described by their country); a post given without
a country is placed; talks with the host's officials during a visit become part of it; a
visit reported on a day runs from it; a parent without dates takes the month of its dated
children, and a meeting without one what its parent's dates allow (never a day the text does
not give); then each meeting's countries, the host's roles, and a visiting minister's
meeting with a head of government as a call. ``Settling`` is mixed into ``Meetings`` and
uses its events, people, vocabulary, initiatives, report date and ``_reported``.
"""

from __future__ import annotations

import datetime as dt
import re

from ..dates import DateExtent, DatePrecision
from ..models import MeetingKind, ParentRelation, Role
from .events import Event
from .vocabulary import HOME
from .when import When, at_precision, inherited, overlap

HEADS_OF_GOVERNMENT = re.compile(
    r"\b(?:Prime\s+Minister|PM|President|King|Emir|Sultan|Premier|Chancellor)\b"
)


class Settling:
    """The finishing of ``Meetings`` (``finish``), once every sentence is read."""

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
                            and (not (v.when and event.when) or overlap(v.when, event.when))
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
                if event.when and visit.when and not overlap(event.when, visit.when):
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
                event.when = inherited(event.parent.when, self.published)
        for event in events:
            if event.when is None and event.parent is not None and event.parent.when is None:
                grand = event.parent.parent
                if (
                    grand is not None
                    and grand.when
                    and event.parent.relation == ParentRelation.PART_OF
                ):
                    event.when = inherited(grand.when, self.published)

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
