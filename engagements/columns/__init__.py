"""The public columns of every record: one declaration each (see ``base``).

``RECORDS`` maps a model name (``meeting``, ``countryalias``) to its declaration, in the order
the models depend on one another (a file of each can be imported in this order).
"""

from __future__ import annotations

from .agreements import (
    AGREEMENT,
    AGREEMENT_ALIAS,
    AGREEMENT_CITATION,
    AGREEMENT_MEETING,
    AGREEMENT_RELATION,
    AGREEMENT_STATUS_CHANGE,
)
from .base import Cell, Column, Record
from .initiatives import INITIATIVE, INITIATIVE_ALIAS, INITIATIVE_CITATION, PARTNERSHIP_LEVEL
from .marks import (
    AGREEMENT_MARK,
    GROUPING_MARK,
    INITIATIVE_MARK,
    MEETING_MARK,
    OFFICIAL_MARK,
    POST_MARK,
)
from .meetings import MEETING, MEETING_CITATION, PARTICIPATION
from .outcomes import AMOUNT, OUTCOME, OUTCOME_CITATION, TOPIC
from .people import OFFICIAL_ALIAS, OFFICIAL_RECORD, POST, POST_ALIAS, TENURE, TENURE_CITATION
from .places import COUNTRY, COUNTRY_ALIAS, GROUPING, MEMBERSHIP
from .sources import SOURCE

RECORDS: dict[str, Record] = {
    record.name: record
    for record in (
        COUNTRY,
        COUNTRY_ALIAS,
        GROUPING,
        MEMBERSHIP,
        SOURCE,
        TOPIC,
        OFFICIAL_RECORD,
        OFFICIAL_ALIAS,
        POST,
        POST_ALIAS,
        TENURE,
        TENURE_CITATION,
        INITIATIVE,
        INITIATIVE_ALIAS,
        PARTNERSHIP_LEVEL,
        MEETING,
        PARTICIPATION,
        MEETING_CITATION,
        AGREEMENT,
        AGREEMENT_ALIAS,
        AGREEMENT_STATUS_CHANGE,
        AGREEMENT_RELATION,
        AGREEMENT_MEETING,
        AGREEMENT_CITATION,
        INITIATIVE_CITATION,
        OUTCOME,
        OUTCOME_CITATION,
        AMOUNT,
        MEETING_MARK,
        AGREEMENT_MARK,
        INITIATIVE_MARK,
        OFFICIAL_MARK,
        POST_MARK,
        GROUPING_MARK,
    )
}


def record_for(model) -> Record:
    """The declaration of ``model``'s public columns."""
    return RECORDS[model._meta.model_name]


__all__ = ["MEETING", "RECORDS", "Cell", "Column", "Record", "record_for"]
