from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch

from ..models import (
    Country,
    Initiative,
    InitiativeAlias,
    InitiativeCitation,
    InitiativeKind,
    PartnershipLevel,
)
from .aliases import AliasInline
from .base import CitationInline, CurationAdmin
from .citations import cited_text
from .forms import InitiativeForm, StatusChangeForm
from .listfilters import HasSourceFilter, InUseListFilter, year_filter
from .marks import InitiativeMarkInline
from .selected import TabularInline


class InitiativeAliasInline(AliasInline):
    model = InitiativeAlias


class PartnershipLevelForm(StatusChangeForm):
    """A level's date typed with its precision, as a status change's."""


class PartnershipLevelInline(TabularInline):
    """A partnership framework's levels over time (only partnerships have them)."""

    show_change_link = True  # its own page, with its own History (undo)
    model = PartnershipLevel
    form = PartnershipLevelForm
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["level", "when", "attested", "source", "paragraph", "reference", "note"]
    verbose_name_plural = "partnership levels (partnership frameworks only)"


class LevelFilter(admin.SimpleListFilter):
    """Partnerships with a recorded level (at any date)."""

    title = "partnership level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return PartnershipLevel._meta.get_field("level").choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        levels = PartnershipLevel.objects.filter(initiative=OuterRef("pk"), level=self.value())
        return queryset.filter(Exists(levels))


class InitiativeCitationInline(CitationInline):
    model = InitiativeCitation


@admin.register(Initiative)
class InitiativeAdmin(CurationAdmin):
    form = InitiativeForm
    list_display = ["name", "short_name", "kind", "start_display", "countries_list"]
    list_filter = [
        "kind",
        LevelFilter,
        year_filter("start_date", "start year"),
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("groupings", admin.RelatedOnlyFieldListFilter),
        HasSourceFilter,
    ]
    search_fields = ["name", "short_name", "slug", "aliases__name"]
    autocomplete_exact = ("short_name", "name", "slug", "aliases__name")
    autocomplete_prefix = ("short_name", "name", "aliases__name")
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
    inlines = [
        InitiativeAliasInline,
        PartnershipLevelInline,
        InitiativeCitationInline,
        InitiativeMarkInline,
    ]

    def get_inline_instances(self, request, obj=None):
        # Levels only on a partnership framework's page (the model refuses them elsewhere).
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and obj.kind == InitiativeKind.PARTNERSHIP:
            return inlines
        return [i for i in inlines if not isinstance(i, PartnershipLevelInline)]

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
    readonly_fields = [cited_text]  # the paragraph's first words, from the source's text


@admin.register(InitiativeAlias)
class InitiativeAliasAdmin(CurationAdmin):
    list_display = ["name", "initiative", "source", "paragraph"]
    list_select_related = ["initiative", "source"]
    search_fields = ["name", "initiative__name", "initiative__short_name"]
    autocomplete_fields = ["initiative", "source"]


@admin.register(PartnershipLevel)
class PartnershipLevelAdmin(CurationAdmin):
    form = PartnershipLevelForm
    list_display = ["initiative", "level", "when_display", "attested", "source"]
    list_select_related = ["initiative", "source"]
    list_filter = ["level", "attested"]
    search_fields = ["initiative__name", "initiative__aliases__name"]
    autocomplete_fields = ["initiative", "source"]
    fields = [
        "initiative",
        "level",
        "when",
        "attested",
        "source",
        "paragraph",
        "reference",
        "note",
    ]

    @admin.display(description="date", ordering="date")
    def when_display(self, obj):
        return obj.when.humanize()
