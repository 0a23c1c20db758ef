"""Dates of uneven precision.

A source may date an event to the day, the month or the year, give a span ("over 2–6
September"), or no date at all. We store a normal ``DateField`` (normalised to the first day of
its month or year, so sorting and year filters work across precisions) beside a precision that
says how much of it is known. We never invent a day: ``2024-11`` is stored as 2024-11-01 with
precision ``month`` and always shown as "November 2024".

The text form, used in CSV and on forms, is ISO 8601: ``2024``, ``2024-11``, ``2024-11-21``,
an interval ``2019-09-02/2019-09-06``, or the empty string for unknown.
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
    """A start and an optional end sharing one precision: a meeting's dates."""

    start: dt.date | None
    end: dt.date | None = None
    precision: str = DatePrecision.DAY

    @classmethod
    def parse(cls, text: str | None) -> DateSpan:
        text = (text or "").strip()
        if "/" not in text:
            first = PartialDate.parse(text)
            return cls(first.date, None, first.precision)
        if _DAY_MONTH_YEAR.match(text):  # 05/01/2026 is a date written the other way round
            raise _not_a_date(text)
        left, _, right = (part.strip() for part in text.partition("/"))
        try:
            first, last = PartialDate.parse(left), PartialDate.parse(right)
        except PartialDateError as exc:  # the whole cell, then what is wrong with its part
            raise PartialDateError(f"{text!r}: {exc}") from None
        if first.date is None or last.date is None:
            raise PartialDateError(f"{text!r}: both ends of a span need a date.")
        if first.precision != last.precision:
            raise PartialDateError(f"{text!r}: both ends of a span need the same precision.")
        if last.date < first.date:
            raise PartialDateError(f"{text!r}: the end date is before the start date.")
        return cls(first.date, None if last.date == first.date else last.date, first.precision)

    def isoformat(self) -> str:
        start = PartialDate(self.start, self.precision).isoformat()
        if self.end is None:
            return start
        return f"{start}/{PartialDate(self.end, self.precision).isoformat()}"

    def humanize(self) -> str:
        start = PartialDate(self.start, self.precision)
        if self.end is None or self.start is None:
            return start.humanize()
        end = PartialDate(self.end, self.precision)
        a, b = self.start, self.end
        if self.precision == DatePrecision.DAY and (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {calendar.month_name[a.month]} {a.year}"
        if self.precision == DatePrecision.DAY and a.year == b.year:
            return f"{a.day} {calendar.month_name[a.month]} – {end.humanize()}"
        if self.precision == DatePrecision.MONTH and a.year == b.year:
            return f"{calendar.month_name[a.month]}–{end.humanize()}"
        return f"{start.humanize()} – {end.humanize()}"

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
