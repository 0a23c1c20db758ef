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
    """Participants: a named official (``official``, with their ``posts``) or a described
    one (``description``, with its ``country``). A row is found by meeting, official and
    description; a file may leave out ``official`` or ``description`` (read as empty)."""

    record = PARTICIPATION
    #: Key columns a file may leave out: they are read as empty.
    optional_keys = ("official", "description")

    def required_columns(self) -> list[str]:
        return [c for c in super().required_columns() if c not in self.optional_keys]

    def before_import(self, dataset, **kwargs):
        """Add the key columns the file leaves out, empty; then load the tenures of the
        file's officials once: each row's posts are checked against them in Python
        (``Participation.post_problems``) rather than by a query per row."""
        for name in self.optional_keys:
            if name not in (dataset.headers or ()):
                dataset.append_col([""] * len(dataset), header=name)
        super().before_import(dataset, **kwargs)
        self.tenured = {o.pk for o in self.fields["official"].widget.memo.values()}
        self.tenures: dict[int, dict[int, list[Tenure]]] = defaultdict(lambda: defaultdict(list))
        for chunk in chunked(sorted(self.tenured)):
            for tenure in Tenure.objects.filter(official__in=chunk):
                self.tenures[tenure.official_id][tenure.post_id].append(tenure)

    def finish_instance(self, instance, row) -> dict[str, list[str]]:
        """The posts of the row, checked against the official's tenures at the meeting."""
        posts = self.run.current.links.get("posts")
        if posts is None:
            return {}
        if instance.official_id in self.tenured:
            instance.known_tenures = self.tenures.get(instance.official_id, {})
        problems = instance.post_problems(posts)
        return {"posts": problems} if problems else {}
