import re
from collections import defaultdict

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q
from django.utils.html import format_html

from .. import entry, tenures
from ..models import (
    Agreement,
    AgreementKind,
    AgreementMeeting,
    Country,
    Meeting,
    MeetingCitation,
    Official,
    Participation,
)
from ..search import CONFIG, matching, search
from .base import CitationInline, CurationAdmin, officials_named, shortened, shortened_column
from .citations import cited_text
from .forms import MeetingForm
from .listfilters import HasSourceFilter, InUseListFilter, year_filter
from .marks import MeetingMarkInline
from .outcomes import MeetingOutcomeInline
from .selected import TabularInline
from .workbook import WorkbookImportMixin


class OfferCheckbox(forms.CheckboxInput):
    """A tick box with its offer beside it: the row's own words, set by the form once it
    knows what the fix would do."""

    offer = "extend or create the tenure if none covers this meeting"

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html('<label class="vCheckboxLabel">{} {}</label>', box, self.offer)


#: The refusal of a tenure fix when nothing would cite it.
UNCITED_FIX = (
    "The tenure would be cited to the meeting's source, but the meeting cites none: add its "
    "source and paragraph under citations, then save."
)


class NewOfficialWidget(forms.MultiWidget):
    """The new official's name and post title, side by side in one cell."""

    def __init__(self, attrs=None):
        name = forms.TextInput(attrs={"placeholder": "name", "size": 16})
        post = forms.TextInput(attrs={"placeholder": "post title", "size": 16})
        super().__init__([name, post], attrs)

    def decompress(self, value):
        return list(value) if value else ["", ""]


class NewOfficialField(forms.MultiValueField):
    """A new official named in a participant row: (name, post title), both may be blank."""

    widget = NewOfficialWidget

    def __init__(self, **kwargs):
        parts = [
            forms.CharField(max_length=200, required=False),
            forms.CharField(max_length=200, required=False),
        ]
        super().__init__(parts, require_all_fields=False, required=False, **kwargs)

    def compress(self, values):
        values = list(values or ["", ""])
        return tuple((value or "").strip() for value in values)


