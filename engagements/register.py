"""The source register in ``seeds/``: one Markdown file per source document.

Each file starts with YAML front matter (the document's metadata) followed by our summary::

    ---
    key: 002_e5b3391f3894ea28
    title: Rajnath Singh meets counterparts at the 11th ADMM-Plus
    published: 2024-11-22
    dateline: ""
    paragraphs: 27
    curation_notes: |
      …
    ---
    Our summary, in our own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from .dates import PartialDate

REGISTER_DIR = Path(settings.BASE_DIR) / "seeds"


class RegisterError(ValueError):
    pass


@dataclass
class RegisterEntry:
    path: Path
    key: str
    title: str
    published: PartialDate
    summary: str
    publisher: str = ""
    url: str = ""
    dateline: str = ""
    paragraphs: int = 0
    curation_notes: str = ""

    def source_fields(self) -> dict:
        return {
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "published_on": self.published.date,
            "published_precision": str(self.published.precision),
            "dateline": self.dateline,
            "paragraph_count": self.paragraphs or None,
            "summary": self.summary,
            "curation_notes": self.curation_notes,
        }


def read_entry(path: Path) -> RegisterEntry:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise RegisterError(f"{path.name}: the file must start with '---' and front matter.")
    try:
        header, body = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(header) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise RegisterError(f"{path.name}: unreadable front matter ({exc}).") from exc
    missing = {"key", "title", "published"} - meta.keys()
    if missing:
        raise RegisterError(f"{path.name}: front matter lacks {', '.join(sorted(missing))}.")
    if meta["key"] != path.stem:
        raise RegisterError(f"{path.name}: key {meta['key']!r} differs from the file name.")
    published = meta["published"]
    return RegisterEntry(
        path=path,
        key=meta["key"],
        title=meta["title"],
        published=PartialDate.parse("" if published is None else str(published)),
        summary=body.strip(),
        publisher=meta.get("publisher") or "",
        url=meta.get("url") or "",
        dateline=meta.get("dateline") or "",
        paragraphs=int(meta.get("paragraphs") or 0),
        curation_notes=(meta.get("curation_notes") or "").strip(),
    )


def read_register(directory: Path = REGISTER_DIR) -> list[RegisterEntry]:
    return [read_entry(path) for path in sorted(directory.glob("*.md")) if path.name != "README.md"]


def as_fixture(entries: list[RegisterEntry]) -> list[dict]:
    """The register as Django fixture records, for a plain ``loaddata``."""
    records = []
    for entry in entries:
        fields = {"key": entry.key, **entry.source_fields()}
        fields["published_on"] = entry.published.date.isoformat() if entry.published.date else None
        records.append({"model": "engagements.source", "fields": fields})
    return records


def dump_fixture(entries: list[RegisterEntry]) -> str:
    header = "# Generated from seeds/ by `manage.py seed --write-sources-fixture`: edit seeds/.\n"
    body = yaml.safe_dump(as_fixture(entries), sort_keys=False, allow_unicode=True, width=100)
    return header + body
