"""CSV resource of initiatives: policies, programmes, mechanisms and joint efforts."""

from __future__ import annotations

from ..columns.initiatives import INITIATIVE, INITIATIVE_ALIAS, PARTNERSHIP_LEVEL
from .bulk import BulkResource


class InitiativeResource(BulkResource):
    record = INITIATIVE


class InitiativeAliasResource(BulkResource):
    """Another name of an initiative, one per row, with the paragraph that uses it."""

    record = INITIATIVE_ALIAS


class PartnershipLevelResource(BulkResource):
    """A partnership framework's level on a date (only initiatives of kind partnership)."""

    record = PARTNERSHIP_LEVEL
