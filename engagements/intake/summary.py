"""A draft in words, for the ``intake`` command without ``--json``."""

from __future__ import annotations

from ..paragraphs import format_paragraphs


def _cited(item: dict) -> str:
    match = f" = {item['match']}" if item.get("match") else " (new)"
    return f"¶ {format_paragraphs(item['paragraphs'])}{match}"


def summary_lines(draft: dict) -> list[str]:
    source = draft["source"]
    lines = [
        f"Report of {source['date'] or 'unknown date'}"
        + (f", from {source['dateline']}" if source.get("dateline") else "")
        + f": {source['paragraphs']} paragraphs."
    ]
    countries = ", ".join(
        f"{c['iso2']} (¶ {format_paragraphs(c['paragraphs'])})" for c in draft["countries"]
    )
    lines.append(f"Countries: {countries or 'none'}")
    if draft["groupings"]:
        groupings = ", ".join(
            f"{g['name']} (¶ {format_paragraphs(g['paragraphs'])})" for g in draft["groupings"]
        )
        lines.append(f"Groupings: {groupings}")
    sections = [
        (
            "Officials",
            "officials",
            lambda o: (
                f"{o['name']}, {o['post'] or 'post not given'}"
                f" ({o['country'] or 'country not given'})"
            ),
        ),
        ("Meetings", "meetings", _meeting),
        (
            "Agreements",
            "agreements",
            lambda a: (
                f"{a['title']} [{a['kind']}]: "
                f"{a['status'] or 'status not given'}" + (f" {a['dates']}" if a["dates"] else "")
            ),
        ),
        ("Initiatives", "initiatives", lambda i: f"{i['title']} [{i['kind']}]"),
    ]
    for title, key, describe in sections:
        items = draft[key]
        lines.append(f"{title}: {len(items) or 'none'}")
        for item in items:
            lines.append(f"  {item['id']}: {describe(item)}  {_cited(item)}")
    return lines


def _meeting(m: dict) -> str:
    where = ", ".join(x for x in (m["city"], m["country"] or "") if x)
    parts = [f"{m['title']} [{m['kind']}, {m['status']}]", m["dates"] or "date not given"]
    if where:
        parts.append(where)
    if m["participants"]:
        parts.append("with " + ", ".join(m["participants"]))
    if m["parent"]:
        parts.append(f"{m['parent_relation'] or 'within'} {m['parent']}")
    if m.get("edition"):
        parts.append(f"edition {m['edition']}")
    return "; ".join(parts)
