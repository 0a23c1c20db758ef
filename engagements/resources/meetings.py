"""CSV columns of meetings and of who took part in them."""

from __future__ import annotations

from collections import defaultdict

from ..columns.meetings import MEETING, PARTICIPATION
from ..models import Tenure
from .bulk import BulkResource
from .widgets import chunked


class MeetingResource(BulkResource):
    """Meetings. Countries, groupings, mechanisms and parents are looked up once per import."""

    record = MEETING
    self_references = ("parent",)
    slug_from = ("title", "dates")


class ParticipationResource(BulkResource):
    record = PARTICIPATION

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