class ParticipationForm(forms.ModelForm):
    """A participant, with each of its posts checked against the official's tenures.

    The posts are a many-to-many, set only after the row is saved, so ``Model.clean`` never
    sees them: the form checks them once the row's other values are on the instance (the
    meeting too, on the add page, where the inline formset sets the unsaved meeting).

    A post no tenure covers at the meeting's dates is refused, with the fix offered in the
    row: tick ``fix_tenure`` and the save extends the nearest tenure of that post to the
    meeting's dates, or creates one (``engagements.tenures``); the admin applies the planned
    ``tenure_fixes`` once the meeting and its citations are saved.
    """

    fix_tenure = forms.BooleanField(
        required=False,
        label="tenure",
        widget=OfferCheckbox,
        help_text="Tick when no tenure of the official covers the meeting in a post given: "
        "saving extends the tenure (or creates one) to the meeting's dates, cited to the "
        "meeting's source and recorded in the tenure's history.",
    )
    new_official = NewOfficialField(
        label="or a new official",
        help_text="When the official is not in defrel yet: the name and the post title the "
        "source gives, with the official's country under country. Saving adds the official, "
        "the post (unless the country has it) and a tenure of the meeting's dates, cited to "
        "the meeting's source.",
    )

    class Meta:
        model = Participation
        fields = ["meeting", "official", "description", "country", "role", "posts", "note"]
        help_texts = {
            "country": "A described participant's country, or a new official's.",
        }

    def clean(self):
        cleaned = super().clean()
        self.planned_official: entry.NewOfficial | None = None
        name, title = cleaned.get("new_official") or ("", "")
        if not (name or title):
            return cleaned
        country = cleaned.get("country")
        problems = {
            "new_official": [
                "Pick an official or name a new one, not both." if cleaned.get("official") else "",
                "" if name else "Give the new official's name as well as the post title.",
            ],
            "country": ["" if country else "Give the new official's country (the one they serve)."],
            "description": [
                "Describe a participant only when no official is named."
                if (cleaned.get("description") or "").strip()
                else ""
            ],
            "posts": [
                "A new official's post is the title typed beside the name: leave posts blank."
                if cleaned.get("posts")
                else ""
            ],
        }
        for field, messages in problems.items():
            for message in filter(None, messages):
                self.add_error(field, message)
        if self.errors:
            return cleaned
        user = getattr(self, "user", None)
        if user is not None and not all(
            user.has_perm(f"engagements.add_{model}") for model in ("official", "post", "tenure")
        ):
            self.add_error("new_official", "Your account may not add officials: ask a Reviewer.")
            return cleaned
        same = Official.objects.likely_duplicates(name, country)
        if same:
            found = "; ".join(f"{o.name} ({o.slug})" for o in same)
            self.add_error(
                "new_official",
                f"{country} already has an official named {name}: {found}. Pick them under "
                "official instead of adding them again.",
            )
            return cleaned
        self.planned_official = entry.NewOfficial(name, country, title)
        return cleaned

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if getattr(self, "planned_official", None):
            exclude.add("official")  # saved with the meeting, then set on the row
        return exclude

    def _post_clean(self):
        planned = getattr(self, "planned_official", None)
        if planned is not None:
            # The model's "an official or a description" rule is met by the official to be
            # created: the name stands in for the check, and the country is the official's.
            self.cleaned_data["description"] = planned.name
            try:
                super()._post_clean()
            finally:
                self.cleaned_data["description"] = ""
                self.instance.description, self.instance.country = "", None
            self.tenure_fixes = []
            return
        super()._post_clean()
        self.tenure_fixes: list[tenures.TenureFix] = []
        posts = self.cleaned_data.get("posts")
        if not posts or self.has_error("official"):
            return
        participation = self.instance
        problems = participation.post_country_problems(posts)
        for problem in problems:
            self.add_error("posts", problem)
        uncovered = [] if problems else participation.uncovered_posts(posts)
        if not uncovered:
            return
        official, meeting = participation.official, participation.meeting
        fixes = [tenures.plan(official, post, meeting) for post in uncovered]
        offers = {fix.offer for fix in fixes}
        widget = self.fields["fix_tenure"].widget
        widget.offer = offers.pop() if len(offers) == 1 else "extend or create the tenures"
        if not self.cleaned_data.get("fix_tenure"):
            for fix in fixes:
                self.add_error(
                    "posts",
                    f"No tenure of {official} as {fix.post.title} covers {meeting.dates}: "
                    f"tick “{fix.offer}” and save again, and {fix.describe()}, cited to the "
                    "meeting's source (or add the tenure on the official's page).",
                )
            return
        failed = False
        for fix in fixes:
            problem = fix.problem()
            if problem:
                failed = True
                self.add_error(
                    "fix_tenure", f"The tenure as {fix.post.title} cannot be saved: {problem}"
                )
        if not failed:
            self.tenure_fixes = fixes


class StandaloneParticipationForm(ParticipationForm):
    """A participant on its own page: the meeting's citations are those already saved (a
    new official is named on the meeting's page)."""

    new_official = None

    def _post_clean(self):
        super()._post_clean()
        meeting = self.instance.meeting if self.instance.meeting_id else None
        if self.tenure_fixes and not (meeting and meeting.citations.exists()):
            self.add_error("fix_tenure", UNCITED_FIX)
            self.tenure_fixes = []


def create_new_officials(request, formset) -> None:
    """Save the officials (and posts) the rows name in place, before the rows themselves;
    each post's tenure is planned as a tenure fix, applied after the meeting's citations."""
    meeting = formset.instance
    for form in formset.forms_to_save():
        planned = getattr(form, "planned_official", None)
        if planned is None:
            continue
        official, post = planned.create(meeting, request.user)
        form.instance.official = official
        if post is not None:
            form.cleaned_data["posts"] = [post]
            form.tenure_fixes = [tenures.plan(official, post, meeting)]


