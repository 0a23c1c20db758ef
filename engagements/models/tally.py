"""Meeting counts kept by the database: the facets and counts of a big meetings list read
them instead of scanning the meetings (``engagements/tally.py`` keeps and checks them)."""

from __future__ import annotations

from django.db import models


def country_key() -> models.ForeignKey:
    """A country by id, 0 for none: no constraint, no index of its own (the key's serve)."""
    return models.ForeignKey(
        "engagements.Country",
        models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class MeetingTally(models.Model):
    """How many meetings have one year, kind and status, and (``country``) a partner.

    ``country`` 0 with ``partner`` 0: all meetings; ``country`` c with ``partner`` 0: the
    meetings linked to c; ``partner`` p too: those linked to both c and p (the country facet
    once c is chosen). ``year`` 0: undated. The 0s are no country, so the keys are plain
    columns, not constrained foreign keys (a unique key with NULLs would not be one on SQLite,
    and the database triggers add to a row by that key). Rows whose count fell to 0 stay.
    """

    country = country_key()
    partner = country_key()
    year = models.SmallIntegerField()
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "country", "year", "kind", "status"],
                name="meeting_tally_key",
            )
        ]
        indexes = [models.Index(fields=["country", "year"], name="meeting_tally_country")]

    def __str__(self) -> str:
        return (
            f"{self.country_id}/{self.partner_id} {self.year} {self.kind} {self.status}: {self.n}"
        )
