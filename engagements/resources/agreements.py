"""CSV columns of agreements, their status history, how they relate and which meetings
signed or discussed them."""

from __future__ import annotations

from django.db.models import F, OuterRef, Subquery
from import_export import fields

from ..dates import PartialDate
from ..models import (
    Agreement,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Grouping,
    Meeting,
    Source,
)
from .bulk import BulkResource
from .fields import PartialDateColumn
from .widgets import CountryListWidget, IntWidget, KeyListWidget, KeyWidget


class AgreementResource(BulkResource):
    """Agreements, with their current status and its date (exported only: the status history
    is imported as ``agreementstatuschange`` rows; these two columns are ignored on import)."""

    parties = fields.Field("parties", "parties", widget=CountryListWidget())
    party_groupings = fields.Field(
        "party_groupings", "party_groupings", widget=KeyListWidget(Grouping)
    )
    status = fields.Field(column_name="status", readonly=True)
    status_date = fields.Field(column_name="status_date", readonly=True)
    prefetch = ("parties", "party_groupings")

    class Meta(BulkResource.Meta):
        model = Agreement
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "short_name",
            "kind",
            "parties",
            "party_groupings",
            "status",
            "status_date",
            "summary",
        ]

    @classmethod
    def export_queryset(cls, queryset=None):
        """Rows annotated with the latest status, its date and precision (subqueries in the
        same SELECT, not a query per row); the reading room's list is already annotated."""
        queryset = super().export_queryset(queryset)
        annotations = queryset.query.annotations
        if "current_status" not in annotations or "current_status_date" not in annotations:
            queryset = queryset.with_status()
        if "current_status_precision" not in annotations:
            latest = AgreementStatusChange.objects.filter(agreement=OuterRef("pk")).order_by(
                F("date").desc(nulls_last=True), "-id"
            )
            queryset = queryset.annotate(
                current_status_precision=Subquery(latest.values("precision")[:1])
            )
        return queryset

    def dehydrate_status(self, agreement) -> str:
        return getattr(agreement, "current_status", None) or ""

    def dehydrate_status_date(self, agreement) -> str:
        if not getattr(agreement, "current_status", None):
            return ""
        precision = getattr(agreement, "current_status_precision", None) or "day"
        return PartialDate(agreement.current_status_date, precision).isoformat()


class AgreementStatusChangeResource(BulkResource):
    agreement = fields.Field("agreement", "agreement", widget=KeyWidget(Agreement))
    date = PartialDateColumn("date", "precision", "date")
    source = fields.Field("source", "source", widget=KeyWidget(Source, field="key"))
    paragraph = fields.Field("paragraph", "paragraph", widget=IntWidget())
    related = ("agreement", "source")

    class Meta(BulkResource.Meta):
        model = AgreementStatusChange
        import_id_fields = ["agreement", "status", "date"]
        fields = ["agreement", "status", "date", "source", "paragraph", "note"]


class AgreementRelationResource(BulkResource):
    subject = fields.Field("subject", "subject", widget=KeyWidget(Agreement))
    object = fields.Field("object", "object", widget=KeyWidget(Agreement))
    related = ("subject", "object")

    class Meta(BulkResource.Meta):
        model = AgreementRelation
        import_id_fields = ["subject", "kind", "object"]
        fields = ["subject", "kind", "object", "note"]


class AgreementMeetingResource(BulkResource):
    agreement = fields.Field("agreement", "agreement", widget=KeyWidget(Agreement))
    meeting = fields.Field("meeting", "meeting", widget=KeyWidget(Meeting))
    related = ("agreement", "meeting")

    class Meta(BulkResource.Meta):
        model = AgreementMeeting
        import_id_fields = ["agreement", "meeting", "role"]
        fields = ["agreement", "meeting", "role"]
