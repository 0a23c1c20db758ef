"""CSV columns for every model: the one place they are defined (django-import-export 4.x).

The admin's import/export, the ``import_csv``/``export_csv`` commands and the researcher
pages' CSV/JSON exports all use these resources, so a column means the same everywhere.

- ``files``: reading and writing the files (``read_csv``, ``DefrelCSV``, formula escaping);
- ``widgets`` and ``fields``: how cells become values;
- ``base``: what every resource does (``DefrelResource``); ``rows``: what an import knows
  of each row and of the file; ``constraints``: the database's refusals in words;
- ``bulk``: resources that import in batches (``BulkResource``), writing through ``writes``;
- one module per part of the model: ``places``, ``people``, ``meetings``, ``agreements``,
  ``initiatives``, ``outcomes``, ``sources``, ``citations``, ``marks``.

Columns are for people, not databases:

- records by natural key (slug; a country by ISO code, name or alias; a source by key; an
  official by slug, name or alias, with ``official_country`` where names clash);
- many-to-many as one cell, values separated by ``;`` (``IN; SG``);
- dates with their precision, in EDTF: ``2024``, ``2024-11``, ``2024-11-21``, a span
  ``2019-09-02/2019-09-06``, an open end ``2023-07-10/..``, a day within a span
  ``[2019-09-02..2019-09-06]``, empty when unknown;
- booleans as ``yes``/``no``;
- a meeting's (agreement's, initiative's, outcome's, tenure's) sources in one import-only
  ``citations`` cell, ``KEY ¶ 2, 17–26; OTHER ¶ 4``, written with the row: a new one must
  cite a source unless ``import_data(citations_follow=True)`` (its citations file follows).

Imports are all-or-nothing: any invalid row (or a wrong header) and nothing is written.
Rows whose values equal the database come back as unchanged (``skip_unchanged``), so
re-importing an export changes nothing, and importing the same new rows twice creates them
once (natural keys are the ``import_id_fields``).

Streaming exports: ``Resource.export_queryset(qs)`` adds the ``select_related`` /
``prefetch_related`` a resource needs, then ``resource.get_export_headers()`` once and
``resource.export_resource(obj)`` per row (raw values, right for JSON) or
``resource.export_csv_row(obj)`` (spreadsheet formulae escaped, right for CSV).
"""

from __future__ import annotations

from django.db import models

from .agreements import (
    AgreementAliasResource,
    AgreementMeetingResource,
    AgreementRelationResource,
    AgreementResource,
    AgreementStatusChangeResource,
)
from .base import DefrelResource
from .citations import (
    AgreementCitationResource,
    InitiativeCitationResource,
    MeetingCitationResource,
    OutcomeCitationResource,
    TenureCitationResource,
)
from .initiatives import InitiativeAliasResource, InitiativeResource, PartnershipLevelResource
from .marks import (
    AgreementMarkResource,
    GroupingMarkResource,
    InitiativeMarkResource,
    MeetingMarkResource,
    OfficialMarkResource,
    PostMarkResource,
)
from .meetings import MeetingResource, ParticipationResource
from .outcomes import AmountResource, OutcomeResource, TopicResource
from .people import (
    OfficialAliasResource,
    OfficialResource,
    PostAliasResource,
    PostResource,
    TenureResource,
)
from .places import CountryAliasResource, CountryResource, GroupingResource, MembershipResource
from .sources import SourceResource

__all__ = [
    "RESOURCES",
    "AgreementAliasResource",
    "AgreementCitationResource",
    "AgreementMarkResource",
    "AgreementMeetingResource",
    "AgreementRelationResource",
    "AgreementResource",
    "AgreementStatusChangeResource",
    "AmountResource",
    "CountryAliasResource",
    "CountryResource",
    "GroupingMarkResource",
    "GroupingResource",
    "InitiativeAliasResource",
    "InitiativeCitationResource",
    "InitiativeMarkResource",
    "InitiativeResource",
    "MeetingCitationResource",
    "MeetingMarkResource",
    "MeetingResource",
    "MembershipResource",
    "OfficialAliasResource",
    "OfficialMarkResource",
    "OfficialResource",
    "OutcomeCitationResource",
    "OutcomeResource",
    "ParticipationResource",
    "PartnershipLevelResource",
    "PostAliasResource",
    "PostMarkResource",
    "PostResource",
    "SourceResource",
    "TenureCitationResource",
    "TenureResource",
    "TopicResource",
    "resource_for",
]

#: Resources by model name (``meeting``, ``countryalias``), for the commands and the admin.
RESOURCES: dict[str, type[DefrelResource]] = {
    value._meta.model._meta.model_name: value
    for value in list(globals().values())
    if isinstance(value, type) and issubclass(value, DefrelResource) and value._meta.model
}


def resource_for(model: type[models.Model]) -> type[DefrelResource]:
    """The resource that defines the CSV columns of ``model``."""
    return RESOURCES[model._meta.model_name]
