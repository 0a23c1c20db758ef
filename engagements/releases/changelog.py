"""What a release changed against the previous one: records added, changed and removed by
key (slug, source key, ISO code), with the fields each changed record changed, and renames
recognised by the old slugs records keep (``SlugRedirect``).

The comparison runs on Arrow tables (the previous release's Parquet file against the new
table), a hash join per table: linear in rows, no Python object per row but the keys listed.
A table without a one-column key (citations, participants) is compared by its row count.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..models import SlugRedirect

#: Records listed per table and kind in changelog.md (changelog.json lists them all).
MARKDOWN_LIMIT = 200
OLD = "__old"


def _not_in(values: pa.ChunkedArray, others: pa.ChunkedArray) -> list[str]:
    kept = pc.filter(values, pc.invert(pc.is_in(values, value_set=others.combine_chunks())))
    return sorted(kept.to_pylist())


def _same(new: pa.ChunkedArray, old: pa.ChunkedArray) -> pa.ChunkedArray:
    both_null = pc.and_(pc.is_null(new), pc.is_null(old))
    return pc.fill_null(pc.or_kleene(pc.equal(new, old), both_null), False)


def _renames(table: str, removed: list[str], added: list[str], model) -> dict[str, str]:
    """Old slug → new slug, for removed slugs kept as redirects to an added record."""
    if model is None or not removed or not added:
        return {}
    targets = dict(
        SlugRedirect.objects.filter(model=table, old_slug__in=removed).values_list(
            "old_slug", "target_id"
        )
    )
    current = dict(model._default_manager.filter(pk__in=targets.values()).values_list("pk", "slug"))
    wanted = set(added)
    return {old: current[pk] for old, pk in targets.items() if current.get(pk) in wanted}


def compare(name: str, key: str | None, new: pa.Table, previous: Path | None, model=None) -> dict:
    """The changes to table ``name`` (``key``: its one key column, or None) from the
    previous release's Parquet file ``previous`` (None: there is no previous release; a
    path that does not exist: the table is new). An unkeyed table's rows before are read
    from the file's footer, never its rows."""
    found = previous is not None and previous.exists()
    before = pq.ParquetFile(previous).metadata.num_rows if found else 0
    entry = {"rows_before": before, "rows_after": new.num_rows}
    if key is None or previous is None:  # unkeyed, or the first release: counts only
        return entry
    if not found:  # a table new since the previous release
        entry["added"] = sorted(new.column(key).to_pylist())
        return entry
    old = pq.read_table(previous)
    if key not in old.column_names:
        return entry
    added = _not_in(new.column(key), old.column(key))
    removed = _not_in(old.column(key), new.column(key))
    renamed = _renames(name, removed, added, model if key == "slug" else None)
    if renamed:
        moved = set(renamed.values())
        added = [k for k in added if k not in moved]
        removed = [k for k in removed if k not in renamed]
    common = [c for c in new.column_names if c in old.column_names and c != key]
    old = old.select([key, *common]).rename_columns([key, *(c + OLD for c in common)])
    joined = new.select([key, *common]).join(old, keys=key, join_type="inner")
    changed_columns = {}
    counts = None
    for column in common:
        differs = pc.invert(_same(joined.column(column), joined.column(column + OLD)))
        changed_columns[column] = differs
        as_int = pc.cast(differs, pa.int32())
        counts = as_int if counts is None else pc.add(counts, as_int)
    changed = {}
    if counts is not None and joined.num_rows:
        rows = pc.greater(counts, 0)
        keys = pc.filter(joined.column(key), rows).to_pylist()
        flags = {c: pc.filter(d, rows).to_pylist() for c, d in changed_columns.items()}
        for i, record in enumerate(keys):
            changed[record] = [c for c in common if flags[c][i]]
    entry.update(
        added=added,
        removed=removed,
        renamed=renamed,
        changed=dict(sorted(changed.items())),
        columns_added=[c for c in new.column_names if c not in old.column_names],
    )
    return entry


def _listed(items: list[str], fmt=str) -> list[str]:
    lines = [f"  - {fmt(item)}" for item in items[:MARKDOWN_LIMIT]]
    if len(items) > MARKDOWN_LIMIT:
        lines.append(f"  - … and {len(items) - MARKDOWN_LIMIT} more (changelog.json)")
    return lines


def markdown(log: dict) -> str:
    """changelog.md: per table, the counts and the records by key."""
    lines = [f"# defrel {log['version']}: changes", ""]
    if not log.get("previous"):
        lines += ["The first release: every record is new.", ""]
    else:
        lines += [f"Against release {log['previous']}.", ""]
    for name, entry in log["tables"].items():
        added, removed = entry.get("added", []), entry.get("removed", [])
        changed, renamed = entry.get("changed", {}), entry.get("renamed", {})
        lines.append(
            f"## {name}: {entry['rows_before']} → {entry['rows_after']} rows"
            + (
                f" ({len(added)} added, {len(changed)} changed, {len(removed)} removed, "
                f"{len(renamed)} renamed)"
                if log.get("previous") and "changed" in entry
                else ""
            )
        )
        lines.append("")
        if not log.get("previous"):
            continue
        before = len(lines)
        if added:
            lines += ["- added:", *_listed(added, str)]
        if changed:
            lines += [
                "- changed (fields):",
                *_listed([f"{k}: {len(f)} ({', '.join(f)})" for k, f in changed.items()], str),
            ]
        if removed:
            lines += ["- removed:", *_listed(removed, str)]
        if renamed:
            moves = [f"{old} → {new}" for old, new in renamed.items()]
            lines += ["- renamed (the old slug redirects):", *_listed(moves, str)]
        if len(lines) > before:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
