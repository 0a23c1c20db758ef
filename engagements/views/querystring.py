"""Building links that change one thing in the current query string (a permalink each)."""

from __future__ import annotations

from django.http import QueryDict

# Parameters that position a page rather than choose rows: dropped when the rows change.
POSITION = ("after", "before", "last", "page")


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


def toggled(query: QueryDict, key: str, value: str, *, single: bool = False) -> tuple[str, bool]:
    """The link that adds ``value`` to ``key`` (or removes it when present), and if present."""
    current = [v for raw in query.getlist(key) for v in raw.split(",") if v]
    compare = [v.lower() for v in current]
    selected = value.lower() in compare
    if selected:
        remaining = [v for v in current if v.lower() != value.lower()]
    else:
        remaining = [value] if single else [*current, value]
    return with_params(query, **{key: remaining or None}), selected
