"""CSV columns of meetings and of who took part in them."""

from __future__ import annotations

from collections import defaultdict

from import_export import fields

from ..models import Grouping, Initiative, Meeting, Participation, Post, Tenure
from .bulk import BulkResource
from .fields import DateSpanColumn
from .widgets import (
    CountryListWidget,
    CountryWidget,
    IntWidget,
    KeyWidget,
    OfficialWidget,
    chunked,
)


class MeetingResource(BulkResource):
    """Meetings. Countries, groupings, mechanisms and parents are looked up once per import."""

    self_references = ("parent",)

    dates = DateSpanColumn("start_date", "end_date", "date_precision", "dates")
    country = fields.Field("country", "country", widget=CountryWidget())
    host = fields.Field("host", "host", widget=CountryWidget())
    countries = fields.Field("countries", "countries", widget=CountryListWidget())
    grouping = fields.Field("grouping", "grouping", widget=KeyWidget(Grouping))
    mechanism = fields.Field("mechanism", "mechanism", widget=KeyWidget(Initiative))
    edition = fields.Field("edition", "edition", widget=IntWidget())
    parent = fields.Field("parent", "parent", widget=KeyWidget(Meeting))
    slug_from = ("title", "dates")
    related = ("country", "host", "grouping", "mechanism", "parent")
    prefetch = ("countries",)

    class Meta(BulkResource.Meta):
        model = Meeting
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "dates",
            "city",
            "country",
            "host",
            "countries",
            "grouping",
            "mechanism",
            "edition",
            "parent",
            "summary",
        ]


class ParticipationResource(BulkResource):
    meeting = fields.Field("meeting", "meeting", widget=KeyWidget(Meeting))
    official = fields.Field("official", "official", widget=OfficialWidget())
    official_country = fields.Field(
        "official__country", "official_country", widget=CountryWidget(), readonly=True
    )
    post = fields.Field("post", "post", widget=KeyWidget(Post))
    related = ("meeting", "official__country", "post")

    class Meta(BulkResource.Meta):
        model = Participation
        import_id_fields = ["meeting", "official"]
        fields = ["meeting", "official", "official_country", "post", "role", "note"]

    def before_import(self, dataset, **kwargs):
        """Load the tenures of the file's officials once: each row's post is checked against
        them in Python (``Participation.clean``) rather than by a query per row."""
        super().before_import(dataset, **kwargs)
        self.tenured = {o.pk for o in self.fields["official"].widget.memo.values()}
        self.tenures: dict[tuple[int, int], list[Tenure]] = defaultdict(list)
        for chunk in chunked(sorted(self.tenured)):
            for tenure in Tenure.objects.filter(official__in=chunk):
                self.tenures[tenure.official_id, tenure.post_id].append(tenure)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.official_id in self.tenured:
            instance.known_tenures = self.tenures.get((instance.official_id, instance.post_id), [])
