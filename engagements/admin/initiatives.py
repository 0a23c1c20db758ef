from django.contrib import admin

from ..forms import InitiativeForm
from ..models import Initiative, InitiativeCitation
from .base import CitationInline, CurationAdmin, HasSourceFilter, year_filter


class InitiativeCitationInline(CitationInline):
    model = InitiativeCitation


@admin.register(Initiative)
class InitiativeAdmin(CurationAdmin):
    form = InitiativeForm
    list_display = ["name", "short_name", "kind", "start_display"]
    list_filter = [
        "kind",
        year_filter("start_date", "start year"),
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("groupings", admin.RelatedOnlyFieldListFilter),
        HasSourceFilter,
    ]
    search_fields = ["name", "short_name", "slug"]
    search_countries = ("countries",)  # "ROK", "South Korea", "KR": its initiatives
    autocomplete_fields = ["countries", "groupings", "meetings", "agreements"]
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
        "meetings",
        "agreements",
    ]
    inlines = [InitiativeCitationInline]

    @admin.display(description="start", ordering="start_date")
    def start_display(self, obj):
        return obj.start.humanize()


@admin.register(InitiativeCitation)
class InitiativeCitationAdmin(CurationAdmin):
    list_display = ["initiative", "source", "paragraph"]
    list_select_related = ["initiative", "source"]
    search_fields = ["initiative__name", "source__key", "source__title"]
    autocomplete_fields = ["initiative", "source"]
