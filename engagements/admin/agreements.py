from django.contrib import admin
from django.db.models import Prefetch

from ..dates import PartialDate
from ..models import (
    Agreement,
    AgreementAlias,
    AgreementCitation,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Country,
)
from .aliases import AliasInline
from .base import CitationInline, CurationAdmin, shortened_column
from .citations import cited_text
from .forms import StatusChangeForm
from .listfilters import (
    HasSourceFilter,
    InUseListFilter,
    SourceGivenFilter,
    year_filter,
)
from .marks import AgreementMarkInline
from .meetings import AgreementMeetingInline
from .selected import TabularInline


class AgreementAliasInline(AliasInline):
    model = AgreementAlias


class StatusChangeInline(TabularInline):
    """The agreement's status history: proposed, signed, in force…"""

    show_change_link = True  # its own page, with its own History (undo)
    model = AgreementStatusChange
    form = StatusChangeForm
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["status", "when", "date_exact", "basis", "source", "paragraph", "note"]
    verbose_name_plural = "status history"


class AgreementMeetingsInline(AgreementMeetingInline):
    fields = ["meeting", "role"]
    verbose_name_plural = "meetings where it was signed, exchanged or discussed"


class RelationInline(TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
    model = AgreementRelation
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]
    fields = ["kind", "object", "note"]
    verbose_name_plural = "links to other agreements"


class AgreementCitationInline(CitationInline):
    model = AgreementCitation


class CurrentStatusFilter(admin.SimpleListFilter):
    title = "current status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return AgreementStatusChange._meta.get_field("status").choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(current_status=self.value())
        return queryset


#: Agreements with a status change (signed, amended…) in the year.
StatusYearFilter = year_filter(
    "date",
    "status change year",
    AgreementStatusChange,
    "date",
    parameter="status_year",
    through="agreement",
)


@admin.register(Agreement)
class AgreementAdmin(CurationAdmin):
    list_display = [
        shortened_column("title"),
        "short_name",
        "kind",
        "status",
        "status_date",
        "parties_list",
    ]
    list_filter = [
        "kind",
        CurrentStatusFilter,
        StatusYearFilter,
        ("parties", admin.RelatedOnlyFieldListFilter),
        ("party_groupings", admin.RelatedOnlyFieldListFilter),
        HasSourceFilter,
    ]
    search_fields = ["title", "short_name", "slug", "aliases__name"]
    autocomplete_exact = ("short_name", "title", "slug", "aliases__name")
    autocomplete_prefix = ("short_name", "title", "aliases__name")
    search_countries = ("parties",)  # "ROK", "South Korea", "KR": its agreements
    autocomplete_fields = ["parties", "party_groupings", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        AgreementAliasInline,
        StatusChangeInline,
        AgreementMeetingsInline,
        RelationInline,
        AgreementCitationInline,
        AgreementMarkInline,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("parties", Country.objects.only("iso2")))
        )

    @admin.display(description="status", ordering="current_status")
    def status(self, obj):
        return obj.get_current_status_display() or "—"

    @admin.display(description="status date", ordering="current_status_date")
    def status_date(self, obj):
        if obj.current_status is None:
            return "—"
        return PartialDate(obj.current_status_date, obj.current_status_precision).humanize()

    @admin.display(description="parties")
    def parties_list(self, obj):
        return ", ".join(c.iso2 for c in obj.parties.all())


@admin.register(AgreementStatusChange)
class AgreementStatusChangeAdmin(CurationAdmin):
    form = StatusChangeForm
    list_display = ["agreement", "status", "when_display", "basis", "source"]
    list_select_related = ["agreement", "source"]
    list_filter = ["status", "basis", "date_exact", year_filter("date"), SourceGivenFilter]
    search_fields = ["agreement__title", "agreement__short_name"]
    autocomplete_fields = ["agreement", "source"]
    fields = ["agreement", "status", "when", "date_exact", "basis", "source", "paragraph", "note"]

    @admin.display(description="date", ordering="date")
    def when_display(self, obj):
        return obj.when.humanize()


@admin.register(AgreementRelation)
class AgreementRelationAdmin(CurationAdmin):
    list_display = ["subject", "kind", "object"]
    list_select_related = ["subject", "object"]
    list_filter = ["kind"]
    search_fields = ["subject__title", "object__title"]
    autocomplete_fields = ["subject", "object"]


@admin.register(AgreementMeeting)
class AgreementMeetingAdmin(CurationAdmin):
    list_display = ["agreement", "role", "meeting"]
    list_select_related = ["agreement", "meeting"]
    list_filter = ["role"]
    search_fields = ["agreement__title", "meeting__title"]
    autocomplete_fields = ["agreement", "meeting"]


@admin.register(AgreementCitation)
class AgreementCitationAdmin(CurationAdmin):
    list_display = ["agreement", "source", "paragraph"]
    list_select_related = ["agreement", "source"]
    list_filter = [("source", InUseListFilter)]
    search_fields = ["agreement__title", "source__key", "source__title"]
    autocomplete_fields = ["agreement", "source"]
    readonly_fields = [cited_text]  # the paragraph's first words, from the source's text


@admin.register(AgreementAlias)
class AgreementAliasAdmin(CurationAdmin):
    list_display = ["name", "agreement", "source", "paragraph"]
    list_select_related = ["agreement", "source"]
    search_fields = ["name", "agreement__title", "agreement__short_name"]
    autocomplete_fields = ["agreement", "source"]
