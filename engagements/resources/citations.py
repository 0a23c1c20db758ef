"""CSV columns of citations: which paragraph of which source backs a meeting, an agreement,
an initiative, an outcome or a tenure."""

from __future__ import annotations

from import_export import fields

from ..columns.agreements import AGREEMENT_CITATION
from ..columns.initiatives import INITIATIVE_CITATION
from ..columns.meetings import MEETING_CITATION
from ..columns.outcomes import OUTCOME_CITATION
from ..columns.people import TENURE_CITATION
from ..models import Tenure
from .base import DefrelResource
from .bulk import BulkResource
from .widgets import PartialDateWidget


class MeetingCitationResource(BulkResource):
    record = MEETING_CITATION


class AgreementCitationResource(BulkResource):
    record = AGREEMENT_CITATION


class InitiativeCitationResource(BulkResource):
    record = INITIATIVE_CITATION


class OutcomeCitationResource(BulkResource):
    record = OUTCOME_CITATION


class TenureCitationResource(DefrelResource):
    """Citations of tenures; the tenure is named by official, post and start."""

    record = TENURE_CITATION
    # Read as the tenures file writes a start (its first day), to find the tenure by it.
    start = fields.Field("tenure__start_date", "start", widget=PartialDateWidget(), readonly=True)

    def dehydrate_start(self, citation) -> str:
        return citation.tenure.start.isoformat()

    def finish_instance(self, instance, row) -> dict[str, list[str]]:
        if instance.tenure_id is not None:
            return {}
        try:
            lookup = {name: self.fields[name].clean(row) for name in ("official", "post", "start")}
            instance.tenure = Tenure.objects.get(
                official=lookup["official"], post=lookup["post"], start_date=lookup["start"]
            )
        except ValueError as exc:
            return {"tenure": [str(exc)]}
        except Tenure.DoesNotExist:
            return {"tenure": ["No tenure of this official in this post starts on this date."]}
        return {}
