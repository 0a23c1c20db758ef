from django.contrib import admin
from django.db.models import Prefetch

from ..models import Country, Initiative, InitiativeCitation
from .base import CitationInline, CurationAdmin, HasSourceFilter, InUseListFilter, year_filter
from .forms import InitiativeForm


class InitiativeCitationInline(CitationInline):
    model = InitiativeCitation


@admin.register(Initiative)
class InitiativeAdmin(CurationAdmin):
    form = InitiativeForm
    list_display = ["name", "short_name", "kind", "start_display", "countries_list"]
    list_filter = [
        "kind",
        year_filter("start_date", "start year"),
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("groupings", admin.RelatedOnlyFieldListFilter),
        HasSourceFilter,
    ]
    search_fields = ["name", "short_name", "slug"]
    search_countries = ("countries",)  # "ROK", "South Korea", "KR": its initiatives
    autocomplete_fields = ["countries", "groupings", "meetings", "agreements", "topics"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "short_name",
        "slug",
        "kind",
        "start",
        "countries",
        "groupings",
        "summary",
        "topics",
        "meetings",
        "agreements",
    ]
    inlines = [InitiativeCitationInline]

    def get_queryset(self, request):
        countries = Prefetch("countries", Country.objects.only("iso2"))
        return super().get_queryset(request).prefetch_related(countries)

    @admin.display(description="start", ordering="start_date")
    def start_display(self, obj):
        return obj.start.humanize()

    @admin.display(description="countries")
    def countries_list(self, obj):
        return ", ".join(sorted(c.iso2 for c in obj.countries.all()))


@admin.register(InitiativeCitation)
class InitiativeCitationAdmin(CurationAdmin):
    list_display = ["initiative", "source", "paragraph"]
    list_select_related = ["initiative", "source"]
    list_filter = [("source", InUseListFilter)]
    search_fields = ["initiative__name", "source__key", "source__title"]
    autocomplete_fields = ["initiative", "source"]
