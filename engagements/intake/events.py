"""A meeting of a report as the intake reads it (``Event``), before it is drafted.

The readers of ``meetings`` build one up sentence by sentence (who, where, when, within
what) and ``settling`` settles it once the whole report is read; ``drafting`` turns each
into a draft meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import MeetingStatus
from .mentions import Marks
from .places import City
from .when import When


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
