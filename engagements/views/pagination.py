"""Keyset (cursor) pagination: every page costs the same, however deep.

A page is fetched with ``WHERE (sort keys) after (the last row's keys) ORDER BY … LIMIT n``
instead of ``OFFSET``, so the database seeks into an index rather than counting rows off.
The cursor is the last (or first) row's sort values, encoded in the URL (``after=…`` or
``before=…``), so every page is still a permalink.

A nullable first key (a meeting's date) splits the rows into two segments, the dated rows
then the undated ones. Each segment is read in an order an ordinary B-tree index can serve
(``start_date DESC, id DESC``), which ``ORDER BY start_date DESC NULLS LAST`` could not.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet


class CursorError(ValueError):
    """A cursor that is not one of ours (edited by hand, or from another sort)."""


@dataclass(frozen=True)
class Key:
    """One sort key: a field path (``title``, ``country__name``), its direction and type."""

    field: str
    descending: bool = False
    nullable: bool = False
    parse: Callable[[Any], Any] = field(default=lambda v: v)

    def value_of(self, obj) -> Any:
        value = obj
        for part in self.field.split("__"):
            value = getattr(value, part)
        return value


class Sort:
    """One order a list offers: its label in the form, and the keys its pages are read by."""

    __slots__ = ("keys", "label")

    def __init__(self, label: str, *keys: Key):
        self.label = label
        self.keys = list(keys)


def date_key(name: str, descending: bool = False, nullable: bool = True) -> Key:
    return Key(name, descending, nullable, parse=dt.date.fromisoformat)


def int_key(name: str, descending: bool = False) -> Key:
    return Key(name, descending, parse=int)


@dataclass
class Segment:
    condition: Q
    keys: list[Key]


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool
    is_last: bool


def _encode(values: list) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.date) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


#: The range of a 64-bit integer column: a larger number cannot be sent to the database.
BIGINT = 2**63


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a value of ours")


def _is_scalar_we_wrote(value) -> bool:
    """What ``_encode`` writes: null, a 64-bit integer or a string the database accepts."""
    if value is None:
        return True
    if isinstance(value, bool | float):
        return False
    if isinstance(value, int):
        return -BIGINT <= value < BIGINT
    if isinstance(value, str):
        # PostgreSQL refuses a NUL character; a lone surrogate cannot be encoded at all.
        try:
            value.encode()
        except UnicodeEncodeError:
            return False
        return "\x00" not in value
    return False


def _decode(token: str, keys: list[Key]) -> list:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        # ``Infinity``/``NaN`` are refused here; ``1e400`` (a float) by the check below.
        values = json.loads(raw, parse_constant=_reject_constant)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CursorError("The page link is damaged.") from exc
    if not isinstance(values, list) or len(values) != len(keys):
        raise CursorError("The page link does not match this sort order.")
    if not all(_is_scalar_we_wrote(value) for value in values):
        raise CursorError("The page link is damaged.")
    try:
        return [None if v is None else key.parse(v) for key, v in zip(keys, values, strict=True)]
    except (TypeError, ValueError, OverflowError) as exc:
        raise CursorError("The page link is damaged.") from exc


class KeysetPaginator:
    """Pages of ``queryset`` in the order ``keys`` (the primary key is added as tie-breaker)."""

    def __init__(self, queryset: QuerySet, keys: list[Key], per_page: int):
        self.queryset = queryset
        direction = keys[0].descending if keys else False
        self.keys = [*keys, int_key("pk", direction)]
        if any(k.nullable for k in self.keys[1:]):
            raise ValueError("Only the first sort key may be nullable.")
        self.per_page = per_page
        first = self.keys[0]
        if first.nullable:
            self.segments = [
                Segment(Q(**{f"{first.field}__isnull": False}), self.keys),
                Segment(Q(**{f"{first.field}__isnull": True}), self.keys[1:]),
            ]
        else:
            self.segments = [Segment(Q(), self.keys)]

    # --- public -----------------------------------------------------------------------

    def page(self, after: str | None = None, before: str | None = None, last: bool = False):
        if after:
            index, condition = self._position(after, forward=True)
            rows, more = self._walk(index, condition, forward=True)
            return self._page(rows, is_first=False, is_last=not more)
        if before:
            index, condition = self._position(before, forward=False)
            rows, more = self._walk(index, condition, forward=False)
            return self._page(rows[::-1], is_first=not more, is_last=False)
        if last:
            rows, more = self._walk(len(self.segments) - 1, Q(), forward=False)
            return self._page(rows[::-1], is_first=not more, is_last=True)
        rows, more = self._walk(0, Q(), forward=True)
        return self._page(rows, is_first=True, is_last=not more)

    # --- internals --------------------------------------------------------------------

    def _page(self, rows: list, is_first: bool, is_last: bool) -> Page:
        return Page(
            rows=rows,
            next_cursor=None if is_last or not rows else self._cursor(rows[-1]),
            previous_cursor=None if is_first or not rows else self._cursor(rows[0]),
            is_first=is_first,
            is_last=is_last,
        )

    def _cursor(self, obj) -> str:
        return _encode([key.value_of(obj) for key in self.keys])

    def _position(self, token: str, forward: bool) -> tuple[int, Q]:
        """The segment the cursor row is in, and the condition "after/before it" there."""
        values = _decode(token, self.keys)
        index = 0
        if self.keys[0].nullable and values[0] is None:
            index, values = 1, values[1:]
        if any(v is None for v in values):
            raise CursorError("The page link is damaged.")
        return index, self._beyond(self.segments[index].keys, values, forward)

    @staticmethod
    def _beyond(keys: list[Key], values: list, forward: bool) -> Q:
        """Rows strictly after (``forward``) or before the row with ``values``."""

        def op(key: Key, strict: bool) -> str:
            # Walking backwards flips every key.
            return ("gt" if key.descending != forward else "lt") + ("" if strict else "e")

        condition = Q(pk__in=[])
        equal = Q()
        for key, value in zip(keys, values, strict=True):
            condition |= equal & Q(**{f"{key.field}__{op(key, True)}": value})
            equal &= Q(**{key.field: value})
        # Redundant bound on the first key: lets the database seek into its index.
        first = keys[0]
        return Q(**{f"{first.field}__{op(first, False)}": values[0]}) & condition

    def _walk(self, index: int, condition: Q, forward: bool) -> tuple[list, bool]:
        """Up to ``per_page`` rows from segment ``index`` on; and whether more follow."""
        wanted = self.per_page + 1
        rows: list = []
        step = 1 if forward else -1
        while 0 <= index < len(self.segments) and len(rows) < wanted:
            segment = self.segments[index]
            ordering = [
                F(k.field).desc() if k.descending == forward else F(k.field).asc()
                for k in segment.keys
            ]
            qs = self.queryset.filter(segment.condition & condition).order_by(*ordering)
            rows.extend(qs[: wanted - len(rows)])
            index += step
            condition = Q()
        return rows[: self.per_page], len(rows) > self.per_page


class RowsPaginator:
    """Pages of rows already read in their order (a list the site shows as one page, such
    as the countries sorted by their counts): the same cursors, by the row's primary key."""

    def __init__(self, rows: list, per_page: int):
        self.rows = rows
        self.per_page = per_page
        self.key = int_key("pk")

    def page(self, after: str | None = None, before: str | None = None) -> Page:
        rows, n = self.rows, self.per_page
        if after:
            start = self._index(after) + 1
            found = rows[start : start + n]
            return self._page(found, is_first=False, is_last=start + n >= len(rows))
        if before:
            end = self._index(before)
            found = rows[max(0, end - n) : end]
            return self._page(found, is_first=end - n <= 0, is_last=False)
        return self._page(rows[:n], is_first=True, is_last=n >= len(rows))

    def _index(self, token: str) -> int:
        (pk,) = _decode(token, [self.key])
        for index, row in enumerate(self.rows):
            if row.pk == pk:
                return index
        raise CursorError("The page link names a row that is not in this list.")

    def _page(self, rows: list, is_first: bool, is_last: bool) -> Page:
        return Page(
            rows=rows,
            next_cursor=None if is_last or not rows else _encode([rows[-1].pk]),
            previous_cursor=None if is_first or not rows else _encode([rows[0].pk]),
            is_first=is_first,
            is_last=is_last,
        )
