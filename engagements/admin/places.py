from django.contrib import admin

from ..models import Country, CountryAlias, Grouping, Membership
from .base import CurationAdmin
from .forms import MembershipForm
from .marks import GroupingMarkInline
from .selected import TabularInline


class CountryAliasInline(TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
    model = CountryAlias
    extra = 0


@admin.register(Country)
class CountryAdmin(CurationAdmin):
    list_display = ["name", "iso2", "iso3", "official_name", "wikidata"]
    search_fields = ["name", "official_name", "iso2", "iso3", "wikidata", "aliases__name"]
    autocomplete_exact = ("iso2", "iso3", "name", "official_name", "aliases__name")
    autocomplete_prefix = ("name", "official_name", "aliases__name")
    inlines = [CountryAliasInline]


@admin.register(CountryAlias)
class CountryAliasAdmin(CurationAdmin):
    list_display = ["name", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "country__name"]
    autocomplete_fields = ["country"]


class MembershipInline(TabularInline):
    """The grouping's members, each with when it joined and left (reference data)."""

    show_change_link = True  # its own page, with its own History (undo)
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["country"]
    fields = ["country", "joined", "left", "note"]
    verbose_name_plural = "members (with when each joined and left)"


@admin.register(Grouping)
class GroupingAdmin(CurationAdmin):
    list_display = ["short_name", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_exact = ("short_name", "name", "slug")
    autocomplete_prefix = ("short_name", "name")
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline, GroupingMarkInline]


@admin.register(Membership)
class MembershipAdmin(CurationAdmin):
    form = MembershipForm
    list_display = ["grouping", "country", "joined_on", "left_on"]
    list_select_related = ["grouping", "country"]
    list_filter = ["grouping"]
    search_fields = ["country__name", "country__iso2", "grouping__short_name"]
    autocomplete_fields = ["grouping", "country"]
    fields = ["grouping", "country", "joined", "left", "note"]
