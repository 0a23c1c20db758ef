"""What the API serves: one entry per record type, from its column declaration and page.

Each endpoint lists its records at ``/api/v1/<name>`` and gives one at
``/api/v1/<name>/<key>``. Its shape (fields, embedded rows) comes from the record's column
declaration; its filters, orders and count from the reading room's list page of the same
records (``page``), or for a table without a page of its own from the page of the records
it belongs to (``rows``: a meeting's participants are chosen by the meetings' filters, as
the meetings page's participants export is).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..columns import (
    AGREEMENT,
    AGREEMENT_CITATION,
    AGREEMENT_MARK,
    AGREEMENT_MEETING,
    AGREEMENT_STATUS_CHANGE,
    AMOUNT,
    COUNTRY,
    GROUPING,
    GROUPING_MARK,
    INITIATIVE,
    INITIATIVE_CITATION,
    INITIATIVE_MARK,
    MEETING,
    MEETING_CITATION,
    MEETING_MARK,
    MEMBERSHIP,
    OFFICIAL_MARK,
    OFFICIAL_RECORD,
    OUTCOME,
    OUTCOME_CITATION,
    PARTICIPATION,
    PARTNERSHIP_LEVEL,
    POST,
    POST_MARK,
    SOURCE,
    TENURE,
    TENURE_CITATION,
)
from ..columns.base import Record
from ..models import Participation, Tenure
from ..views import lists
from ..views.filters import PostFilter, ReadingRoomFilterSet
from ..views.recordlist import RecordListView
from .shapes import Nested, Shape


@dataclass(frozen=True)
class Endpoint:
    """One record type of the API (see the module)."""

    name: str
    shape: Shape
    summary: str
    #: The reading-room page whose filters, orders and row set the list shares.
    page: type[RecordListView] | None = None
    #: Without a page: the filters (and orders) of the list.
    filters: type[ReadingRoomFilterSet] | None = None
    #: A table of rows belonging to the page's records: those of the filtered records.
    rows: Callable[[QuerySet], QuerySet] | None = None
    #: The key column a record is found by (``/meetings/<slug>``), or "" for none.
    key: str = "slug"
    #: The path parameter's name and what it is, for the docs.
    key_name: str = "slug"
    key_about: str = "The record's identifier (as in its page's address)."
    tags: list[str] = field(default_factory=list)

    @property
    def filterset_class(self) -> type[ReadingRoomFilterSet]:
        return self.page.filterset_class if self.page else self.filters

    @property
    def sorted(self) -> bool:
        """Whether the rows take the filters' ``sort`` (a derived table is in its own order)."""
        return self.rows is None


def nested(
    title: str,
    name: str,
    relation: str,
    record: Record,
    about: str,
    *,
    owner: str = "",
    omit: tuple[str, ...] = (),
    order: tuple[str, ...] = ("id",),
    inner: tuple[Nested, ...] = (),
) -> Nested:
    """Rows of ``record`` embedded in their owner as ``name``, their schema named ``title``
    (the column naming the owner, ``owner``, by default the record's first key column, is
    left out: it is the record they are embedded in)."""
    shape = Shape(
        record,
        omit=(owner or record.key[0], *omit),
        nested=inner,
        permalink=False,
        title=title,
    )
    return Nested(name, relation, shape, about, order)


def citations(title: str, record: Record, owner: str) -> Nested:
    return nested(
        title,
        "citations",
        "citations",
        record,
        f"The source paragraphs the {owner} is cited to.",
        order=("source__key", "paragraph"),
    )


def marks(title: str, record: Record, owner: str) -> Nested:
    return nested(
        title,
        "marks",
        "marks",
        record,
        f"Values of the {owner} that no paragraph gives: inferred from the sources' wording, "
        "or reference knowledge (by column).",
        order=("column",),
    )


