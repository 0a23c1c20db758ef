"""The front page: what the database holds, the latest engagements, partners, charts."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import TemplateView

from ..charts import ChartItem, bar_chart, column_chart
from ..models import Meeting, MeetingKind
from .base import ReadingRoomMixin
from .stats import overview_figures


class OverviewView(ReadingRoomMixin, TemplateView):
    template_name = "engagements/overview.html"
    model = Meeting  # the permission checked when the pages are not public

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = overview_figures()
        meetings_url = reverse("engagements:meeting_list")
        kinds = dict(MeetingKind.choices)
        partners = figures["partners"]
        context.update(
            counts=figures["counts"],
            partners=partners,
            latest=list(
                Meeting.objects.filter(start_date__isnull=False)
                .select_related("country", "grouping")
                .prefetch_related("countries")
                .order_by("-start_date", "-id")[:10]
            ),
            year_chart=column_chart(
                [
                    ChartItem(str(y), n, f"{meetings_url}?year_from={y}&year_to={y}&status=held")
                    for y, n in figures["per_year"]
                ],
                title="Engagements per year",
                description="Number of recorded meetings held between India and its partners, by "
                "year (scheduled and cancelled meetings are not counted).",
                noun="meetings",
            ),
            partner_chart=bar_chart(
                [
                    ChartItem(p["name"], p["n"], f"{meetings_url}?country={p['iso2']}&status=held")
                    for p in partners
                ],
                title="India's partners by number of meetings",
                description="Countries ranked by the recorded meetings they held with India "
                "(scheduled and cancelled meetings are not counted).",
                noun="meetings",
                label_heading="Country",
            ),
            kind_chart=bar_chart(
                [
                    ChartItem(str(kinds.get(k, k)), n, f"{meetings_url}?kind={k}&status=held")
                    for k, n in figures["per_kind"]
                ],
                title="Meetings by kind",
                description="Number of recorded meetings held, of each kind (scheduled and "
                "cancelled meetings are not counted).",
                noun="meetings",
                label_heading="Kind",
            ),
        )
        return context
