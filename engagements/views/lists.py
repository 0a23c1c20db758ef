"""The reading room's list pages: what each lists, its facets, row relations and exports.

The machinery (filters, sorts, keyset pages, counts, exports) is RecordListView's
(``recordlist.py``); a page's filters and orders are its filterset's (``filters.py``).
"""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Value, When

from ..models import (
    Agreement,
    AgreementAlias,
    AgreementCitation,
    AgreementKind,
    AgreementStatus,
    AgreementStatusChange,
    Amount,
    Country,
    Grouping,
    GroupingKind,
    Initiative,
    InitiativeAlias,
    InitiativeCitation,
    InitiativeKind,
    Meeting,
    MeetingCitation,
    MeetingKind,
    Membership,
    Official,
    Outcome,
    OutcomeCitation,
    OutcomeKind,
    Participation,
    PartnershipLevel,
    Source,
    Tenure,
)
from . import filters
from .exports import ExportTable
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


class MeetingListView(RecordListView):
    model = Meeting
    filterset_class = filters.MeetingFilter
    resource_name = "MeetingResource"
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

    def export_tables(self):
        return {
            **super().export_tables(),
            "participants": ExportTable(
                "Who attended",
                "ParticipationResource",
                lambda qs: Participation.objects.filter(
                    meeting__in=qs.order_by().values("pk")
                ).order_by("meeting__start_date", "meeting_id", "id"),
            ),
            "citations": ExportTable(
                "Sources cited",
                "MeetingCitationResource",
                lambda qs: MeetingCitation.objects.filter(
                    meeting__in=qs.order_by().values("pk")
                ).order_by("meeting__start_date", "meeting_id", "source__key", "paragraph"),
            ),
        }


class AgreementListView(RecordListView):
    model = Agreement
    filterset_class = filters.AgreementFilter
    resource_name = "AgreementResource"
    title = "Agreements"
    intro = "MoUs, agreements, roadmaps and arrangements, with their status over time."
    facets = (
        CountryFacet(Agreement.parties.through, "agreement", "Party"),
        ChoiceFacet("status", "Current status", "current_status", AgreementStatus.choices),
        ChoiceFacet("kind", "Kind", "kind", AgreementKind.choices),
        GroupingFacet(Agreement.party_groupings.through, "agreement", "Party grouping"),
        TopicFacet(Agreement.topics.through, "agreement"),
    )

    def base_queryset(self):
        return Agreement.objects.with_status()

    def export_tables(self):
        return {
            **super().export_tables(),
            "status": ExportTable(
                "Status history",
                "AgreementStatusChangeResource",
                lambda qs: AgreementStatusChange.objects.filter(
                    agreement__in=qs.order_by().values("pk")
                ).order_by("agreement__title", "agreement_id", "date", "id"),
            ),
            "citations": ExportTable(
                "Sources cited",
                "AgreementCitationResource",
                lambda qs: AgreementCitation.objects.filter(
                    agreement__in=qs.order_by().values("pk")
                ).order_by("agreement__title", "agreement_id", "source__key", "paragraph"),
            ),
            "aliases": ExportTable(
                "Other names, with their sources",
                "AgreementAliasResource",
                lambda qs: AgreementAlias.objects.filter(
                    agreement__in=qs.order_by().values("pk")
                ).order_by("agreement__title", "agreement_id", "name"),
            ),
        }


class InitiativeListView(RecordListView):
    model = Initiative
    filterset_class = filters.InitiativeFilter
    resource_name = "InitiativeResource"
    title = "Initiatives"
    intro = "Policies, programmes, standing mechanisms, exhibitions and joint efforts."
    facets = (
        CountryFacet(Initiative.countries.through, "initiative", "Country"),
        ChoiceFacet("kind", "Kind", "kind", InitiativeKind.choices),
        GroupingFacet(Initiative.groupings.through, "initiative", "Grouping"),
        TopicFacet(Initiative.topics.through, "initiative"),
    )

    def export_tables(self):
        return {
            **super().export_tables(),
            "citations": ExportTable(
                "Sources cited",
                "InitiativeCitationResource",
                lambda qs: InitiativeCitation.objects.filter(
                    initiative__in=qs.order_by().values("pk")
                ).order_by("initiative__name", "initiative_id", "source__key", "paragraph"),
            ),
            "aliases": ExportTable(
                "Other names, with their sources",
                "InitiativeAliasResource",
                lambda qs: InitiativeAlias.objects.filter(
                    initiative__in=qs.order_by().values("pk")
                ).order_by("initiative__name", "initiative_id", "name"),
            ),
            "levels": ExportTable(
                "Partnership levels",
                "PartnershipLevelResource",
                lambda qs: PartnershipLevel.objects.filter(
                    initiative__in=qs.order_by().values("pk")
                ).order_by("initiative__name", "initiative_id", "date", "id"),
            ),
        }


class OutcomeListView(RecordListView):
    """What meetings produced: who agreed, offered, invited or requested what, of whom."""

    model = Outcome
    filterset_class = filters.OutcomeFilter
    resource_name = "OutcomeResource"
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

    def export_tables(self):
        return {
            **super().export_tables(),
            "amounts": ExportTable(
                "Amounts",
                "AmountResource",
                lambda qs: Amount.objects.filter(outcome__in=qs.order_by().values("pk")).order_by(
                    "outcome__meeting__start_date", "outcome_id", "period", "id"
                ),
            ),
            "citations": ExportTable(
                "Sources cited",
                "OutcomeCitationResource",
                lambda qs: OutcomeCitation.objects.filter(
                    outcome__in=qs.order_by().values("pk")
                ).order_by(
                    "outcome__meeting__start_date", "outcome_id", "source__key", "paragraph"
                ),
            ),
        }


class OfficialListView(RecordListView):
    model = Official
    filterset_class = filters.OfficialFilter
    resource_name = "OfficialResource"
    title = "Officials"
    intro = "The people who meet and sign, with the posts they held."
    row_select_related = ("country",)
    facets = (ColumnFacet("country", "Country", "country__iso2", "country__name"),)

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


class GroupingListView(RecordListView):
    model = Grouping
    filterset_class = filters.GroupingFilter
    resource_name = "GroupingResource"
    title = "Groupings"
    intro = "Regional organisations, minilateral partnerships and forums."
    facets = (ChoiceFacet("kind", "Kind", "kind", GroupingKind.choices),)

    def export_tables(self):
        return {
            **super().export_tables(),
            "memberships": ExportTable(
                "Memberships, with dates",
                "MembershipResource",
                lambda qs: Membership.objects.filter(
                    grouping__in=qs.order_by().values("pk")
                ).order_by("grouping__short_name", "country__name"),
            ),
        }

    def decorate(self, rows):
        counts = grouping_meeting_counts()
        for grouping in rows:
            grouping.meeting_count = counts.get(grouping.pk, 0)


class SourceListView(RecordListView):
    model = Source
    filterset_class = filters.SourceFilter
    resource_name = "SourceResource"
    title = "Sources"
    intro = "The source documents every fact is cited to, by paragraph."
    facets = (ColumnFacet("publisher", "Publisher", "publisher", single=True),)


class CountryListView(RecordListView):
    """Countries: at most a few hundred rows, so one page sorted by engagement counts."""

    model = Country
    filterset_class = filters.CountryFilter
    resource_name = "CountryResource"
    title = "Countries"
    intro = (
        "Every country, with the number of records of its engagement with India (meetings "
        "counted whatever their status: held, scheduled or cancelled)."
    )
    paginated = False

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
