"""A report's text as the intake reads it: paragraphs, sentences, its date and dateline.

Paragraphs are numbered as citations number them (``engagements.paragraphs``): the date
prefix some files carry (`` date 2024-11-22 ``) and the dateline ("New Delhi [India],
September 4 :") belong to paragraph 1 but are read apart from its text. The navigation a web
page appends (a "Recent Articles" list, "Read More" links) is left out of the reading, so
its headlines give no records.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..dates import DatePrecision
from ..paragraphs import split_paragraphs
from .when import _MONTH, UNKNOWN, When, find_dates, standalone_date

DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")
# A dateline: a place in capitals or capitalised words, an optional "[Country]", an optional
# date, an optional agency, then a colon or dash: "NEW DELHI:", "Kuala Lumpur, July 10
# (Reuters) -", "New Delhi [India], September 4 :".
DATELINE = re.compile(
    r"^(?P<place>(?:[A-Z][A-Za-z.'’-]*)(?:\s+[A-Z][A-Za-z.'’-]*){0,3})"
    r"(?:\s*\[(?P<country>[^\]]{2,40})\])?"
    rf"(?:\s*,\s*(?P<date>(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z .]{2,30})\))?"
    r"\s*(?::|-|–|—)\s+"
)
#: A heading that starts the page's trailing navigation: everything from it on is left out.
TRAILER = re.compile(
    r"^(?:recent|related|latest|more|trending|popular|top|also\s+read|read\s+also|you\s+may\s+"
    r"(?:also\s+)?like|recommended|most\s+read)\b.{0,30}$",
    re.IGNORECASE,
)
#: Lines of a page that are no part of the report.
CHROME = re.compile(
    r"^(?:read\s+more|advertisement|share\s+this|follow\s+us.*|subscribe.*|click\s+here.*)$",
    re.IGNORECASE,
)

# Sentence ends: after . ! ? (and a closing quote), before a capital, a digit or a quote.
_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])")
# A full stop that ends no sentence: initials, titles, ranks, abbreviations.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Brig|Adm|Capt|Cdr|Cmde|Sgt|St|No|Nos|"
    r"Hon|Rt|Sr|Jr|Gov|Sen|Rep|Rs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|viz|"
    r"approx|etc|e\.g|i\.e|U\.S|U\.K|H\.E|Smt|Retd|retd|Govt|Dept|Co|Ltd|Inc|Corp))\.$"
)


@dataclass
class Sentence:
    """A sentence of a paragraph (numbered from 1), in reading order."""

    paragraph: int
    index: int
    text: str


@dataclass
class Report:
    """What the intake reads of a report."""

    paragraphs: list[str]
    published: dt.date | None
    dateline: str | None
    sentences: list[Sentence] = field(default_factory=list)
    #: Paragraph numbers of the page's navigation and headline, not read for records.
    skipped: set[int] = field(default_factory=set)
    headline: int | None = None

    @property
    def paragraph_count(self) -> int:
        return len(self.paragraphs)

    def reference(self) -> When:
        return When(self.published) if self.published else UNKNOWN


def split_sentences(text: str) -> list[str]:
    """``text`` cut into sentences, keeping initials and abbreviations whole."""
    parts, begin = [], 0
    for m in _END.finditer(text):
        before = text[begin : m.start()].rstrip("\"”’')")
        if _ABBREVIATION.search(before[-12:]):
            continue
        parts.append(text[begin : m.start()].strip())
        begin = m.end()
    parts.append(text[begin:].strip())
    return [p for p in parts if p]


def _dateline(first: str, published: dt.date | None) -> tuple[str | None, dt.date | None, str]:
    """The dateline's place and date at the start of paragraph 1, and the text after it."""
    m = DATELINE.match(first)
    if not m:
        return None, None, first
    place = m.group("place").strip()
    words = place.split()
    # A dateline's place is short and stands before a colon or dash; the opening words of a
    # sentence ("Both sides agreed -") are not one: all capitals, or followed by a date or a
    # [country] or an agency, or a colon right after it.
    marked = m.group("country") or m.group("date") or m.group("agency")
    capitals = place.isupper() and len(place) > 2
    colon = first[m.end("place") : m.end()].strip().startswith(":")
    if not (marked or capitals or (colon and len(words) <= 3)):
        return None, None, first
    when = None
    if m.group("date"):
        found = [w for w in find_dates(m.group("date"), published) if w.known]
        if found and found[0].precision == DatePrecision.DAY:
            when = found[0].start
    return place.title() if capitals else place, when, first[m.end() :]


def read_report(text: str, published: dt.date | None = None) -> Report:
    """Read ``text``: its paragraphs, date (``published``, else the date prefix, the
    dateline's date or a date printed on a line of its own near the top), dateline, the
    paragraphs to skip, and the sentences of the rest."""
    paragraphs = split_paragraphs(text)
    reading = list(paragraphs)
    if reading:
        prefix = DATE_PREFIX.match(reading[0])
        if prefix:
            if published is None:
                published = dt.date.fromisoformat(prefix.group(1))
            reading[0] = reading[0][prefix.end() :]
    dateline = None
    if reading:
        dateline, dated, reading[0] = _dateline(reading[0], published)
        if published is None and dated is not None:
            published = dated
    skipped: set[int] = set()
    for number, paragraph in enumerate(reading, start=1):
        date = standalone_date(paragraph) if number <= 6 else UNKNOWN
        if date.known:
            skipped.add(number)
            if published is None and date.precision == DatePrecision.DAY:
                published = date.start
        elif CHROME.match(paragraph.strip()):
            skipped.add(number)
        elif number > 2 and TRAILER.match(paragraph.strip()):
            skipped.update(range(number, len(reading) + 1))
            break
    headline = None
    if len(reading) > 1 and _is_headline(reading[0]) and not dateline:
        headline = 1
    report = Report(paragraphs, published, dateline or None, skipped=skipped, headline=headline)
    index = 0
    for number, paragraph in enumerate(reading, start=1):
        if number in skipped:
            continue
        for sentence in split_sentences(" ".join(paragraph.split())):
            report.sentences.append(Sentence(number, index, sentence))
            index += 1
    return report


def _is_headline(paragraph: str) -> bool:
    """A short first line without a closing full stop: the report's headline."""
    words = paragraph.split()
    return 0 < len(words) <= 16 and not paragraph.rstrip().endswith((".", '"', "”"))
