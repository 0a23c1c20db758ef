import re
from collections import defaultdict

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q

from ..models import AgreementMeeting, Country, Meeting, MeetingCitation, Official, Participation
from ..search import CONFIG, matching, search
from .base import (
    CitationInline,
    CurationAdmin,
    HasSourceFilter,
    InUseListFilter,
    officials_named,
    year_filter,
)
from .citations import cited_text
from .forms import MeetingForm
from .marks import MeetingMarkInline
from .outcomes import MeetingOutcomeInline


class ParticipationForm(forms.ModelForm):
    """A participant, with each of its posts checked against the official's tenures.

    The posts are a many-to-many, set only after the row is saved, so ``Model.clean`` never
    sees them: the form checks them once the row's other values are on the instance (the
    meeting too, on the add page, where the inline formset sets the unsaved meeting).
    """

    class Meta:
        model = Participation
        fields = ["meeting", "official", "description", "country", "role", "posts", "note"]

    def _post_clean(self):
        super()._post_clean()
        posts = self.cleaned_data.get("posts")
        if posts and not self.has_error("official"):
            for problem in self.instance.post_problems(posts):
                self.add_error("posts", problem)


class ParticipationFormSet(forms.BaseInlineFormSet):
    """The participants of one meeting: an official, or a description, once each.

    The database's unique rules are conditional (an official when named, a description when
    not), which the formset's own check of rows against each other leaves out.
    """

    def clean(self):
        super().clean()
        seen: dict[tuple, int] = {}
        for number, form in enumerate(self.forms, 1):
            data = getattr(form, "cleaned_data", None)  # empty for an unchanged extra row
            if not data or data.get("DELETE"):
                continue
            official, description = data.get("official"), (data.get("description") or "").strip()
            if not official and not description:
                continue  # the row's own error says so
            key = ("official", official.pk) if official else ("description", description.lower())
            if key in seen:
                form.add_error(key[0], f"The same participant as row {seen[key]}.")
            else:
                seen[key] = number


