"""Building links that change one thing in the current query string (a permalink each)."""

from __future__ import annotations

from django.http import QueryDict

# Parameters that position a page rather than choose rows: dropped when the rows change.
POSITION = ("after", "before", "last", "page")
# Parameters that say how to show the rows, not which: never filters, nor part of a cache key.
NOT_FILTERS = {"sort", "per_page", "format", *POSITION}


def with_params(query: QueryDict, *, reset_position: bool = True, **changes) -> str:
    """``?…`` with ``changes`` applied: a value sets a key, ``None`` removes it."""
    params = query.copy()
    for key in POSITION if reset_position else ():
        params.pop(key, None)
    for key, value in changes.items():
        params.pop(key, None)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            params.setlist(key, [str(v) for v in value])
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# Parameters documented as comma-separated lists (``country=KR,GB``); any other value may hold
# a comma of its own (a publisher's name) and is taken whole.
COMMA_LISTS = ("country", "kind")


def param_values(query: QueryDict, key: str) -> list[str]:
    """The values given for ``key``: repeated parameters, and comma lists where documented."""
    raws = query.getlist(key)
    if key not in COMMA_LISTS:
        return [raw for raw in raws if raw]
    return [v.strip() for raw in raws for v in raw.split(",") if v.strip()]


def toggled(query: QueryDict, key: str, value: str, *, single: bool = False) -> tuple[str, bool]:
    """The link that adds ``value`` to ``key`` (or removes it when present), and if present."""
    current = param_values(query, key)
    compare = [v.lower() for v in current]
    selected = value.lower() in compare
    if selected:
        remaining = [v for v in current if v.lower() != value.lower()]
    else:
        remaining = [value] if single else [*current, value]
    return with_params(query, **{key: remaining or None}), selected


def filter_params(query: QueryDict, filters, drop: str = "") -> list[tuple[str, str]]:
    """The query's values of ``filters`` (names) as a sorted list, without ``drop``.

    A cache key of the rows they choose: the order and blank values of the query do not count.
    """
    return sorted(
        (k, v)
        for k, values in query.lists()
        if k in filters and k not in NOT_FILTERS and k != drop
        for v in values
        if v
    )