TENURE_CITATIONS = nested(
    "TenureCitation",
    "citations",
    "citations",
    TENURE_CITATION,
    "The source paragraphs the tenure is cited to.",
    omit=("official_country", "post", "start"),
    order=("source__key", "paragraph"),
)


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "meetings",
        Shape(
            MEETING,
            nested=(
                nested(
                    "MeetingParticipant",
                    "participants",
                    "participations",
                    PARTICIPATION,
                    "Who attended, in the order recorded: named officials (by identifier), "
                    "and participants the sources only describe.",
                ),
                citations("MeetingCitation", MEETING_CITATION, "meeting"),
                marks("MeetingMark", MEETING_MARK, "meeting"),
            ),
            url="meetings/{key}",
        ),
        "Meetings, visits, summits and dialogue sessions",
        page=lists.MeetingListView,
    ),
    Endpoint(
        "participants",
        Shape(PARTICIPATION, title="Participant"),
        "Who attended the meetings the filters choose (the meetings' filters)",
        page=lists.MeetingListView,
        rows=lambda meetings: Participation.objects.filter(
            meeting__in=meetings.order_by().values("pk")
        ),
        key="",
    ),
    Endpoint(
        "agreements",
        Shape(
            AGREEMENT,
            nested=(
                nested(
                    "StatusStep",
                    "status_history",
                    "status_history",
                    AGREEMENT_STATUS_CHANGE,
                    "Its dated steps (proposed, signed, in force…), in the order recorded; "
                    "status is the latest.",
                ),
                nested(
                    "AgreementMeeting",
                    "meetings",
                    "meeting_links",
                    AGREEMENT_MEETING,
                    "Meetings where it was signed, exchanged, approved or discussed.",
                ),
                citations("AgreementCitation", AGREEMENT_CITATION, "agreement"),
                marks("AgreementMark", AGREEMENT_MARK, "agreement"),
            ),
            url="agreements/{key}",
        ),
        "MoUs, agreements, roadmaps and arrangements, with their status history",
        page=lists.AgreementListView,
    ),
    Endpoint(
        "initiatives",
        Shape(
            INITIATIVE,
            nested=(
                nested(
                    "PartnershipLevel",
                    "partnership_levels",
                    "levels",
                    PARTNERSHIP_LEVEL,
                    "The level of a partnership framework on dates (strategic, "
                    "comprehensive strategic…).",
                ),
                citations("InitiativeCitation", INITIATIVE_CITATION, "initiative"),
                marks("InitiativeMark", INITIATIVE_MARK, "initiative"),
            ),
            url="initiatives/{key}",
        ),
        "Policies, programmes, standing mechanisms and joint efforts",
        page=lists.InitiativeListView,
    ),
    Endpoint(
        "outcomes",
        Shape(
            OUTCOME,
            nested=(
                nested(
                    "Amount", "amounts", "amounts", AMOUNT, "Figures it gives (values, currencies)."
                ),
                citations("OutcomeCitation", OUTCOME_CITATION, "outcome"),
            ),
            url="outcomes/{key}",
            joins=("meeting",),  # its permalink is on its meeting's page
        ),
        "What meetings produced: who agreed, offered, requested… of whom",
        page=lists.OutcomeListView,
    ),
    Endpoint(
        "officials",
        Shape(
            OFFICIAL_RECORD,
            nested=(
                nested(
                    "OfficialTenure",
                    "tenures",
                    "tenures",
                    TENURE,
                    "The posts held, as far as the sources attest.",
                    omit=("official_country",),
                    order=("start_date", "id"),
                    inner=(TENURE_CITATIONS,),
                ),
                marks("OfficialMark", OFFICIAL_MARK, "official"),
            ),
            url="officials/{key}",
            title="Official",
        ),
        "People who meet and sign, with the posts they held",
        page=lists.OfficialListView,
    ),
    Endpoint(
        "posts",
        Shape(
            POST,
            nested=(
                nested(
                    "PostTenure",
                    "tenures",
                    "tenures",
                    TENURE,
                    "Who held it when, as far as the sources attest.",
                    owner="post",
                    order=("start_date", "id"),
                    inner=(TENURE_CITATIONS,),
                ),
                marks("PostMark", POST_MARK, "post"),
            ),
            url="posts/{key}",
        ),
        "Offices of governments, with who held them when",
        filters=PostFilter,
    ),
    Endpoint(
        "tenures",
        Shape(TENURE, nested=(TENURE_CITATIONS,), permalink=False),
        "Who held which post when: the tenures of the officials the filters choose (the "
        "officials' filters)",
        page=lists.OfficialListView,
        rows=lambda officials: Tenure.objects.filter(
            official__in=officials.order_by().values("pk")
        ),
        key="",
    ),
    Endpoint(
        "countries",
        Shape(COUNTRY, url="countries/{key}"),
        "Every ISO 3166-1 country, with the names the sources use for it",
        page=lists.CountryListView,
        key="iso2",
        key_name="iso2",
        key_about="The country's ISO 3166-1 alpha-2 code (any case).",
    ),
    Endpoint(
        "groupings",
        Shape(
            GROUPING,
            nested=(
                nested(
                    "Membership",
                    "memberships",
                    "memberships",
                    MEMBERSHIP,
                    "Member countries with the dates they joined and left.",
                    order=("country__name",),
                ),
                marks("GroupingMark", GROUPING_MARK, "grouping"),
            ),
            url="groupings/{key}",
        ),
        "Regional organisations, minilateral partnerships and forums",
        page=lists.GroupingListView,
    ),
    Endpoint(
        "sources",
        Shape(SOURCE, url="sources/{key}"),
        "The source documents every fact is cited to (their texts are not published)",
        page=lists.SourceListView,
        key="key",
        key_name="key",
        key_about="The source's key.",
    ),
)
