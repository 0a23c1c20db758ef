"""Detail pages: one record, every related record linked, its sources with locators."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.generic import DetailView

from ..charts import ChartItem, column_chart
from ..models import (
    Agreement,
    AgreementAlias,
    AgreementCitation,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Amount,
    Country,
    Grouping,
    Initiative,
    InitiativeAlias,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    Membership,
    Official,
    Outcome,
    OutcomeCitation,
    Participation,
    PartnershipLevel,
    Post,
    PostAlias,
    Source,
    Tenure,
    TenureCitation,
)
from ..redirects import redirect_target
from ..releases.membership import releases_of
from .base import ReadingRoomMixin
from .filterfields import OnDateField
from .stats import cached, meetings_per_year, record_counts

ISO2 = re.compile(r"[A-Za-z]{2}")
# Related lists on a detail page stop here and link to the filtered list page for the rest.
RELATED_LIMIT = 200
# A country page: the latest events of its timeline, and its agreements and initiatives.
TIMELINE_LIMIT = 100
COUNTRY_LIST_LIMIT = 100


class RecordDetailView(ReadingRoomMixin, DetailView):
    """A record's page; an old slug of a renamed (or merged) record redirects (301) to it."""

    context_object_name = "record"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            slug = kwargs.get(self.slug_url_kwarg)
            target = redirect_target(self.model, slug) if slug else None
            if target is None:
                raise
            return HttpResponsePermanentRedirect(target.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record_releases"] = releases_of(self.object)
        return context


def citations(qs):
    return qs.select_related("source").order_by("source__key", "paragraph")


class MeetingDetailView(RecordDetailView):
    model = Meeting
    template_name = "engagements/meeting_detail.html"

    def get_queryset(self):
        return Meeting.objects.select_related(
            "country", "host", "grouping", "mechanism", "parent"
        ).prefetch_related(
            Prefetch("countries", Country.objects.order_by("name")),
            Prefetch(
                "participations",
                Participation.objects.select_related("official__country", "country")
                .prefetch_related("posts")
                .order_by(Coalesce("official__country__name", "country__name"), "id"),
            ),
            Prefetch("children", Meeting.objects.chronological()),
            Prefetch(
                "agreement_links",
                AgreementMeeting.objects.select_related("agreement").order_by("agreement__title"),
            ),
            Prefetch("initiatives", Initiative.objects.order_by("name")),
            Prefetch("citations", citations(MeetingCitation.objects)),
            "topics",
            Prefetch(
                "outcomes",
                Outcome.objects.order_by("id").prefetch_related(
                    Prefetch("actors", Country.objects.order_by("name")),
                    Prefetch("targets", Country.objects.order_by("name")),
                    "topics",
                    Prefetch("agreements", Agreement.objects.order_by("title")),
                    Prefetch("initiatives", Initiative.objects.order_by("name")),
                    Prefetch("amounts", Amount.objects.select_related("source")),
                    Prefetch("citations", citations(OutcomeCitation.objects)),
                ),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        siblings = []
        if meeting.parent_id:
            siblings = list(
                meeting.parent.children.exclude(pk=meeting.pk).chronological()[:RELATED_LIMIT]
            )
        context["siblings"] = siblings
        return context


class AgreementDetailView(RecordDetailView):
    model = Agreement
    template_name = "engagements/agreement_detail.html"

    def get_queryset(self):
        return Agreement.objects.prefetch_related(
            Prefetch("parties", Country.objects.order_by("name")),
            "party_groupings",
            Prefetch("aliases", AgreementAlias.objects.select_related("source")),
            Prefetch("status_history", AgreementStatusChange.objects.select_related("source")),
            Prefetch(
                "relations_out", AgreementRelation.objects.select_related("object").order_by("kind")
            ),
            Prefetch(
                "relations_in", AgreementRelation.objects.select_related("subject").order_by("kind")
            ),
            Prefetch(
                "meeting_links",
                AgreementMeeting.objects.select_related("meeting").order_by("meeting__start_date"),
            ),
            Prefetch("initiatives", Initiative.objects.order_by("name")),
            Prefetch("citations", citations(AgreementCitation.objects)),
            "topics",
            Prefetch(
                "outcomes",
                Outcome.objects.select_related("meeting").order_by("meeting__start_date", "id"),
            ),
        )


class InitiativeDetailView(RecordDetailView):
    model = Initiative
    template_name = "engagements/initiative_detail.html"

    def get_queryset(self):
        return Initiative.objects.prefetch_related(
            Prefetch("countries", Country.objects.order_by("name")),
            "groupings",
            Prefetch("aliases", InitiativeAlias.objects.select_related("source")),
            Prefetch("levels", PartnershipLevel.objects.select_related("source")),
            Prefetch("agreements", Agreement.objects.order_by("title")),
            Prefetch("citations", citations(InitiativeCitation.objects)),
            "topics",
            Prefetch(
                "outcomes",
                Outcome.objects.select_related("meeting").order_by("meeting__start_date", "id"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initiative = self.object
        context["meetings"] = list(
            Meeting.objects.filter(Q(initiatives=initiative) | Q(mechanism=initiative))
            .distinct()
            .select_related("country")
            .order_by("-start_date", "id")[:RELATED_LIMIT]
        )
        context["related_limit"] = RELATED_LIMIT
        return context


class OfficialDetailView(RecordDetailView):
    model = Official
    template_name = "engagements/official_detail.html"

    def get_queryset(self):
        return Official.objects.select_related("country").prefetch_related(
            "aliases",
            Prefetch(
                "tenures",
                Tenure.objects.select_related("post")
                .prefetch_related(Prefetch("citations", citations(TenureCitation.objects)))
                .order_by("-start_date"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        participations = (
            Participation.objects.filter(official=self.object)
            .select_related("meeting__country")
            .prefetch_related("posts")
            .order_by("-meeting__start_date", "-meeting_id")
        )
        context["participations"] = list(participations[: RELATED_LIMIT + 1])
        context["related_limit"] = RELATED_LIMIT
        return context


class PostDetailView(RecordDetailView):
    model = Post
    template_name = "engagements/post_detail.html"

    def get_queryset(self):
        return Post.objects.select_related("country").prefetch_related(
            Prefetch("aliases", PostAlias.objects.select_related("source")),
            Prefetch(
                "tenures",
                Tenure.objects.select_related("official")
                .prefetch_related(Prefetch("citations", citations(TenureCitation.objects)))
                .order_by("-start_date"),
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.held_on(self.request.GET.get("on")))
        participations = (
            Participation.objects.filter(posts=self.object)
            .select_related("meeting", "official")
            .prefetch_related("posts")
            .order_by("-meeting__start_date", "-meeting_id")
        )
        context["participations"] = list(participations[: RELATED_LIMIT + 1])
        context["related_limit"] = RELATED_LIMIT
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.context_data.get("on_error"):
            response.status_code = 400
        return response

    def held_on(self, raw: str | None) -> dict:
        """The date box: who held the post on ``?on=`` (a day, or any day of a month or
        year), from the tenures; a message naming the value when it is not a date."""
        if raw is None:
            return {"on_value": ""}
        field = OnDateField(required=False)
        try:
            when = field.clean(raw.strip())
        except ValidationError as exc:
            return {"on_value": raw[:40], "on_error": " ".join(exc.messages)}
        if when is None:
            return {"on_value": ""}
        held = (
            Tenure.objects.filter(post=self.object)
            .held_during(when)
            .select_related("official")
            .order_by("start_date", "id")
        )
        return {"on_value": when.isoformat(), "on_date": when, "held_on": list(held)}


class CountryDetailView(RecordDetailView):
    """A country's whole relationship with India, as a timeline."""

    model = Country
    template_name = "engagements/country_detail.html"

    def get(self, request, *args, **kwargs):
        code = self.kwargs["iso2"]
        if not ISO2.fullmatch(code):  # never sent to the database (NUL bytes, long junk)
            raise Http404("No country has that ISO code.")
        if code != code.lower():  # one URL per country: /countries/kr/
            url = reverse("engagements:country_detail", args=[code.lower()])
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        code = self.kwargs["iso2"]
        try:
            return Country.objects.prefetch_related("aliases", "groupings").get(iso2=code.upper())
        except Country.DoesNotExist:
            raise Http404(f"No country has the ISO code {code!r}.") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        timeline, undated, truncated = self.timeline(country)
        counts = record_counts().get(country.pk, {})
        agreements = list(
            Agreement.objects.filter(parties=country).order_by("title")[: COUNTRY_LIST_LIMIT + 1]
        )
        initiatives = list(
            Initiative.objects.filter(countries=country)
            .prefetch_related("levels")
            .order_by("name")[: COUNTRY_LIST_LIMIT + 1]
        )
        per_year = cached(
            f"country_per_year:{country.pk}",
            lambda: meetings_per_year(Meeting.objects.filter(countries=country)),
        )
        context.update(
            meeting_count=counts.get("meetings", 0),
            agreement_count=counts.get("agreements", 0),
            initiative_count=counts.get("initiatives", 0),
            official_count=country.officials.count(),
            agreements=agreements[:COUNTRY_LIST_LIMIT],
            initiatives=initiatives[:COUNTRY_LIST_LIMIT],
            list_limit=COUNTRY_LIST_LIMIT,
            timeline=timeline,
            undated=undated,
            timeline_truncated=truncated,
            timeline_limit=TIMELINE_LIMIT,
            officials=list(country.officials.order_by("name")[:RELATED_LIMIT]),
            related_limit=RELATED_LIMIT,
            chart=column_chart(
                [ChartItem(str(y), n) for y, n in per_year],
                title=f"Meetings held with {country.name} per year",
                description=f"Number of recorded meetings India held with {country.name}, by "
                "year (scheduled and cancelled meetings are not counted).",
                noun="meetings",
            ),
        )
        return context

    @staticmethod
    def timeline(country) -> tuple[list[tuple[int, list]], list, bool]:
        """The latest TIMELINE_LIMIT events (meetings, agreement steps, initiative starts).

        Each kind is read newest first (undated last) up to the limit, so the page costs the
        same for a partner with ten meetings or a hundred thousand; the latest events overall
        are among them. Returns (year, events) newest first, the undated events, and whether
        older events were left out.
        """
        wanted = TIMELINE_LIMIT + 1
        newest = F("start_date").desc(nulls_last=True)
        meetings = Meeting.objects.filter(countries=country).select_related("country")
        steps = AgreementStatusChange.objects.filter(agreement__parties=country)
        starts = Initiative.objects.filter(countries=country)
        events = [
            *(
                (m.start_date, m.date_precision, "meeting", m)
                for m in meetings.order_by(newest, "-id")[:wanted]
            ),
            *(
                (c.date, c.precision, "status", c)
                for c in steps.select_related("agreement").order_by(
                    F("date").desc(nulls_last=True), "-id"
                )[:wanted]
            ),
            *(
                (i.start_date, i.start_precision, "start", i)
                for i in starts.order_by(newest, "-id")[:wanted]
            ),
        ]
        dated = sorted((e for e in events if e[0] is not None), key=lambda e: e[0], reverse=True)
        ordered = [*dated, *(e for e in events if e[0] is None)]
        shown, truncated = ordered[:TIMELINE_LIMIT], len(ordered) > TIMELINE_LIMIT
        timeline: list[tuple[int, list]] = []
        for event in shown:
            if event[0] is None:
                continue
            if not timeline or timeline[-1][0] != event[0].year:
                timeline.append((event[0].year, []))
            timeline[-1][1].append(event)
        return timeline, [e for e in shown if e[0] is None], truncated


class GroupingDetailView(RecordDetailView):
    model = Grouping
    template_name = "engagements/grouping_detail.html"

    def get_queryset(self):
        return Grouping.objects.prefetch_related(
            Prefetch("members", Country.objects.order_by("name")),
            Prefetch(
                "memberships",
                Membership.objects.select_related("country").order_by("country__name"),
            ),
            Prefetch("agreements", Agreement.objects.order_by("title")),
            Prefetch("initiatives", Initiative.objects.order_by("name")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = list(
            self.object.meetings.select_related("country").order_by("-start_date", "-id")[
                : RELATED_LIMIT + 1
            ]
        )
        context["related_limit"] = RELATED_LIMIT
        return context


class SourceDetailView(RecordDetailView):
    model = Source
    slug_field = "key"
    slug_url_kwarg = "key"
    template_name = "engagements/source_detail.html"

    def get_object(self, queryset=None):
        key = self.kwargs["key"]
        if "\x00" in key or len(key) > Source._meta.get_field("key").max_length:
            raise Http404("No source has that key.")  # PostgreSQL refuses NUL in text
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        context["cited"] = [
            (
                "Meetings",
                MeetingCitation.objects.filter(source=source)
                .select_related("meeting")
                .order_by("paragraph"),
                "meeting",
            ),
            (
                "Agreements",
                AgreementCitation.objects.filter(source=source)
                .select_related("agreement")
                .order_by("paragraph"),
                "agreement",
            ),
            (
                "Initiatives",
                InitiativeCitation.objects.filter(source=source)
                .select_related("initiative")
                .order_by("paragraph"),
                "initiative",
            ),
            (
                "Posts held",
                TenureCitation.objects.filter(source=source)
                .select_related("tenure__official", "tenure__post")
                .order_by("paragraph"),
                "tenure",
            ),
        ]
        context["status_changes"] = (
            AgreementStatusChange.objects.filter(source=source)
            .select_related("agreement")
            .order_by("paragraph")
        )
        return context
