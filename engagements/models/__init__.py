"""The defrel data model.

places: countries and groupings; people: officials, posts and who held them when;
sources: the source register and citations; meetings, agreements and initiatives;
outcomes: what a meeting produced, with amounts; topics: defrel's subject vocabulary.
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
    StepBasis,
)
from .base import MarkBasis
from .initiatives import (
    Initiative,
    InitiativeAlias,
    InitiativeCitation,
    InitiativeKind,
    Level,
    PartnershipLevel,
)
from .marks import (
    MARKS,
    AgreementMark,
    GroupingMark,
    InitiativeMark,
    MeetingMark,
    OfficialMark,
    PostMark,
)
from .meetings import (
    Meeting,
    MeetingCitation,
    MeetingKind,
    MeetingStatus,
    ParentRelation,
    Participation,
    Role,
)
from .outcomes import (
    OUTCOME_KINDS,
    Amount,
    Outcome,
    OutcomeCitation,
    OutcomeKind,
    Qualifier,
)
from .people import Official, OfficialAlias, Post, PostAlias, Tenure, TenureCitation
from .places import Country, CountryAlias, Grouping, GroupingKind, Membership
from .releases import Release, ReleaseRecord, SlugRedirect
from .sources import Source
from .tally import MeetingTally
from .topics import Topic

__all__ = [
    "MARKS",
    "OUTCOME_KINDS",
    "Agreement",
    "AgreementAlias",
    "AgreementCitation",
    "AgreementKind",
    "AgreementMark",
    "AgreementMeeting",
    "AgreementRelation",
    "AgreementStatus",
    "AgreementStatusChange",
    "Amount",
    "Country",
    "CountryAlias",
    "Grouping",
    "GroupingKind",
    "GroupingMark",
    "Initiative",
    "InitiativeAlias",
    "InitiativeCitation",
    "InitiativeKind",
    "InitiativeMark",
    "Level",
    "MarkBasis",
    "Meeting",
    "MeetingCitation",
    "MeetingKind",
    "MeetingMark",
    "MeetingStatus",
    "MeetingTally",
    "Membership",
    "Official",
    "OfficialAlias",
    "OfficialMark",
    "Outcome",
    "OutcomeCitation",
    "OutcomeKind",
    "ParentRelation",
    "Participation",
    "PartnershipLevel",
    "Post",
    "PostAlias",
    "PostMark",
    "Qualifier",
    "RelationKind",
    "Release",
    "ReleaseRecord",
    "Role",
    "SlugRedirect",
    "Source",
    "StepBasis",
    "Tenure",
    "TenureCitation",
    "Topic",
]
