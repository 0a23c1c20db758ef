"""The defrel data model.

places: countries and groupings; people: officials, posts and who held them when;
sources: the source register and citations; meetings, agreements and initiatives;
outcomes: what a meeting produced, with amounts; topics: defrel's subject vocabulary.
"""

from .agreements import (
    Agreement,
    AgreementCitation,
    AgreementKind,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatus,
    AgreementStatusChange,
    RelationKind,
)
from .initiatives import Initiative, InitiativeCitation, InitiativeKind
from .meetings import Meeting, MeetingCitation, MeetingKind, MeetingStatus, Participation, Role
from .outcomes import (
    OUTCOME_KINDS,
    Amount,
    Outcome,
    OutcomeCitation,
    OutcomeKind,
    Qualifier,
)
from .people import Official, OfficialAlias, Post, Tenure, TenureCitation
from .places import Country, CountryAlias, Grouping, GroupingKind
from .sources import Source
from .topics import Topic

__all__ = [
    "OUTCOME_KINDS",
    "Agreement",
    "AgreementCitation",
    "AgreementKind",
    "AgreementMeeting",
    "AgreementRelation",
    "AgreementStatus",
    "AgreementStatusChange",
    "Amount",
    "Country",
    "CountryAlias",
    "Grouping",
    "GroupingKind",
    "Initiative",
    "InitiativeCitation",
    "InitiativeKind",
    "Meeting",
    "MeetingCitation",
    "MeetingKind",
    "MeetingStatus",
    "Official",
    "OfficialAlias",
    "Outcome",
    "OutcomeCitation",
    "OutcomeKind",
    "Participation",
    "Post",
    "Qualifier",
    "RelationKind",
    "Role",
    "Source",
    "Tenure",
    "TenureCitation",
    "Topic",
]
