from django.contrib import admin

from ..forms import MeetingForm
from ..models import AgreementMeeting, Meeting, MeetingCitation, Participation
from .base import CitationInline, CurationAdmin, HasSourceFilter, year_filter


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 3
    autocomplete_fields = ["official", "post"]
    fields = ["official", "role", "post", "note"]
    verbose_name_plural = "participants"


class AgreementMeetingInline(admin.TabularInline):
    model = AgreementMeeting
    extra = 0
    autocomplete_fields = ["agreement", "meeting"]


class MeetingAgreementInline(AgreementMeetingInline):
    """Agreements signed, exchanged or discussed at this meeting."""

    fields = ["agreement", "role"]
    extra = 2
    verbose_name_plural = "agreements at this meeting"


class MeetingCitationInline(CitationInline):
    model = MeetingCitation


@admin.register(Meeting)
class MeetingAdmin(CurationAdmin):
    form = MeetingForm
    list_display = ["title", "when", "kind", "status", "country", "grouping"]
    list_select_related = ["country", "grouping"]
    list_filter = [
        "kind",
        "status",
        year_filter("start_date"),
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("grouping", admin.RelatedOnlyFieldListFilter),
        HasSourceFilter,
    ]
    search_fields = ["title", "slug", "city", "countries__name", "countries__aliases__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["country", "host", "countries", "grouping", "mechanism", "parent"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "dates"]}),
        ("Where and who", {"fields": ["city", "country", "host", "countries"]}),
        ("Series", {"fields": ["grouping", "mechanism", "edition", "parent"]}),
        (None, {"fields": ["summary"]}),
    ]
    inlines = [ParticipationInline, MeetingAgreementInline, MeetingCitationInline]

    @admin.display(description="dates", ordering="start_date")
    def when(self, obj):
        return obj.dates.humanize()


@admin.register(Participation)
class ParticipationAdmin(CurationAdmin):
    list_display = ["official", "role", "meeting", "post"]
    list_select_related = ["official", "meeting", "post__country"]
    list_filter = ["role"]
    search_fields = ["official__name", "official__aliases__name", "meeting__title"]
    autocomplete_fields = ["meeting", "official", "post"]


@admin.register(MeetingCitation)
class MeetingCitationAdmin(CurationAdmin):
    list_display = ["meeting", "source", "paragraph"]
    list_select_related = ["meeting", "source"]
    search_fields = ["meeting__title", "source__key", "source__title"]
    autocomplete_fields = ["meeting", "source"]
