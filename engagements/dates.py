"""Dates of uneven precision.

A source may date an event to the day, the month or the year, give a span ("over 2–6
September"), or no date at all. We store a normal ``DateField`` (normalised to the first day of
its month or year, so sorting and year filters work across precisions) beside a precision that
says how much of it is known. We never invent a day: ``2024-11`` is stored as 2024-11-01 with
precision ``month`` and always shown as "November 2024".

The text form, used in CSV and on forms, is EDTF (the Library of Congress's Extended
Date/Time Format, ISO 8601-2): ``2024``, ``2024-11``, ``2024-11-21``, the empty string for
unknown, and for a meeting's dates (``DateSpan``) also an interval ``2019-09-02/2019-09-06``,
an interval with an open end ``2023-07-10/..`` (the start is reported, the end is not), and one
day of a set ``[2019-09-02..2019-09-06]`` (a single day, not known which, in that span).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Func, IntegerField, Q
from django.db.models.lookups import Exact


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"
    UNKNOWN = "unknown", "unknown"


class DateExtent(models.TextChoices):
    """What a start and an end say together (a meeting's ``date_extent``)."""

    SINGLE = "single", "one day, month or year (no end)"
    SPAN = "span", "lasted from the start to the end"
    OPEN = "open", "began on the start; the end is not reported"
    WITHIN = "within", "one day, not known which, from the start to the end"


#: Extents that have an end date, and the EDTF of an open end.
EXTENTS_WITH_END = (DateExtent.SPAN, DateExtent.WITHIN)
OPEN_END = ".."

#: What to write, for the end of a parse error's message.
SPAN_SYNTAX = (
    "write YYYY, YYYY-MM or YYYY-MM-DD, a span START/END (2019-09-02/2019-09-06), an open "
    "end START/.. (2023-07-10/..), one day within a span [START..END] "
    "([2019-09-02..2019-09-06]), or leave it empty when the date is unknown"
)


_PATTERNS = {
    DatePrecision.YEAR: re.compile(r"^(\d{4})$"),
    DatePrecision.MONTH: re.compile(r"^(\d{4})-(\d{1,2})$"),
    DatePrecision.DAY: re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
}


class PartialDateError(ValueError):
    """A date text that cannot be read; the message names the value and why."""


#: A day/month/year (or month/day/year) date as spreadsheets write them: 05/01/2026.
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def _not_a_date(text: str) -> PartialDateError:
    """The error for a text that is no date we read, with the ISO form when we can tell it."""
    match = _DAY_MONTH_YEAR.match(text)
    if not match:
        return PartialDateError(
            f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (or leave it empty "
            "when the date is unknown)."
        )
    first, second, year = (int(g) for g in match.groups())
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            continue
        if when.isoformat() not in [r[0] for r in readings]:
            readings.append((when.isoformat(), f"{day} {calendar.month_name[month]} {year}"))
    hint = ""
    if len(readings) == 1:
        hint = f": {readings[0][0]}"
    elif readings:
        hint = ": " + " or ".join(f"{iso} if it means {words}" for iso, words in readings)
    return PartialDateError(
        f"{text!r} is not a date we read: it looks like a day, month and year. Write dates as "
        f"YYYY-MM-DD (ISO){hint}."
    )


@dataclass(frozen=True)
class PartialDate:
    """A date known to a given precision (``date`` is None when unknown)."""

    date: dt.date | None
    precision: str = DatePrecision.DAY

    @classmethod
    def parse(cls, text: str | None) -> PartialDate:
        text = (text or "").strip()
        if not text:
            return cls(None, DatePrecision.UNKNOWN)
        for precision, pattern in _PATTERNS.items():
            match = pattern.match(text)
            if not match:
                continue
            parts = [int(p) for p in match.groups()] + [1] * (3 - len(match.groups()))
            try:
                return cls(dt.date(*parts), precision)
            except ValueError as exc:
                raise PartialDateError(f"{text!r} is not a real date ({exc}).") from None
        raise _not_a_date(text)

    def isoformat(self) -> str:
        if self.date is None or self.precision == DatePrecision.UNKNOWN:
            return ""
        if self.precision == DatePrecision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def humanize(self) -> str:
        if self.date is None or self.precision == DatePrecision.UNKNOWN:
            return "date unknown"
        if self.precision == DatePrecision.YEAR:
            return str(self.date.year)
        if self.precision == DatePrecision.MONTH:
            return f"{calendar.month_name[self.date.month]} {self.date.year}"
        return f"{self.date.day} {calendar.month_name[self.date.month]} {self.date.year}"

    def last_day(self) -> dt.date | None:
        """The last day this date may stand for (end of its month or year)."""
        if self.date is None:
            return None
        if self.precision == DatePrecision.YEAR:
            return dt.date(self.date.year, 12, 31)
        if self.precision == DatePrecision.MONTH:
            days = calendar.monthrange(self.date.year, self.date.month)[1]
            return dt.date(self.date.year, self.date.month, days)
        return self.date

    def __str__(self) -> str:
        return self.humanize()


@dataclass(frozen=True)
class DateSpan:
    """A start and an optional end sharing one precision, and what they say together: a
    meeting's dates. ``extent`` defaults to a span when there is an end, else a single date."""

    start: dt.date | None
    end: dt.date | None = None
    precision: str = DatePrecision.DAY
    extent: str = ""

    def __post_init__(self):
        if not self.extent:
            extent = DateExtent.SPAN if self.end is not None else DateExtent.SINGLE
            object.__setattr__(self, "extent", extent)

    @classmethod
    def parse(cls, text: str | None) -> DateSpan:
        text = (text or "").strip()
        if text.startswith("[") or text.endswith("]"):
            return cls._parse_within(text)
        if "/" not in text:
            shaped = any(p.match(text) for p in _PATTERNS.values()) or _DAY_MONTH_YEAR.match(text)
            if text and not shaped:  # neither a date nor a date written the other way round
                raise PartialDateError(f"{text!r} is not a date: {SPAN_SYNTAX}.")
            first = PartialDate.parse(text)
            return cls(first.date, None, first.precision)
        if _DAY_MONTH_YEAR.match(text):  # 05/01/2026 is a date written the other way round
            raise _not_a_date(text)
        left, _, right = (part.strip() for part in text.partition("/"))
        if right == OPEN_END:
            if not left or left == OPEN_END:
                raise PartialDateError(
                    f"{text!r}: an open end needs a start date, as in 2023-07-10/..; leave "
                    "the cell empty when the date is unknown."
                )
            first = cls._part(text, left)
            return cls(first.date, None, first.precision, DateExtent.OPEN)
        if left == OPEN_END or not left or not right:
            raise PartialDateError(
                f"{text!r}: both ends of a span need a date (write START/.. when only the "
                "start is reported, as in 2023-07-10/..)."
            )
        first, last = cls._ends(text, left, right)
        return cls(first.date, None if last.date == first.date else last.date, first.precision)

    @classmethod
    def _parse_within(cls, text: str) -> DateSpan:
        inner = text[1:-1] if text.startswith("[") and text.endswith("]") else None
        if inner is None or inner.count("..") != 1 or "," in inner:
            raise PartialDateError(
                f"{text!r} is not one day within a span: write [START..END], as in "
                "[2019-09-02..2019-09-06]."
            )
        left, _, right = (part.strip() for part in inner.partition(".."))
        if not left or not right:
            raise PartialDateError(
                f"{text!r}: one day within a span needs both ends, as in [2019-09-02..2019-09-06]."
            )
        first, last = cls._ends(text, left, right)
        if last.date == first.date:
            return cls(first.date, None, first.precision)
        return cls(first.date, last.date, first.precision, DateExtent.WITHIN)

    @staticmethod
    def _part(text: str, part: str) -> PartialDate:
        try:
            value = PartialDate.parse(part)
        except PartialDateError as exc:  # the whole cell, then what is wrong with its part
            raise PartialDateError(f"{text!r}: {exc}") from None
        if value.date is None:
            raise PartialDateError(f"{text!r}: both ends of a span need a date.")
        return value

    @classmethod
    def _ends(cls, text: str, left: str, right: str) -> tuple[PartialDate, PartialDate]:
        first, last = cls._part(text, left), cls._part(text, right)
        if first.precision != last.precision:
            raise PartialDateError(f"{text!r}: both ends of a span need the same precision.")
        if last.date < first.date:
            raise PartialDateError(f"{text!r}: the end date is before the start date.")
        return first, last

    def isoformat(self) -> str:
        """The EDTF text: ``2024-11``, ``2019-09-02/2019-09-06``, ``2023-07-10/..``,
        ``[2019-09-02..2019-09-06]``; empty when unknown."""
        start = PartialDate(self.start, self.precision).isoformat()
        if self.extent == DateExtent.OPEN and start:
            return f"{start}/{OPEN_END}"
        if self.end is None or not start:
            return start
        end = PartialDate(self.end, self.precision).isoformat()
        if self.extent == DateExtent.WITHIN:
            return f"[{start}..{end}]"
        return f"{start}/{end}"

    def interval(self) -> str:
        """Plain ISO 8601 for HTML's ``datetime``: the date or the days it may stand for
        (an open end: the start)."""
        start = PartialDate(self.start, self.precision).isoformat()
        if self.end is None or not start:
            return start
        return f"{start}/{PartialDate(self.end, self.precision).isoformat()}"

    def humanize(self) -> str:
        start = PartialDate(self.start, self.precision)
        if self.start is None:
            return start.humanize()
        if self.extent == DateExtent.OPEN:
            return f"from {start.humanize()} (end not reported)"
        if self.end is None:
            return start.humanize()
        if self.extent == DateExtent.WITHIN:
            return f"a day between {self._range(' and ')}"
        return self._range("–", " – ")

    def _range(self, joint: str, wide: str | None = None) -> str:
        """Start and end with what they share written once: 2–6 September 2019."""
        wide = joint if wide is None else wide
        start, end = PartialDate(self.start, self.precision), PartialDate(self.end, self.precision)
        a, b = self.start, self.end
        if self.precision == DatePrecision.DAY and (a.year, a.month) == (b.year, b.month):
            return f"{a.day}{joint}{b.day} {calendar.month_name[a.month]} {a.year}"
        if self.precision == DatePrecision.DAY and a.year == b.year:
            return f"{a.day} {calendar.month_name[a.month]}{wide}{end.humanize()}"
        if self.precision == DatePrecision.MONTH and a.year == b.year:
            return f"{calendar.month_name[a.month]}{joint}{end.humanize()}"
        return f"{start.humanize()}{wide}{end.humanize()}"

    def last_day(self) -> dt.date | None:
        """The last day the dates may stand for; None when unknown (no date, or an open end)."""
        if self.extent == DateExtent.OPEN:
            return None
        return PartialDate(self.end or self.start, self.precision).last_day()

    def known_days(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last day the sources place it on: an open end stands for its start only
        (the later days are not reported)."""
        if self.extent == DateExtent.OPEN:
            return self.start, PartialDate(self.start, self.precision).last_day()
        return self.start, self.last_day()

    def __str__(self) -> str:
        return self.humanize()


# --- database side -----------------------------------------------------------------------


class _DatePart(Func):
    """Day or month of a date as an integer, with built-in SQL on every backend.

    Django's own ``__day`` lookup calls a Python function on SQLite, which a CHECK constraint
    should not depend on (the database would be unusable from the sqlite3 shell).
    """

    output_field = IntegerField()
    part = "day"
    sqlite_offset = 9  # SQLite stores dates as 'YYYY-MM-DD' text.

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f"EXTRACT({self.part.upper()} FROM %(expressions)s)"
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template=f"CAST(substr(%(expressions)s, {self.sqlite_offset}, 2) AS INTEGER)",
        )


class DayOf(_DatePart):
    part = "day"
    sqlite_offset = 9


class MonthOf(_DatePart):
    part = "month"
    sqlite_offset = 6


def _normalised(field: str, precision: str) -> Q:
    if precision == DatePrecision.MONTH:
        return Q(Exact(DayOf(field), 1))
    return Q(Exact(DayOf(field), 1)) & Q(Exact(MonthOf(field), 1))


def bound_reaches(date_field: str, precision_field: str, day: dt.date) -> Q:
    """Q: an end bound stored at its precision reaches ``day``.

    A coarse bound covers its whole month or year (“ended in 2025” runs to 31 December), so it
    is compared with the first day of ``day``'s month or year, where it is stored.
    """
    return (
        Q(**{precision_field: DatePrecision.DAY, f"{date_field}__gte": day})
        | Q(**{precision_field: DatePrecision.MONTH, f"{date_field}__gte": day.replace(day=1)})
        | Q(
            **{
                precision_field: DatePrecision.YEAR,
                f"{date_field}__gte": day.replace(month=1, day=1),
            }
        )
    )


def precision_matches(precision_field: str, *date_fields: str) -> Q:
    """Q for a CHECK constraint: the dates are consistent with their precision.

    Unknown means no date; a month is stored as its first day, a year as 1 January. The first
    date field is required unless the precision is unknown; later ones (an end) are optional.
    """
    first, *others = date_fields
    unknown = Q(**{precision_field: DatePrecision.UNKNOWN, f"{first}__isnull": True})
    for other in others:
        unknown &= Q(**{f"{other}__isnull": True})
    day = Q(**{precision_field: DatePrecision.DAY, f"{first}__isnull": False})
    coarse = Q()
    for precision in (DatePrecision.MONTH, DatePrecision.YEAR):
        check = Q(**{precision_field: precision, f"{first}__isnull": False}) & _normalised(
            first, precision
        )
        for other in others:
            check &= Q(**{f"{other}__isnull": True}) | _normalised(other, precision)
        coarse |= check
    return unknown | day | coarse
