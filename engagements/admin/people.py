from django.contrib import admin
from django.db.models import F, OuterRef, Subquery

from ..models import Official, OfficialAlias, Post, PostAlias, Tenure, TenureCitation
from .aliases import AliasFormSet, AliasInline
from .base import CitationInline, CurationAdmin
from .citations import CitingForm, cited_text
from .forms import OfficialForm, TenureForm
from .listfilters import HasSourceFilter, InUseListFilter, year_filter
from .marks import OfficialMarkInline, PostMarkInline
from .selected import TabularInline


class OfficialAliasInline(TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
    model = OfficialAlias
    formset = AliasFormSet  # one name once, whatever its case (not a server error)
    extra = 0


class CitedTenureForm(CitingForm, TenureForm):
    """A tenure entered on its official's page, with the paragraphs that give it."""


class TenureInline(TabularInline):
    """Posts held, entered on the official's page (a new one with its source paragraphs;
    more citations on the tenure's own page)."""

    show_change_link = True  # its own page, with its own History (undo)
    model = Tenure
    form = CitedTenureForm
    extra = 0
    autocomplete_fields = ["post"]
    fields = ["post", "start", "start_exact", "end", "end_exact", "cite_source", "cite_paragraphs"]
    verbose_name_plural = "posts held (tenures)"


@admin.register(Official)
class OfficialAdmin(CurationAdmin):
    form = OfficialForm
    list_display = ["name", "honorific", "country"]
    list_select_related = ["country"]
    list_filter = [("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "aliases__name", "country__name", "country__iso2"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "honorific", "country", "slug", "notes", "save_anyway"]
    inlines = [OfficialAliasInline, TenureInline, OfficialMarkInline]
    autocomplete_exact = ("name", "aliases__name", "slug")
    autocomplete_prefix = ("name", "aliases__name")
    autocomplete_select_related = ("country",)

    def autocomplete_queryset(self, queryset):
        """With the title of the post of the official's latest tenure (a subquery, not a
        query per result)."""
        latest = Tenure.objects.filter(official=OuterRef("pk")).order_by(
            F("start_date").desc(nulls_last=True), "-id"
        )
        return (
            super()
            .autocomplete_queryset(queryset)
            .annotate(current_post=Subquery(latest.values("post__title")[:1]))
        )

    def autocomplete_label(self, obj) -> str:
        """“Rajnath Singh (IN, Minister of Defence)”: two officials of one name differ by
        country and post in the search box."""
        post = getattr(obj, "current_post", None)
        return (
            f"{obj.name} ({obj.country.iso2}, {post})"
            if post
            else f"{obj.name} ({obj.country.iso2})"
        )


@admin.register(OfficialAlias)
class OfficialAliasAdmin(CurationAdmin):
    list_display = ["name", "official"]
    list_select_related = ["official"]
    search_fields = ["name", "official__name"]
    autocomplete_fields = ["official"]


class PostAliasInline(AliasInline):
    model = PostAlias
    verbose_name_plural = "other titles (aliases)"


@admin.register(Post)
class PostAdmin(CurationAdmin):
    list_display = ["title", "country", "organisation"]
    list_select_related = ["country"]
    list_filter = [("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        "title",
        "slug",
        "organisation",
        "aliases__name",
        "country__name",
        "country__iso2",
    ]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_exact = ("title", "aliases__name", "slug")
    autocomplete_prefix = ("title", "aliases__name")
    autocomplete_select_related = ("country",)  # its label: “Minister of Defence, India”
    inlines = [PostAliasInline, PostMarkInline]


@admin.register(PostAlias)
class PostAliasAdmin(CurationAdmin):
    list_display = ["name", "post", "source", "paragraph"]
    list_select_related = ["post__country", "source"]
    search_fields = ["name", "post__title"]
    autocomplete_fields = ["post", "source"]


class TenureCitationInline(CitationInline):
    model = TenureCitation


@admin.register(Tenure)
class TenureAdmin(CurationAdmin):
    form = TenureForm
    list_display = ["official", "post", "period"]
    list_select_related = ["official", "post__country"]
    list_filter = [year_filter("start_date", "start year"), HasSourceFilter]
    search_fields = ["official__name", "official__aliases__name", "post__title"]
    autocomplete_fields = ["official", "post"]
    fields = ["official", "post", "start", "start_exact", "end", "end_exact"]
    inlines = [TenureCitationInline]
    autocomplete_exact = ("official__name", "post__title")
    autocomplete_prefix = ("official__name", "post__title")
    autocomplete_select_related = ("official", "post")


@admin.register(TenureCitation)
class TenureCitationAdmin(CurationAdmin):
    list_display = ["tenure", "source", "paragraph"]
    list_select_related = ["tenure__official", "tenure__post__country", "source"]
    list_filter = [("source", InUseListFilter)]
    search_fields = ["tenure__official__name", "source__key", "source__title"]
    autocomplete_fields = ["tenure", "source"]
    readonly_fields = [cited_text]  # the paragraph's first words, from the source's text
