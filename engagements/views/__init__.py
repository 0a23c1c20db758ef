"""The researchers' reading room: read-only pages (lists, details, exports, charts)."""

from .details import (
    AgreementDetailView,
    CountryDetailView,
    GroupingDetailView,
    InitiativeDetailView,
    MeetingDetailView,
    OfficialDetailView,
    PostDetailView,
    SourceDetailView,
)
from .lists import (
    AgreementListView,
    CountryListView,
    GroupingListView,
    InitiativeListView,
    MeetingListView,
    OfficialListView,
    OutcomeListView,
    PostListView,
    SourceListView,
)
from .overview import OverviewView

__all__ = [
    "AgreementDetailView",
    "AgreementListView",
    "CountryDetailView",
    "CountryListView",
    "GroupingDetailView",
    "GroupingListView",
    "InitiativeDetailView",
    "InitiativeListView",
    "MeetingDetailView",
    "MeetingListView",
    "OfficialDetailView",
    "OfficialListView",
    "OutcomeListView",
    "OverviewView",
    "PostDetailView",
    "PostListView",
    "SourceDetailView",
    "SourceListView",
]
