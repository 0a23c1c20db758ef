"""CSV columns of officials, their other names, posts and tenures (who held which post)."""

from __future__ import annotations

from ..columns.people import OFFICIAL_ALIAS, OFFICIAL_RECORD, POST, POST_ALIAS, TENURE
from ..models import Official
from .base import DefrelResource
from .bulk import BulkResource


class OfficialResource(DefrelResource):
    """Officials. A new official whose name is the name or an alias of one of the country's
    officials (or of a new row above it in the file) is refused as a possible duplicate, as
    in the admin's form, unless its ``allow_duplicate`` cell says ``yes`` (import-only)."""

    record = OFFICIAL_RECORD

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
        matches = Official.objects.likely_duplicates(instance.name, instance.country)
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

    record = OFFICIAL_ALIAS


class PostResource(BulkResource):
    record = POST


class PostAliasResource(BulkResource):
    """Another title of a post, one per row, with the paragraph that uses it."""

    record = POST_ALIAS


class TenureResource(BulkResource):
    record = TENURE
