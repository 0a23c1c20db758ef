"""Placeholder for the drafting engine (built on another branch, which replaces this file).

It gives the draft's shape with the source's facts only: the paragraph count and the date
passed in, and no items. The admin's intake desk calls it as it will call the real engine.
"""

from __future__ import annotations

import datetime

from ..paragraphs import count_paragraphs

KINDS = ("countries", "groupings", "officials", "meetings", "agreements", "initiatives")


def draft_report(text: str, *, published: datetime.date | None = None) -> dict:
    return {
        "source": {
            "date": published.isoformat() if published else None,
            "paragraphs": count_paragraphs(text),
            "dateline": None,
        },
        **{kind: [] for kind in KINDS},
    }
