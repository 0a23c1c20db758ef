"""Curation of outcomes (what a meeting produced), their amounts, and the topic vocabulary."""

from django.contrib import admin
from django.db.models import Prefetch

from ..models import Amount, Country, Outcome, OutcomeCitation, Topic
from ..models.outcomes import kinds_help
from .base import CitationInline, CurationAdmin, shortened
from .citations import CitingForm, cited_text
from .listfilters import HasSourceFilter, InUseListFilter, year_filter
from .selected import StackedInline, TabularInline

OUTCOME_AUTOCOMPLETE = ["actors", "targets", "topics", "agreements", "initiatives"]


class OutcomeCitationInline(CitationInline):
    model = OutcomeCitation


class AmountInline(TabularInline):
    """Figures the outcome gives (trade of USD 35 billion in 2024-25), each with its source."""

    show_change_link = True  # its own page, with its own History (undo)
    model = Amount
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["measure", "period", "qualifier", "value", "currency", "source", "paragraph", "note"]
    verbose_name_plural = "amounts"


class MeetingOutcomeInline(StackedInline):
    """The outcomes of a meeting, entered with it: a new one with its source paragraphs
    (more citations and amounts on the outcome's own page)."""

    show_change_link = True
    model = Outcome
    form = CitingForm
    extra = 0
    autocomplete_fields = OUTCOME_AUTOCOMPLETE
    fields = [
        "slug",
        "kind",
        "actors",
        "targets",
        "summary",
        "topics",
        "agreements",
        "initiatives",
        "cite_source",
        "cite_paragraphs",
    ]
    verbose_name_plural = "outcomes (more citations and amounts on each outcome's own page)"


@admin.register(Outcome)
class OutcomeAdmin(CurationAdmin):
    list_display = ["summary_short", "kind", "meeting", "actors_list", "targets_list"]
    list_select_related = ["meeting"]
    list_filter = [
        "kind",
        ("topics", InUseListFilter),
        ("actors", InUseListFilter),
        ("targets", InUseListFilter),
        year_filter("meeting__start_date", "meeting year"),
        HasSourceFilter,
    ]
    search_fields = ["summary", "slug", "meeting__title"]
    search_countries = ("actors", "targets")
    autocomplete_fields = ["meeting", *OUTCOME_AUTOCOMPLETE]
    fieldsets = [
        (None, {"fields": ["meeting", "slug", "kind"], "description": kinds_help()}),
        ("Who", {"fields": ["actors", "targets"]}),
        (None, {"fields": ["summary", "topics", "agreements", "initiatives"]}),
    ]
    inlines = [AmountInline, OutcomeCitationInline]

    def get_queryset(self, request):
        codes = Country.objects.only("iso2")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("actors", codes), Prefetch("targets", codes))
        )

    @admin.display(description="outcome", ordering="summary")
    def summary_short(self, obj):
        return shortened(obj.summary)

    @admin.display(description="actors")
    def actors_list(self, obj):
        return ", ".join(sorted(c.iso2 for c in obj.actors.all()))

    @admin.display(description="of or to")
    def targets_list(self, obj):
        return ", ".join(sorted(c.iso2 for c in obj.targets.all()))


@admin.register(Amount)
class AmountAdmin(CurationAdmin):
    list_display = ["measure", "period", "qualifier", "value", "currency", "outcome"]
    list_select_related = ["outcome"]
    list_filter = ["currency", "qualifier"]
    search_fields = ["measure", "period", "outcome__summary"]
    autocomplete_fields = ["outcome", "source"]


@admin.register(OutcomeCitation)
class OutcomeCitationAdmin(CurationAdmin):
    list_display = ["outcome", "source", "paragraph"]
    list_select_related = ["outcome", "source"]
    list_filter = [("source", InUseListFilter)]
    search_fields = ["outcome__summary", "source__key", "source__title"]
    autocomplete_fields = ["outcome", "source"]
    readonly_fields = [cited_text]  # the paragraph's first words, from the source's text


@admin.register(Topic)
class TopicAdmin(CurationAdmin):
    list_display = ["name", "slug", "source_note"]
    search_fields = ["name", "slug", "description"]
    autocomplete_exact = ("name", "slug")
    autocomplete_prefix = ("name",)
    prepopulated_fields = {"slug": ["name"]}