class ParticipationInline(admin.TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
    model = Participation
    form = ParticipationForm
    formset = ParticipationFormSet
    extra = 3
    autocomplete_fields = ["official", "posts", "country"]
    fields = ["official", "description", "country", "role", "posts", "note"]
    verbose_name_plural = "participants"


class AgreementMeetingInline(admin.TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
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


class MeetingChangeList(ChangeList):
    """The change list, with the country codes of the page's meetings read in one query.

    As codes (``values_list``), not prefetched countries: a model instance per link (~200 a
    page) cost more than the rest of the column.
    """

    def get_results(self, request):
        super().get_results(request)
        meetings = list(self.result_list)  # the page, read now (kept by the queryset)
        if not meetings:
            return
        codes = defaultdict(list)
        links = Meeting.countries.through.objects.filter(meeting_id__in=[m.pk for m in meetings])
        for meeting_id, iso2 in links.values_list("meeting_id", "country__iso2"):
            codes[meeting_id].append(iso2)
        for meeting in meetings:
            meeting.country_codes = sorted(codes[meeting.pk])


@admin.register(Meeting)
class MeetingAdmin(CurationAdmin):
    form = MeetingForm
    list_display = ["title", "when", "kind", "status", "country", "countries_list", "grouping"]
    list_select_related = ["country", "grouping"]
    list_filter = [
        "kind",
        "status",
        year_filter("start_date"),
        ("countries", InUseListFilter),
        ("grouping", InUseListFilter),
        HasSourceFilter,
    ]
    search_fields = ["title", "summary", "slug"]  # see get_search_results
    search_countries = ("countries",)
    # Newest first, undated last: read straight off an index (migration 0004), where the
    # model's default order (date, then title) made PostgreSQL sort every meeting. No
    # date_hierarchy: the year filter does its job without a DISTINCT over every meeting.
    ordering = [F("start_date").desc(nulls_last=True), "-pk"]
    autocomplete_fields = [
        "country",
        "host",
        "countries",
        "grouping",
        "mechanism",
        "parent",
        "topics",
    ]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "status", "dates"]}),
        ("Where and who", {"fields": ["city", "country", "host", "countries"]}),
        ("Series", {"fields": ["grouping", "mechanism", "edition", "parent", "parent_relation"]}),
        (None, {"fields": ["summary", "topics"]}),
    ]
    inlines = [
        ParticipationInline,
        MeetingAgreementInline,
        MeetingOutcomeInline,
        MeetingCitationInline,
        MeetingMarkInline,
    ]

    def get_changelist(self, request, **kwargs):
        return MeetingChangeList

    @admin.display(description="dates", ordering="start_date")
    def when(self, obj):
        return obj.dates.humanize()

    @admin.display(description="countries taking part")
    def countries_list(self, obj):
        codes = obj.__dict__.get("country_codes")
        if codes is None:
            codes = sorted(c.iso2 for c in obj.countries.all())
        return ", ".join(codes)

    def get_search_results(self, request, queryset, search_term):
        """Words of the title or summary, the last one as a prefix, or the exact slug.

        On PostgreSQL a full-text query through the GIN index of title and summary (prefix
        matching on the last word, so the autocomplete finds “Sing” as one types); elsewhere
        the reading room's word-by-word search. Django's own search joined every meeting to
        its countries and aliases for substring matches: 30 s at a million meetings.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        words = re.findall(r"\w+", term)
        if connections[queryset.db].vendor == "postgresql" and words:
            *whole, last = words
            raw = " & ".join([*whole, f"{last}:*"])
            query = SearchQuery(raw, config=CONFIG, search_type="raw")
            found = matching(queryset, query)
        else:
            found = search(queryset, term)
        found = found | queryset.filter(slug=term)
        related = self.related_search(queryset, term)
        if related is not None:
            found = found | related
        return found, False

    def related_search(self, queryset, term: str):
        """Meetings with the country ``term`` names, or with an official it names taking part."""
        by_country = super().related_search(queryset, term)
        official_ids = officials_named(term)
        if not official_ids:
            return by_country
        attended = Participation.objects.filter(meeting=OuterRef("pk"), official__in=official_ids)
        by_official = queryset.filter(Exists(attended))
        return by_official if by_country is None else by_country | by_official


class OfficialCountryFilter(admin.SimpleListFilter):
    """Participants by their country: an official's, or a described participant's (listing
    the countries that have officials or described participants)."""

    title = "participant's country"
    parameter_name = "official_country"

    def lookups(self, request, model_admin):
        has_officials = Official.objects.filter(country=OuterRef("pk"))
        described = Participation.objects.filter(country=OuterRef("pk"))
        countries = Country.objects.filter(Exists(has_officials) | Exists(described))
        countries = countries.only("iso2", "name")
        return [(c.iso2, c.name) for c in countries]

    def queryset(self, request, queryset):
        if self.value():
            code = self.value()
            return queryset.filter(Q(official__country__iso2=code) | Q(country__iso2=code))
        return queryset


@admin.register(Participation)
class ParticipationAdmin(CurationAdmin):
    form = ParticipationForm
    list_display = ["who", "role", "meeting", "posts_list"]
    list_select_related = ["official", "meeting", "country"]
    list_filter = [
        "role",
        OfficialCountryFilter,
        year_filter("meeting__start_date", "meeting year", Meeting, "start_date"),
    ]
    search_fields = ["official__name", "official__aliases__name", "description", "meeting__title"]
    autocomplete_fields = ["meeting", "official", "posts", "country"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("posts")

    @admin.display(description="participant", ordering="official__name")
    def who(self, obj):
        return obj.official or obj.description

    @admin.display(description="posts")
    def posts_list(self, obj):
        return "; ".join(post.title for post in obj.posts.all())


@admin.register(MeetingCitation)
class MeetingCitationAdmin(CurationAdmin):
    list_display = ["meeting", "source", "paragraph"]
    list_select_related = ["meeting", "source"]
    list_filter = [("source", InUseListFilter)]
    search_fields = ["meeting__title", "source__key", "source__title"]
    autocomplete_fields = ["meeting", "source"]
    readonly_fields = [cited_text]  # the paragraph's first words, from the source's text
