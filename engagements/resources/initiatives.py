"""CSV resource of initiatives: policies, programmes, mechanisms and joint efforts."""

from __future__ import annotations

from ..columns.initiatives import INITIATIVE
from .bulk import BulkResource


class InitiativeResource(BulkResource):
    record = INITIATIVE
