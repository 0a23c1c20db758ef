"""The reading room's list pages: what each lists, its facets, row relations and exports.

The machinery (filters, sorts, keyset pages, counts, exports) is RecordListView's
(``recordlist.py``); a page's filters and orders are its filterset's (``filters.py``).
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When

from ..columns.agreements import AGREEMENT_ALIAS, AGREEMENT_CITATION, AGREEMENT_STATUS_CHANGE
from ..columns.initiatives import INITIATIVE_ALIAS, INITIATIVE_CITATION, PARTNERSHIP_LEVEL
from ..columns.meetings import MEETING_CITATION, PARTICIPATION
from ..columns.outcomes import AMOUNT, OUTCOME_CITATION
from ..columns.places import MEMBERSHIP
from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Country,
    Grouping,
    GroupingKind,
    Initiative,
    InitiativeKind,
    Meeting,
    MeetingKind,
    Official,
    Outcome,
    OutcomeKind,
    Participation,
    Post,
    Source,
    Tenure,
)
from . import filters
from .facets import (
    ChoiceFacet,
    ColumnFacet,
    CountryFacet,
    GroupingFacet,
    TopicFacet,
    YearFacet,
    kept_for,
)
from .recordlist import DEFAULT_PER_PAGE, RecordListView
from .stats import grouping_meeting_counts, record_counts
from .tables import Related
from .tallied import MeetingTallyReader


class MeetingListView(RecordListView):
    model = Meeting
    filterset_class = filters.MeetingFilter
    title = "Meetings"
    intro = "Meetings, visits, summits and dialogue sessions in which India engages partners."
    row_select_related = ("country", "grouping")
    facets = (
        CountryFacet(Meeting.countries.through, "meeting", "Partner country"),
        ChoiceFacet("kind", "Kind", "kind", MeetingKind.choices),
        GroupingFacet(None, "grouping", "Grouping"),
        TopicFacet(Meeting.topics.through, "meeting"),
        YearFacet("start_date", "Meetings per year", "meetings"),
    )

    related = (
        Related("participants", "Who attended", PARTICIPATION, order=("id",)),
        Related("citations", "Sources cited", MEETING_CITATION),
    )
    related_order = ("start_date",)
    sort_expressions = {filters.EXTENT_END: filters.extent_end()}
    tally_reader = MeetingTallyReader

    def base_queryset(self):
        # The date sorts' tie-break (filters.MeetingFilter.sorts), for the page, its
        # exports and the API alike.
        return Meeting.objects.annotate(**{filters.EXTENT_END: filters.extent_end()})


class AgreementListView(RecordListView):
    model = Agreement
    filterset_class = filters.AgreementFilter
    title = "Agreements"
    intro = "MoUs, agreements, roadmaps and arrangements, with their status over time."
    facets = (
        CountryFacet(Agreement.parties.through, "agreement", "Party"),
        ChoiceFacet("status", "Current status", "current_status", AgreementStatus.choices),
        ChoiceFacet("kind", "Kind", "kind", AgreementKind.choices),
        GroupingFacet(Agreement.party_groupings.through, "agreement", "Party grouping"),
        TopicFacet(Agreement.topics.through, "agreement"),
    )

    related = (
        Related("status", "Status history", AGREEMENT_STATUS_CHANGE, order=("date", "id")),
        Related("citations", "Sources cited", AGREEMENT_CITATION),
        Related("aliases", "Other names, with their sources", AGREEMENT_ALIAS, ("name", "id")),
    )
    related_order = ("title",)


class InitiativeListView(RecordListView):
    model = Initiative
    filterset_class = filters.InitiativeFilter
    title = "Initiatives"
    intro = "Policies, programmes, standing mechanisms, exhibitions and joint efforts."
    facets = (
        CountryFacet(Initiative.countries.through, "initiative", "Country"),
        ChoiceFacet("kind", "Kind", "kind", InitiativeKind.choices),
        GroupingFacet(Initiative.groupings.through, "initiative", "Grouping"),
        TopicFacet(Initiative.topics.through, "initiative"),
    )

    related = (
        Related("citations", "Sources cited", INITIATIVE_CITATION),
        Related("aliases", "Other names, with their sources", INITIATIVE_ALIAS, ("name", "id")),
        Related("levels", "Partnership levels", PARTNERSHIP_LEVEL, order=("date", "id")),
    )
    related_order = ("name",)


class OutcomeListView(RecordListView):
    """What meetings produced: who agreed, offered, invited or requested what, of whom."""

    model = Outcome
    filterset_class = filters.OutcomeFilter
    title = "Outcomes"
    intro = (
        "What meetings produced: what the sides agreed, offered, invited, requested, pledged, "
        "reviewed or announced, who acted and of or to whom, each cited."
    )
    row_select_related = ("meeting",)
    facets = (
        ChoiceFacet("kind", "Kind", "kind", OutcomeKind.choices),
        TopicFacet(Outcome.topics.through, "outcome"),
        YearFacet("meeting__start_date", "Outcomes per year", "outcomes"),
    )

    related = (
        Related("amounts", "Amounts", AMOUNT, order=("period", "id")),
        Related("citations", "Sources cited", OUTCOME_CITATION),
    )
    related_order = ("meeting__start_date",)


class OfficialListView(RecordListView):
    model = Official
    filterset_class = filters.OfficialFilter
    title = "Officials"
    intro = (
        "The people who meet and sign, with the posts they held. To ask who held a post on "
        "a date, filter by post and date here or open the post's page from Posts."
    )
    row_select_related = ("country",)
    facets = (ColumnFacet("country", "Country", "country__iso2", "country__name"),)
    related_order = ("name",)

    def prefetches(self):
        return (Prefetch("tenures", Tenure.objects.select_related("post")),)

    def decorate(self, rows):
        # Counted for the page's rows only, in one query: as a column of the list's query,
        # PostgreSQL counted every official of a country before sorting and cutting the page.
        # The busiest officials attend thousands of meetings: on big tables the page's counts
        # are kept with the facet counts.
        ids = sorted(o.pk for o in rows)
        counts = kept_for(
            Official,
            "meeting_counts",
            lambda: dict(
                Participation.objects.filter(official__in=ids)
                .order_by()
                .values("official")
                .annotate(n=Count("pk"))
                .values_list("official", "n")
            ),
            params=ids,
            big=self.table_is_big(),
        )
        for official in rows:
            official.meeting_count = counts.get(official.pk, 0)


class PostListView(RecordListView):
    """The offices officials hold, each with who held it when (its page answers who held
    it on a date)."""

    model = Post
    filterset_class = filters.PostFilter
    title = "Posts"
    intro = (
        "Offices of governments, with who held them when as far as the sources attest. "
        "Open a post to ask who held it on a date."
    )
    row_select_related = ("country",)
    facets = (ColumnFacet("country", "Country", "country__iso2", "country__name"),)
    related_order = ("title",)

    def prefetches(self):
        return (
            Prefetch(
                "tenures",
                Tenure.objects.select_related("official").order_by("-start_date", "id"),
            ),
        )


class GroupingListView(RecordListView):
    model = Grouping
    filterset_class = filters.GroupingFilter
    title = "Groupings"
    intro = "Regional organisations, minilateral partnerships and forums."
    facets = (ChoiceFacet("kind", "Kind", "kind", GroupingKind.choices),)

    related = (
        Related("memberships", "Memberships, with dates", MEMBERSHIP, order=("country__name",)),
    )
    related_order = ("short_name",)

    def decorate(self, rows):
        counts = grouping_meeting_counts()
        for grouping in rows:
            grouping.meeting_count = counts.get(grouping.pk, 0)


class SourceListView(RecordListView):
    model = Source
    filterset_class = filters.SourceFilter
    title = "Sources"
    intro = "The source documents every fact is cited to, by paragraph."
    facets = (ColumnFacet("publisher", "Publisher", "publisher", single=True),)
    related_order = ("key",)


class CountryListView(RecordListView):
    """Countries: at most a few hundred rows, so one page sorted by engagement counts."""

    model = Country
    filterset_class = filters.CountryFilter
    title = "Countries"
    intro = (
        "Every country, with the number of records of its engagement with India (meetings "
        "counted whatever their status: held, scheduled or cancelled)."
    )
    paginated = False
    related_order = ("name",)

    def per_page(self, query) -> int:
        return DEFAULT_PER_PAGE  # one page: the rows-per-page choice does not apply

    def ordering(self, sort: str) -> list:
        """The page's order, for the page and its export alike."""
        if sort != "-meetings":
            return super().ordering(sort)
        # The figures the page shows (cached on big tables), not a fresh count per country.
        counted = [
            When(pk=pk, then=Value(n["meetings"]))
            for pk, n in record_counts().items()
            if n.get("meetings")
        ]
        if not counted:
            return ["name", "pk"]
        meetings = Case(*counted, default=Value(0), output_field=IntegerField())
        return [meetings.desc(), "name", "pk"]

    def paginate(self, qs, sort, per_page, query):
        counts = record_counts()
        if sort == "-meetings":
            # ordering()'s order (meetings, then name and pk), sorted here: the CASE of one
            # WHEN per country took the ORM 8 ms to build; a stable sort keeps name, pk.
            rows = list(qs.order_by("name", "pk"))
            rows.sort(key=lambda c: -(counts.get(c.pk, {}).get("meetings") or 0))
        else:
            rows = list(qs.order_by(*self.ordering(sort)))
        for country in rows:
            country.counts = counts.get(country.pk, {})
        return {"rows": rows, "next": "", "previous": "", "first": "", "last": ""}


#: The list pages in the order of the site's navigation (the codebook follows it).
LIST_VIEWS = (
    MeetingListView,
    OutcomeListView,
    AgreementListView,
    InitiativeListView,
    OfficialListView,
    PostListView,
    CountryListView,
    GroupingListView,
    SourceListView,
)
