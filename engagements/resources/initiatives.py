"""CSV columns of initiatives: policies, programmes, mechanisms and joint efforts."""

from __future__ import annotations

from import_export import fields

from ..models import Agreement, Grouping, Initiative, Meeting
from .bulk import BulkResource
from .fields import PartialDateColumn
from .widgets import CountryListWidget, KeyListWidget


class InitiativeResource(BulkResource):
    countries = fields.Field("countries", "countries", widget=CountryListWidget())
    groupings = fields.Field("groupings", "groupings", widget=KeyListWidget(Grouping))
    start = PartialDateColumn("start_date", "start_precision", "start")
    meetings = fields.Field("meetings", "meetings", widget=KeyListWidget(Meeting))
    agreements = fields.Field("agreements", "agreements", widget=KeyListWidget(Agreement))
    prefetch = ("countries", "groupings", "meetings", "agreements")

    class Meta(BulkResource.Meta):
        model = Initiative
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "countries",
            "groupings",
            "start",
            "summary",
            "meetings",
            "agreements",
        ]
