"""CSV columns of officials, their other names, posts and tenures (who held which post)."""

from __future__ import annotations

from import_export import fields

from ..forms import likely_duplicates
from ..models import Official, OfficialAlias, Post, Tenure
from .base import DefrelResource
from .bulk import BulkResource
from .fields import AliasesField, PartialDateColumn
from .widgets import CountryWidget, KeyWidget, OfficialWidget, YesNoWidget


class OfficialResource(DefrelResource):
    """Officials. A new official whose name is the name or an alias of one of the country's
    officials (or of a new row above it in the file) is refused as a possible duplicate, as
    in the admin's form, unless its ``allow_duplicate`` cell says ``yes`` (import-only)."""

    country = fields.Field("country", "country", widget=CountryWidget())
    aliases = AliasesField(OfficialAlias)
    allow_duplicate = fields.Field(
        column_name="allow_duplicate", widget=YesNoWidget(), readonly=True
    )
    alias_owner = "official"
    related = ("country",)
    prefetch = ("aliases",)
    import_only = ("allow_duplicate",)

    class Meta(DefrelResource.Meta):
        model = Official
        import_id_fields = ["slug"]
        fields = ["slug", "name", "honorific", "country", "aliases", "notes", "allow_duplicate"]

    def finish_instance(self, instance, row) -> dict[str, list[str]]:
        if instance.pk is None and instance.name and instance.country_id:
            problem = self.duplicate_problem(instance, row)
            if problem:
                return {problem[0]: [problem[1]]}
        return {}

    def duplicate_problem(self, instance, row) -> tuple[str, str] | None:
        """``(attribute, message)`` when a new official looks like one already known."""
        if "allow_duplicate" in row:
            try:
                if self.fields["allow_duplicate"].clean(row):
                    return None
            except ValueError as exc:
                return ("allow_duplicate", str(exc))
        # Rows above this one are already written in the import's transaction: a second new
        # row of the same name in the file is caught here too. The one use of the admin
        # form's test, so the two always agree.
        matches = likely_duplicates(instance.name, instance.country)
        if not matches:
            return None
        listed = "; ".join(f"{o.name} ({o.slug})" for o in matches)
        return (
            "name",
            f"Possible duplicate: {instance.country} already has an official with this name "
            f"or alias: {listed}. If this is a different person, write yes in the "
            "allow_duplicate column; otherwise use that official's slug, or add this spelling "
            "as an alias.",
        )


class OfficialAliasResource(BulkResource):
    """Another spelling of an official's name, one per row."""

    official = fields.Field("official", "official", widget=OfficialWidget())
    official_country = fields.Field(
        "official__country", "official_country", widget=CountryWidget(), readonly=True
    )
    related = ("official__country",)

    class Meta(BulkResource.Meta):
        model = OfficialAlias
        import_id_fields = ["official", "name"]
        fields = ["official", "official_country", "name"]


class PostResource(BulkResource):
    country = fields.Field("country", "country", widget=CountryWidget())
    related = ("country",)

    class Meta(BulkResource.Meta):
        model = Post
        import_id_fields = ["slug"]
        fields = ["slug", "title", "country", "organisation"]


class TenureResource(BulkResource):
    official = fields.Field("official", "official", widget=OfficialWidget())
    official_country = fields.Field(
        "official__country", "official_country", widget=CountryWidget(), readonly=True
    )
    post = fields.Field("post", "post", widget=KeyWidget(Post))
    start = PartialDateColumn("start_date", "start_precision", "start")
    start_exact = fields.Field("start_exact", "start_exact", widget=YesNoWidget())
    end = PartialDateColumn("end_date", "end_precision", "end")
    end_exact = fields.Field("end_exact", "end_exact", widget=YesNoWidget())
    related = ("official__country", "post")

    class Meta(BulkResource.Meta):
        model = Tenure
        import_id_fields = ["official", "post", "start"]
        fields = [
            "official",
            "official_country",
            "post",
            "start",
            "start_exact",
            "end",
            "end_exact",
        ]
