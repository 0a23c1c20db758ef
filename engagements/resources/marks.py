"""CSV columns of marks: the values that are inferred or reference knowledge, and why."""

from __future__ import annotations

from ..columns.marks import (
    AGREEMENT_MARK,
    GROUPING_MARK,
    INITIATIVE_MARK,
    MEETING_MARK,
    OFFICIAL_MARK,
    POST_MARK,
)
from .bulk import BulkResource


class MeetingMarkResource(BulkResource):
    record = MEETING_MARK


class AgreementMarkResource(BulkResource):
    record = AGREEMENT_MARK


class InitiativeMarkResource(BulkResource):
    record = INITIATIVE_MARK


class OfficialMarkResource(BulkResource):
    record = OFFICIAL_MARK


class PostMarkResource(BulkResource):
    record = POST_MARK


class GroupingMarkResource(BulkResource):
    record = GROUPING_MARK