def apply_tenure_fixes(request, forms_to_save, message_user) -> None:
    """Save the tenure fixes the participant rows planned (after the meeting's citations)."""
    for form in forms_to_save:
        for fix in getattr(form, "tenure_fixes", ()):
            verb = "created" if fix.creates else "extended"
            tenure = fix.apply(request.user)
            message_user(request, f"Tenure {verb}: {tenure}, cited to the meeting's source.")


class ParticipationFormSet(forms.BaseInlineFormSet):
    """The participants of one meeting: an official, or a description, once each.

    The database's unique rules are conditional (an official when named, a description when
    not), which the formset's own check of rows against each other leaves out. A tenure fix
    needs a citation of the meeting to cite: the citations are a sibling formset on the same
    page (``siblings``, set by ``MeetingAdmin``).
    """

    siblings: list = []

    def clean(self):
        super().clean()
        seen: dict[tuple, int] = {}
        for number, form in enumerate(self.forms, 1):
            data = getattr(form, "cleaned_data", None)  # empty for an unchanged extra row
            if not data or data.get("DELETE"):
                continue
            official, description = data.get("official"), (data.get("description") or "").strip()
            planned = getattr(form, "planned_official", None)
            if planned is not None:
                key = ("new_official", planned.name.lower(), planned.country.pk)
            elif not official and not description:
                continue  # the row's own error says so
            else:
                key = (
                    ("official", official.pk) if official else ("description", description.lower())
                )
            if key in seen:
                form.add_error(key[0], f"The same participant as row {seen[key]}.")
            else:
                seen[key] = number
        fixing = [
            form
            for form in self.forms
            if getattr(form, "tenure_fixes", None) and not form.cleaned_data.get("DELETE")
        ]
        if fixing and not self.meeting_will_be_cited():
            for form in fixing:
                form.add_error("fix_tenure", UNCITED_FIX)
                form.tenure_fixes = []

    def meeting_will_be_cited(self) -> bool:
        """Whether the meeting has a citation once this page is saved."""
        citations = next((f for f in self.siblings if f.model is MeetingCitation), None)
        if citations is None:
            return bool(self.instance.pk) and self.instance.citations.exists()
        if not citations.is_valid():
            return True  # the page is refused anyway; the citations' own errors say why
        return any(
            form.cleaned_data and not form.cleaned_data.get("DELETE") for form in citations.forms
        )

    def forms_to_save(self) -> list:
        return [form for form in self.forms if form not in self.deleted_forms]


