from django.contrib import admin

from ..models import Country, CountryAlias, Grouping
from .base import CurationAdmin
from .marks import GroupingMarkInline


class CountryAliasInline(admin.TabularInline):
    show_change_link = True  # its own page, with its own History (undo)
    model = CountryAlias
    extra = 0


@admin.register(Country)
class CountryAdmin(CurationAdmin):
    list_display = ["name", "iso2", "iso3", "official_name"]
    search_fields = ["name", "official_name", "iso2", "iso3", "aliases__name"]
    autocomplete_exact = ("iso2", "iso3", "name", "official_name", "aliases__name")
    autocomplete_prefix = ("name", "official_name", "aliases__name")
    inlines = [CountryAliasInline]


@admin.register(CountryAlias)
class CountryAliasAdmin(CurationAdmin):
    list_display = ["name", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "country__name"]
    autocomplete_fields = ["country"]


@admin.register(Grouping)
class GroupingAdmin(CurationAdmin):
    list_display = ["short_name", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    autocomplete_exact = ("short_name", "name", "slug")
    autocomplete_prefix = ("short_name", "name")
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["members"]
    inlines = [GroupingMarkInline]
