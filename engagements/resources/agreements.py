"""CSV columns of agreements, their status history, how they relate and which meetings
signed or discussed them."""

from __future__ import annotations

from django.db.models import Subquery

from ..columns.agreements import (
    AGREEMENT,
    AGREEMENT_ALIAS,
    AGREEMENT_MEETING,
    AGREEMENT_RELATION,
    AGREEMENT_STATUS_CHANGE,
)
from ..dates import PartialDate
from ..models.agreements import latest_steps
from .bulk import BulkResource


class AgreementResource(BulkResource):
    """Agreements, with their current status and its date (exported only: the status history
    is imported as ``agreementstatuschange`` rows; these two columns are ignored on import)."""

    record = AGREEMENT

    @classmethod
    def export_queryset(cls, queryset=None):
        """Rows annotated with the latest status, its date and precision (subqueries in the
        same SELECT, not a query per row); the reading room's list is already annotated."""
        queryset = super().export_queryset(queryset)
        annotations = queryset.query.annotations
        if "current_status" not in annotations or "current_status_date" not in annotations:
            queryset = queryset.with_status()
        if "current_status_precision" not in annotations:
            latest = latest_steps()
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
    record = AGREEMENT_STATUS_CHANGE


class AgreementRelationResource(BulkResource):
    record = AGREEMENT_RELATION


class AgreementMeetingResource(BulkResource):
    record = AGREEMENT_MEETING


class AgreementAliasResource(BulkResource):
    """Another name of an agreement, one per row, with the paragraph that uses it."""

    record = AGREEMENT_ALIAS
