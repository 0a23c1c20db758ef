"""CSV columns of agreements, their status history, how they relate and which meetings
signed or discussed them."""

from __future__ import annotations

from ..columns.agreements import (
    AGREEMENT,
    AGREEMENT_ALIAS,
    AGREEMENT_MEETING,
    AGREEMENT_RELATION,
    AGREEMENT_STATUS_CHANGE,
)
from ..dates import PartialDate
from ..models.agreements import refresh_status
from .bulk import BulkResource


class AgreementResource(BulkResource):
    """Agreements, with their current status and its date (exported only: the status history
    is imported as ``agreementstatuschange`` rows; these two columns are ignored on import).
    The status is the agreement's kept columns (``refresh_status``)."""

    record = AGREEMENT

    def dehydrate_status(self, agreement) -> str:
        return agreement.current_status or ""

    def dehydrate_status_date(self, agreement) -> str:
        if not agreement.current_status:
            return ""
        when = PartialDate(agreement.current_status_date, agreement.current_status_precision)
        return when.isoformat()


class AgreementStatusChangeResource(BulkResource):
    record = AGREEMENT_STATUS_CHANGE

    def write_new(self, rows, db: str) -> None:
        """The batch (written without ``save()``, so without its signals), then the current
        status of the agreements it adds steps to."""
        super().write_new(rows, db)
        refresh_status({row.instance.agreement_id for row in rows}, db)


class AgreementRelationResource(BulkResource):
    record = AGREEMENT_RELATION


class AgreementMeetingResource(BulkResource):
    record = AGREEMENT_MEETING


class AgreementAliasResource(BulkResource):
    """Another name of an agreement, one per row, with the paragraph that uses it."""

    record = AGREEMENT_ALIAS
