"""CSV columns of countries, their other names and groupings of countries."""

from __future__ import annotations

from import_export import fields

from ..models import Country, CountryAlias, Grouping
from .base import DefrelResource
from .bulk import BulkResource
from .fields import AliasesField
from .widgets import CountryListWidget, CountryWidget, TextWidget


class CountryResource(DefrelResource):
    iso2 = fields.Field("iso2", "iso2", widget=TextWidget())
    aliases = AliasesField(CountryAlias)
    alias_owner = "country"
    prefetch = ("aliases",)

    class Meta(DefrelResource.Meta):
        model = Country
        import_id_fields = ["iso2"]
        fields = ["iso2", "iso3", "name", "official_name", "aliases"]


class CountryAliasResource(BulkResource):
    """Another name of a country, one per row (the ``aliases`` cell of countries holds all)."""

    country = fields.Field("country", "country", widget=CountryWidget())
    related = ("country",)

    class Meta(BulkResource.Meta):
        model = CountryAlias
        import_id_fields = ["name"]
        fields = ["name", "country"]


class GroupingResource(BulkResource):
    members = fields.Field("members", "members", widget=CountryListWidget())
    prefetch = ("members",)

    class Meta(BulkResource.Meta):
        model = Grouping
        import_id_fields = ["slug"]
        fields = ["slug", "name", "short_name", "kind", "members", "description"]