class ParticipationInline(TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
    model = Participation
    form = ParticipationForm
    formset = ParticipationFormSet
    extra = 3
    autocomplete_fields = ["official", "posts", "country"]
    fields = [
        "official",
        "new_official",
        "description",
        "country",
        "role",
        "posts",
        "note",
        "fix_tenure",
    ]
    verbose_name_plural = "participants"

    class Media:
        js = ["engagements/new_official.js"]


class AgreementMeetingInline(TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
    model = AgreementMeeting
    extra = 0
    autocomplete_fields = ["agreement", "meeting"]


class AgreementLinkForm(forms.ModelForm):
    """An agreement at this meeting: an existing one picked, or a new one named in place
    (title and kind), created with the meeting (``engagements.entry``)."""

    new_title = forms.CharField(
        label="or a new agreement",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "title", "size": 28}),
        help_text="When the agreement is not in defrel yet: its title. Saving adds it with "
        "the meeting's countries as parties, its step (signed, exchanged, approved) on the "
        "meeting's date, cited to the meeting's citations.",
    )
    new_kind = forms.ChoiceField(
        label="its kind", required=False, choices=[("", "---------"), *AgreementKind.choices]
    )

    class Meta:
        model = AgreementMeeting
        fields = ["agreement", "meeting", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agreement" in self.fields:
            self.fields["agreement"].required = False  # or a new one: see clean()

    def clean(self):
        cleaned = super().clean()
        self.planned_agreement: entry.NewAgreement | None = None
        title, kind = (cleaned.get("new_title") or "").strip(), cleaned.get("new_kind")
        if not (title or kind):
            if cleaned.get("agreement") is None and "agreement" not in self.errors:
                self.add_error("agreement", "Pick the agreement, or give a new one's title.")
            return cleaned
        if cleaned.get("agreement") is not None:
            self.add_error("new_title", "Pick an agreement or name a new one, not both.")
        if not title:
            self.add_error("new_title", "Give the new agreement's title as well as its kind.")
        if not kind:
            self.add_error("new_kind", "Give the new agreement's kind.")
        if self.errors:
            return cleaned
        user = getattr(self, "user", None)
        if user is not None and not user.has_perm("engagements.add_agreement"):
            self.add_error("new_title", "Your account may not add agreements: ask a Reviewer.")
            return cleaned
        same = Agreement.objects.filter(Q(title__iexact=title) | Q(aliases__name__iexact=title))
        found = "; ".join(f"{a} ({a.slug})" for a in same.distinct()[:5])
        if found:
            self.add_error(
                "new_title",
                f"An agreement of this title is in defrel already: {found}. Pick it under "
                "agreement instead of adding it again.",
            )
            return cleaned
        self.planned_agreement = entry.NewAgreement(title, kind)
        return cleaned

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if getattr(self, "planned_agreement", None):
            exclude.add("agreement")  # saved with the meeting, then set on the row
        return exclude


class AgreementLinkFormSet(forms.BaseInlineFormSet):
    """The agreements of one meeting; new ones are created as the rows are saved."""

    def clean(self):
        super().clean()
        seen: dict[str, int] = {}
        for number, form in enumerate(self.forms, 1):
            planned = getattr(form, "planned_agreement", None)
            if planned is None or form.cleaned_data.get("DELETE"):
                continue
            key = planned.title.lower()
            if key in seen:
                form.add_error("new_title", f"The same new agreement as row {seen[key]}.")
            else:
                seen[key] = number

    def forms_to_save(self) -> list:
        return [form for form in self.forms if form not in self.deleted_forms]


class MeetingAgreementInline(AgreementMeetingInline):
    """Agreements signed, exchanged or discussed at this meeting."""

    form = AgreementLinkForm
    formset = AgreementLinkFormSet
    fields = ["agreement", "new_title", "new_kind", "role"]
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
class MeetingAdmin(WorkbookImportMixin, CurationAdmin):
    form = MeetingForm
    list_display = [
        shortened_column("title"),
        "when",
        "kind",
        "status",
        "country",
        "countries_list",
        "grouping",
    ]
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
    autocomplete_exact = ("title", "slug")  # its label (str) carries its dates
    autocomplete_prefix = ("title",)
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

    def _create_formsets(self, request, obj, change):
        # The participants' tenure fixes look at the citations entered on the same page.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        for formset in formsets:
            formset.siblings = formsets
            for row in formset.forms:
                row.user = request.user  # rows that add records check the user may add them
        return formsets, inline_instances

    def save_formset(self, request, form, formset, change):
        # Officials and agreements named in place are saved first: the rows point at them.
        if isinstance(formset, ParticipationFormSet):
            create_new_officials(request, formset)
        if isinstance(formset, AgreementLinkFormSet):
            for row in formset.forms_to_save():
                planned = getattr(row, "planned_agreement", None)
                if planned is not None:
                    row.instance.agreement = planned.create(formset.instance, request.user)
                    row.created_agreement = row.instance.agreement
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        for formset in formsets:
            if isinstance(formset, ParticipationFormSet):
                for row in formset.forms_to_save():
                    if getattr(row, "planned_official", None) is not None:
                        self.message_user(request, f"Official added: {row.instance.official}.")
                apply_tenure_fixes(request, formset.forms_to_save(), self.message_user)
            if isinstance(formset, AgreementLinkFormSet):
                for row in formset.forms_to_save():
                    agreement = getattr(row, "created_agreement", None)
                    if agreement is not None:
                        role = row.instance.role
                        entry.complete_agreement(agreement, meeting, role, request.user)
                        self.message_user(
                            request, f"Agreement added: {agreement}, cited to the meeting's source."
                        )

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
    form = StandaloneParticipationForm
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        apply_tenure_fixes(request, [form], self.message_user)

    @admin.display(description="participant", ordering="official__name")
    def who(self, obj):
        return shortened(obj.official or obj.description)

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
