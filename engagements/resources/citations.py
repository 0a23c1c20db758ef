"""CSV columns of citations: which paragraph of which source backs a meeting, an agreement,
an initiative or a tenure."""

from __future__ import annotations

from import_export import fields

from ..models import (
    Agreement,
    AgreementCitation,
    Initiative,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    Post,
    Source,
    Tenure,
    TenureCitation,
)
from .base import DefrelResource
from .bulk import BulkResource
from .widgets import CountryWidget, IntWidget, KeyWidget, OfficialWidget, PartialDateWidget


def citation_resource(citation_model, record_model, record_field: str, record_key: str):
    """A resource for one kind of citation: record key, source key, paragraph, note."""

    class Meta(BulkResource.Meta):
        model = citation_model
        import_id_fields = [record_field, "source", "paragraph"]
        fields = [record_field, "source", "paragraph", "note"]

    attrs = {
        "Meta": Meta,
        "__module__": __name__,
        "__doc__": f"Citations of {record_model._meta.verbose_name_plural}.",
        record_field: fields.Field(
            record_field, record_field, widget=KeyWidget(record_model, field=record_key)
        ),
        "source": fields.Field("source", "source", widget=KeyWidget(Source, field="key")),
        "paragraph": fields.Field("paragraph", "paragraph", widget=IntWidget()),
        "related": (record_field, "source"),
    }
    name = f"{citation_model.__name__}Resource"
    return type(name, (BulkResource,), attrs)


MeetingCitationResource = citation_resource(MeetingCitation, Meeting, "meeting", "slug")
AgreementCitationResource = citation_resource(AgreementCitation, Agreement, "agreement", "slug")
InitiativeCitationResource = citation_resource(InitiativeCitation, Initiative, "initiative", "slug")


class TenureCitationResource(DefrelResource):
    """Citations of tenures; the tenure is named by official, post and start."""

    official = fields.Field("tenure__official", "official", widget=OfficialWidget(), readonly=True)
    official_country = fields.Field(
        "tenure__official__country", "official_country", widget=CountryWidget(), readonly=True
    )
    post = fields.Field("tenure__post", "post", widget=KeyWidget(Post), readonly=True)
    start = fields.Field("tenure__start_date", "start", widget=PartialDateWidget(), readonly=True)
    source = fields.Field("source", "source", widget=KeyWidget(Source, field="key"))
    paragraph = fields.Field("paragraph", "paragraph", widget=IntWidget())
    related = ("tenure__official__country", "tenure__post", "source")

    class Meta(DefrelResource.Meta):
        model = TenureCitation
        import_id_fields = ["official", "post", "start", "source", "paragraph"]
        fields = ["official", "official_country", "post", "start", "source", "paragraph", "note"]

    def dehydrate_start(self, citation) -> str:
        return citation.tenure.start.isoformat()

    def finish_instance(self, instance, row) -> dict[str, list[str]]:
        if instance.tenure_id is not None:
            return {}
        try:
            lookup = {name: self.fields[name].clean(row) for name in ("official", "post", "start")}
            instance.tenure = Tenure.objects.get(
                official=lookup["official"], post=lookup["post"], start_date=lookup["start"]
            )
        except ValueError as exc:
            return {"tenure": [str(exc)]}
        except Tenure.DoesNotExist:
            return {"tenure": ["No tenure of this official in this post starts on this date."]}
        return {}
