"""CSV resource of sources: the documents every fact cites."""

from __future__ import annotations

from ..columns.sources import SOURCE
from .bulk import BulkResource


class SourceResource(BulkResource):
    record = SOURCE
