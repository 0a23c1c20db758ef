"""The defrel data model.

places: countries and groupings; people: officials, posts and who held them when;
sources: the source register and citations; meetings, agreements and initiatives.
"""

from .agreements import (
    Agreement,
    AgreementAlias,
    AgreementCitation,
    AgreementKind,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatus,
    AgreementStatusChange,
    RelationKind,
)
from .initiatives import (
    Initiative,
    InitiativeAlias,
    InitiativeCitation,
    InitiativeKind,
    Level,
    PartnershipLevel,
)
from .meetings import Meeting, MeetingCitation, MeetingKind, MeetingStatus, Participation, Role
from .people import Official, OfficialAlias, Post, PostAlias, Tenure, TenureCitation
from .places import Country, CountryAlias, Grouping, GroupingKind
from .sources import Source

__all__ = [
    "Agreement",
    "AgreementAlias",
    "AgreementCitation",
    "AgreementKind",
    "AgreementMeeting",
    "AgreementRelation",
    "AgreementStatus",
    "AgreementStatusChange",
    "Country",
    "CountryAlias",
    "Grouping",
    "GroupingKind",
    "Initiative",
    "InitiativeAlias",
    "InitiativeCitation",
    "InitiativeKind",
    "Level",
    "Meeting",
    "MeetingCitation",
    "MeetingKind",
    "MeetingStatus",
    "Official",
    "OfficialAlias",
    "Participation",
    "PartnershipLevel",
    "Post",
    "PostAlias",
    "RelationKind",
    "Role",
    "Source",
    "Tenure",
    "TenureCitation",
]
