"""Every meeting, agreement, initiative, outcome and tenure cites a source: which records
must, and which of them cite none.

One rule for the places that enforce it: a CSV import refuses a new record without a
``citations`` cell (unless its citations file follows), a workbook a new record its sheets
leave uncited, and the audit lists every record left uncited. (The admin's forms require a
citation row, ``admin.citations``.)
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from .models import Agreement, Initiative, Meeting, Outcome, Tenure

#: The records that must cite a source (their citation table's reverse name is ``citations``).
CITED = (Meeting, Agreement, Initiative, Outcome, Tenure)


def must_cite(model) -> bool:
    return model in CITED


def citation_model(model):
    """The table of ``model``'s citations (``Meeting`` → ``MeetingCitation``)."""
    return model._meta.get_field("citations").related_model


def uncited(queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` (of a model in ``CITED``) that no citation cites."""
    citation = citation_model(queryset.model)
    cited = citation.objects.filter(**{citation.record_field: OuterRef("pk")})
    return queryset.filter(~Exists(cited))


def uncited_new(model, key: str, fix: str) -> str:
    """Why a new record ``key`` of ``model`` is refused, and ``fix``: how to cite it."""
    noun = model._meta.verbose_name
    return f"This new {noun} {key} cites no source: {fix} (every {noun} must cite a source)."
