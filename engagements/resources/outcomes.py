"""CSV columns of topics, of the outcomes of meetings and of the amounts they give."""

from __future__ import annotations

from ..columns.outcomes import AMOUNT, OUTCOME, TOPIC
from .bulk import BulkResource


class TopicResource(BulkResource):
    record = TOPIC


class OutcomeResource(BulkResource):
    record = OUTCOME


class AmountResource(BulkResource):
    record = AMOUNT
