"""Random values in the shapes the model stores: partial dates, titles, summaries.

The base of the synthesizer: everything here is drawn from one seeded generator, so the same
seed gives the same values.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from ..dates import DateExtent, DatePrecision
from ..models import MeetingKind
from .words import ACTIONS, POSTS, REGIONS, SYLLABLES, TOPICS


def ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


class Draws:
    """Values drawn from ``random.Random(seed)``."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self._iso: dict[int, str] = {}

    def iso(self, ordinal: int | None) -> str | None:
        if ordinal is None:
            return None
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    @staticmethod
    def month_start(ordinal: int) -> int:
        return dt.date.fromordinal(ordinal).replace(day=1).toordinal()

    @staticmethod
    def year_start(ordinal: int) -> int:
        return dt.date(dt.date.fromordinal(ordinal).year, 1, 1).toordinal()

    def partial_date(self, ordinal: int, unknown: float = 0.03) -> tuple[int | None, str]:
        """A date of random precision (mostly days), normalised as the model stores it."""
        r = self.rng.random()
        if r < unknown:
            return None, DatePrecision.UNKNOWN
        if r < 0.84:
            return ordinal, DatePrecision.DAY
        if r < 0.94:
            return self.month_start(ordinal), DatePrecision.MONTH
        return self.year_start(ordinal), DatePrecision.YEAR

    def words(self, n: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(n)).capitalize()

    def pick(self, items: Sequence):
        """``rng.choice`` without its overhead (this runs tens of millions of times)."""
        return items[int(self.random() * len(items))]

    def summary(self) -> str:
        pick = self.pick
        a, b = pick(TOPICS), pick(TOPICS)
        if a == b:
            b = TOPICS[(TOPICS.index(a) + 1) % len(TOPICS)]
        text = f"The sides reviewed {a} and {b}, and agreed to {pick(ACTIONS)}."
        if self.random() < 0.5:
            text += f" They also discussed {pick(TOPICS)} in {pick(REGIONS)}."
        return text

    def meeting_dates(self, day: int) -> tuple[int | None, int | None, str, str]:
        """Start, end (spans), precision and extent, stored the way the model's constraints
        want. A few spans are one day within them and a few single days have an open end,
        read off the same draws (the random sequence is as before extents existed)."""
        random = self.random
        r = random()
        spans = random()
        if r < 0.80:
            end = day + 1 + int(random() * 5) if spans < 0.2 else None
            return day, end, DatePrecision.DAY, self.extent(spans, end)
        if r < 0.90:
            start = self.month_start(day)
            end = self.month_start(start + 31) if spans < 0.15 else None
            return start, end, DatePrecision.MONTH, self.extent(spans, end)
        if r < 0.96:
            start = self.year_start(day)
            end = self.year_start(start + 366) if spans < 0.1 else None
            return start, end, DatePrecision.YEAR, self.extent(spans, end)
        return None, None, DatePrecision.UNKNOWN, DateExtent.SINGLE

    @staticmethod
    def extent(spans: float, end: int | None) -> str:
        """Mostly ``span`` with an end and ``single`` without; a few ``within`` and ``open``."""
        if end is not None:
            return DateExtent.WITHIN if spans < 0.02 else DateExtent.SPAN
        return DateExtent.OPEN if spans > 0.98 else DateExtent.SINGLE

    def meeting_title(self, kind, partner, grouping, edition, mechanism) -> str:
        pick = self.pick
        if kind == MeetingKind.MECHANISM and mechanism:
            label = f"India–{partner} dialogue"
            return f"{ordinal_suffix(edition)} session, {label}" if edition else label
        if kind == MeetingKind.MULTILATERAL and grouping:
            return f"{grouping[1]} meeting on {pick(TOPICS)}"
        if kind == MeetingKind.BILATERAL:
            return f"India–{partner} defence talks on {pick(TOPICS)}"
        if kind == MeetingKind.VISIT:
            return f"Visit of the {pick(POSTS)[0]} to {partner}"
        if kind == MeetingKind.CALL:
            return f"Courtesy call by the {pick(POSTS)[0]} of {partner}"
        if kind == MeetingKind.INDUSTRY:
            return f"India–{partner} defence industry roundtable"
        if kind == MeetingKind.SUMMIT:
            return f"India–{partner} summit"
        return f"India–{partner} workshop on {pick(TOPICS)}"
