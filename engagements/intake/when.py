"""Date expressions in a report, each with the precision the text gives it.

Explicit dates ("14 March 2022", "September 2-4", "May 2019", "in 2024") are found by the
patterns below and read by ``dateparser`` (month names, abbreviations, ordinals); dates
without a year take the year that puts them on or before the report's date (after it, for
what is scheduled). Relative expressions are resolved against the report's date: "on Monday"
is the last Monday on or before it, "last year" and "later this year" are years, "this week"
is one day somewhere in the week so far. Nothing more precise than the text is ever given: a
month stays a month, and without a reference date a relative expression (or a day without
its year) is unknown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..dates import DateExtent, DatePrecision, DateSpan

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_TO = r"\s*(?:-|–|—|to|till|until|and)\s*"
_OF = r"(?:\s+of)?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Words that keep a bare year (or a month without its day) a date and not part of a name.
_LEAD = r"(?:in|during|since|from|until|till|by|of|early|late|mid|mid-|end of|beginning of)"

#: Each pattern with the name of the reader that turns its groups into a date.
PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "day_range",  # 2-6 September 2019, 30 August to 2 September
        re.compile(
            rf"\b(?P<d1>{_DAY})(?:{_OF}\s+(?P<m1>{_MONTH}))?{_TO}(?P<d2>{_DAY}){_OF}\s+"
            rf"(?P<m2>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b"
        ),
    ),
    (
        "month_day_range",  # September 2-4, August 30 to September 2, 2019
        re.compile(
            rf"\b(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_TO}(?:(?P<m2>{_MONTH})\s+)?(?P<d2>{_DAY})"
            rf"(?:,?\s+(?P<y>{_YEAR}))?\b(?!\s*(?:-|–)?\s*\d)"
        ),
    ),
    (
        "day",  # 14 March 2022, the 14th of March, 14 March
        re.compile(
            rf"\b(?:the\s+)?(?P<d1>{_DAY}){_OF}\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b"
        ),
    ),
    (
        "day",  # March 14, 2022; November 21
        re.compile(rf"\b(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})\b(?!\d)(?:,?\s+(?P<y>{_YEAR})\b)?"),
    ),
    (
        "numeric",  # 04.09.2025, 4/9/2025 (not a fiscal year 2024-25, not a score)
        re.compile(
            r"\b(?P<num>(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:19|20)\d\d)\b"
        ),
    ),
    (
        "month",  # May 2019, mid-May 2019
        re.compile(rf"\b(?:(?:early|late|mid)-?\s*)?(?P<m1>{_MONTH}),?\s+(?P<y>{_YEAR})\b"),
    ),
    (
        "month",  # in December, early next month is not this: a month with a leading word
        re.compile(rf"\b{_LEAD}\s*(?P<m1>{_MONTH})\b(?!\s*\d)"),
    ),
    (
        "year",  # in 2024, by 2030 (not DefExpo 2020, not 2024-25)
        re.compile(rf"\b{_LEAD}\s+(?:the\s+year\s+)?(?P<y>{_YEAR})\b(?!\s*[-–/]\s*\d)"),
    ),
    (
        "weekday",  # on Monday, last Friday, next Tuesday
        re.compile(
            rf"\b(?:(?P<rel>on|last|this|next|this\s+past|this\s+coming|coming|from|until|by)\s+)?"
            rf"(?P<wd>{_WEEKDAY})\b(?!,?\s+(?:{_MONTH}|\d))"
        ),
    ),
    (
        "named_day",
        re.compile(
            r"\b(?P<word>yesterday|today|tomorrow|the\s+previous\s+day|the\s+day\s+before)\b"
        ),
    ),
    (
        "relative_period",  # last year, later this year, next month, this week
        re.compile(
            r"\b(?P<rel>last|this|next|earlier\s+this|later\s+this|early\s+this|"
            r"early\s+next|late\s+this|late\s+last|earlier\s+in\s+the|later\s+in\s+the|"
            r"the\s+previous|the\s+following|the\s+same)\s+(?P<unit>year|month|week)\b"
        ),
    ),
    (
        "ago",  # two years ago
        re.compile(
            r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
            r"(?P<unit>year|month|week|day)s?\s+ago\b"
        ),
    ),
]

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
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

#: Words of a clause that put what it says in the future (a weekday is then the next one).
FUTURE = re.compile(
    r"\b(?:will|shall|would\s+be\s+held|to\s+be\s+held|is\s+to|are\s+to|scheduled|slated|"
    r"set\s+to|expected\s+to\s+(?:be\s+held|take\s+place|visit|meet)|next|upcoming|"
    r"forthcoming|later\s+this|planned|proposed\s+to)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class When:
    """A date expression found in a text: its dates, precision and extent, and where it is."""

    start: dt.date | None
    end: dt.date | None = None
    precision: str = DatePrecision.DAY
    extent: str = DateExtent.SINGLE
    begin: int = 0
    stop: int = 0
    text: str = ""
    relative: bool = False

    @property
    def known(self) -> bool:
        return self.start is not None and self.precision != DatePrecision.UNKNOWN

    def span(self) -> DateSpan:
        if not self.known:
            return DateSpan(None, None, DatePrecision.UNKNOWN)
        return DateSpan(self.start, self.end, self.precision, self.extent)

    def csv(self) -> str:
        """The CSV date syntax (``engagements.dates``): ``2024-11``, ``2019-09-02/2019-09-06``."""
        return self.span().isoformat()

    def first_day(self) -> dt.date | None:
        return self.start

    def last_day(self) -> dt.date | None:
        return self.span().last_day() if self.known else None

    def contains(self, other: When) -> bool:
        """Whether ``other``'s days all lie within this date's."""
        if not (self.known and other.known):
            return False
        last, other_last = self.last_day(), other.last_day()
        return self.start <= other.start and (
            last is None or (other_last is not None and other_last <= last)
        )


UNKNOWN = When(None, None, DatePrecision.UNKNOWN)


def at_precision(day: dt.date, precision: str) -> When:
    """``day`` coarsened to a month or a year (stored as its first day)."""
    if precision == DatePrecision.MONTH:
        return When(day.replace(day=1), None, DatePrecision.MONTH)
    if precision == DatePrecision.YEAR:
        return When(day.replace(month=1, day=1), None, DatePrecision.YEAR)
    return When(day, None, DatePrecision.DAY)


def within(first: dt.date, last: dt.date) -> When:
    """One day, not known which, from ``first`` to ``last``."""
    if first == last:
        return When(first)
    return When(first, last, DatePrecision.DAY, DateExtent.WITHIN)


def overlap(a: When, b: When) -> bool:
    """Whether two dates can share a day (an unknown one can share any)."""
    if not (a.known and b.known):
        return True
    a_last, b_last = a.last_day() or a.start, b.last_day() or b.start
    return a.start <= b_last and b.start <= a_last


def inherited(parent: When, published: dt.date | None) -> When:
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


@lru_cache(maxsize=1)
def _parser():
    # Imported here: dateparser loads its English data on first use, which the many
    # commands that never draft a report need not pay for.
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"], settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}
    )


def parse_numeric(text: str) -> When:
    """A date in figures ("04.09.2025", "4/9/25") read by dateparser, day first as Indian
    and British reports write it; unknown when it cannot be read."""
    data = _parser().get_date_data(text, date_formats=None)
    if data is None or data.date_obj is None:
        return UNKNOWN
    period = {"day": DatePrecision.DAY, "month": DatePrecision.MONTH, "year": DatePrecision.YEAR}
    precision = period.get(data.period)
    if precision is None:
        return UNKNOWN
    return at_precision(data.date_obj.date(), precision)


def _year_for(month: int, day: int, reference: dt.date | None, future: bool) -> int | None:
    """The year of a day written without one: the latest on or before the reference (the
    earliest on or after it, for what is scheduled)."""
    if reference is None:
        return None
    year = reference.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return None
    if future and candidate < reference - dt.timedelta(days=31):
        return year + 1
    if not future and candidate > reference + dt.timedelta(days=31):
        return year - 1
    return year


def _month_number(text: str | None) -> int | None:
    if not text:
        return None
    return MONTHS.get(text.lower().rstrip("."))


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _read(kind: str, m: re.Match, reference: dt.date | None, future: bool) -> When:
    groups = m.groupdict()
    if kind in ("day_range", "month_day_range"):
        m1 = _month_number(groups.get("m1"))
        m2 = _month_number(groups.get("m2"))
        if kind == "day_range":
            m1 = m1 or m2
        else:
            m2 = m2 or m1
        d1, d2 = _day_number(groups["d1"]), _day_number(groups["d2"])
        year = int(groups["y"]) if groups.get("y") else _year_for(m1, d1, reference, future)
        if year is None:
            return UNKNOWN
        try:
            first = dt.date(year, m1, d1)
            last = dt.date(year + (1 if m2 < m1 else 0), m2, d2)
        except ValueError:
            return UNKNOWN
        if last <= first:
            return When(first) if last == first else UNKNOWN
        return When(first, last, DatePrecision.DAY, DateExtent.SPAN)
    if kind == "day":
        month, day = _month_number(groups["m1"]), _day_number(groups["d1"])
        year = int(groups["y"]) if groups.get("y") else _year_for(month, day, reference, future)
        if year is None:
            return UNKNOWN
        try:
            return When(dt.date(year, month, day))
        except ValueError:
            return UNKNOWN
    if kind == "month":
        month = _month_number(groups["m1"])
        if groups.get("y"):
            return When(dt.date(int(groups["y"]), month, 1), None, DatePrecision.MONTH)
        if reference is None:
            return UNKNOWN
        year = reference.year
        if future and month < reference.month:
            year += 1
        elif not future and month > reference.month:
            year -= 1
        return When(dt.date(year, month, 1), None, DatePrecision.MONTH)
    if kind == "numeric":
        return parse_numeric(m.group("num"))
    if kind == "year":
        return When(dt.date(int(groups["y"]), 1, 1), None, DatePrecision.YEAR)
    if reference is None:
        return UNKNOWN  # relative expressions need the report's date
    if kind == "weekday":
        return _weekday(groups, reference, future)
    if kind == "named_day":
        word = " ".join(groups["word"].lower().split())
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}.get(word, -1)
        return When(reference + dt.timedelta(days=offset), relative=True)
    if kind == "relative_period":
        return _period(groups, reference)
    if kind == "ago":
        count = NUMBER_WORDS.get(groups["n"].lower()) or int(groups["n"])
        unit = groups["unit"].lower()
        if unit == "year":
            return at_precision(
                reference.replace(month=1, day=1, year=reference.year - count), "year"
            )
        if unit == "month":
            month = reference.month - count
            year = reference.year + (month - 1) // 12
            return at_precision(dt.date(year, (month - 1) % 12 + 1, 1), DatePrecision.MONTH)
        if unit == "day":
            return When(reference - dt.timedelta(days=count))
        return UNKNOWN  # "two weeks ago" gives no day
    return UNKNOWN


def _weekday(groups: dict, reference: dt.date, future: bool) -> When:
    target = WEEKDAYS[groups["wd"].lower()]
    rel = " ".join((groups.get("rel") or "").lower().split())
    if rel in ("next", "this coming", "coming") or (future and rel in ("", "on", "this", "by")):
        ahead = (target - reference.weekday()) % 7
        if rel == "next" and ahead == 0:
            ahead = 7
        return When(reference + dt.timedelta(days=ahead), relative=True)
    back = (reference.weekday() - target) % 7
    if rel == "last" and back == 0:
        back = 7
    return When(reference - dt.timedelta(days=back), relative=True)


def _period(groups: dict, reference: dt.date) -> When:
    rel = " ".join(groups["rel"].lower().split())
    unit = groups["unit"].lower()
    step = {"last": -1, "late last": -1, "the previous": -1, "next": 1, "early next": 1}
    step["the following"] = 1
    offset = step.get(rel, 0)
    if unit == "year":
        return When(dt.date(reference.year + offset, 1, 1), None, DatePrecision.YEAR, relative=True)
    if unit == "month":
        month = reference.month + offset
        year = reference.year + (month - 1) // 12
        first = dt.date(year, (month - 1) % 12 + 1, 1)
        return When(first, None, DatePrecision.MONTH, relative=True)
    # A week is no precision: one day within it (this week: up to the report's day).
    monday = reference - dt.timedelta(days=reference.weekday()) + dt.timedelta(weeks=offset)
    last = monday + dt.timedelta(days=6)
    if offset == 0:
        last = reference
    return replace(within(monday, last), relative=True)


def find_dates(text: str, reference: dt.date | None = None, future: bool | None = None):
    """Every date expression of ``text``, in order, none overlapping (the longest wins).

    ``future`` says whether the text speaks of what is to come; None reads it from the text
    (``FUTURE``), clause by clause.
    """
    taken: list[tuple[int, int]] = []
    found: list[When] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < stop and start < m.end() for start, stop in taken):
                continue
            ahead = future if future is not None else _is_future(text, m.start())
            when = _read(kind, m, reference, ahead)
            taken.append((m.start(), m.end()))
            found.append(replace(when, begin=m.start(), stop=m.end(), text=m.group()))
    return sorted(found, key=lambda w: w.begin)


def _is_future(text: str, at: int) -> bool:
    """Whether the clause around ``at`` (up to its commas) speaks of the future: "began a
    visit on Wednesday, during which he will meet …" is past at "Wednesday"."""
    begin = max(text.rfind(";", 0, at), text.rfind(". ", 0, at), text.rfind(",", 0, at), 0)
    ends = (text.find(";", at), text.find(". ", at), text.find(",", at))
    stop = min([i for i in ends if i >= 0] or [len(text)])
    return bool(FUTURE.search(text[begin:stop]))


def standalone_date(text: str) -> When:
    """The date a paragraph consists of, as pages print a report's date under its headline
    ("September 6, 2019", "Updated: 4 Sep 2025"); unknown when it holds anything else."""
    cleaned = re.sub(
        r"^(?:published|updated|posted|date)\s*(?:on)?\s*:?\s*", "", text.strip(), flags=re.I
    )
    cleaned = re.sub(
        r"\s*(?:\d{1,2}:\d{2}\s*(?:am|pm)?\s*(?:IST|GMT|UTC)?)\s*$", "", cleaned, flags=re.I
    )
    if len(cleaned) > 40:
        return UNKNOWN
    for found in find_dates(cleaned, None):
        if found.begin == 0 and found.stop >= len(cleaned.rstrip(" .")) and found.known:
            return found
    return UNKNOWN
