"""CSV resources of countries, their other names and groupings of countries."""

from __future__ import annotations

from ..columns.places import COUNTRY, COUNTRY_ALIAS, GROUPING, MEMBERSHIP
from .base import DefrelResource
from .bulk import BulkResource


class CountryResource(DefrelResource):
    """Countries, a row at a time: the ``aliases`` cell adds and removes alias rows."""

    record = COUNTRY


class CountryAliasResource(BulkResource):
    """Another name of a country, one per row (the ``aliases`` cell of countries holds all)."""

    record = COUNTRY_ALIAS


class GroupingResource(BulkResource):
    record = GROUPING


class MembershipResource(BulkResource):
    record = MEMBERSHIP
