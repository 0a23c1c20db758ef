"""CSV columns of sources: the documents every fact cites."""

from __future__ import annotations

from ..models import Source
from .bulk import BulkResource
from .fields import PartialDateColumn


class SourceResource(BulkResource):
    published = PartialDateColumn("published_on", "published_precision", "published")

    class Meta(BulkResource.Meta):
        model = Source
        import_id_fields = ["key"]
        fields = [
            "key",
            "title",
            "publisher",
            "url",
            "published",
            "dateline",
            "summary",
            "curation_notes",
        ]
