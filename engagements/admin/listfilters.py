"""The change lists' side filters shared by the curation admins: by year, by the related
records in use, and by whether a record (or a row) has a source.

Each is written to stay cheap at a million rows (an index probe, not a ``DISTINCT`` over
the change list's table), and to answer bad input with a message, not a 500.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Exists, Max, Min, OuterRef, Q


def filter_year(request, value: str, title: str) -> int | None:
    """``value`` as a year a date can have (1–9999); else ``None``, with a message saying so.

    A year out of that range cannot be turned into a date range to filter by: it would be a
    500 from the query, not an empty list.
    """
    try:
        year = int(value)
    except ValueError:
        year = None
    if year is None or not 1 <= year <= 9999:
        messages.warning(
            request, f"“{value[:20]}” is not a year from 1 to 9999: no record has that {title}."
        )
        return None
    return year


def year_filter(
    field: str,
    title: str = "year",
    span_model=None,
    span_field: str = "",
    *,
    parameter: str = "",
    through: str = "",
):
    """A list filter by the year of ``field`` (listing the years from the first to the last).

    ``field`` may follow a relation (``meeting__start_date``); the years then come from
    ``span_model.span_field`` (``Meeting.start_date``), read off its index without a join.
    With ``through`` (a foreign key of ``span_model`` to the listed records), ``field`` is
    ``span_model``'s and a record is listed when one of its rows is in the year: an EXISTS,
    so a record with several such rows is listed once. ``parameter``: the query parameter
    (default ``<field>_year``).
    """

    class YearListFilter(admin.SimpleListFilter):
        parameter_name = parameter or f"{field}_year"

        def lookups(self, request, model_admin):
            # The first and last year come from the index; a DISTINCT over every row took
            # 0.6 s at a million meetings. (A year in between with no records lists none.)
            model = span_model or model_admin.model
            column = span_field or field
            span = model._default_manager.aggregate(first=Min(column), last=Max(column))
            if span["first"] is None:
                return []
            years = range(span["last"].year, span["first"].year - 1, -1)
            return [(str(year), str(year)) for year in years]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            year = filter_year(request, self.value(), self.title)
            if year is None:
                return queryset.none()
            if through:
                rows = span_model._default_manager.filter(
                    **{through: OuterRef("pk"), f"{field}__year": year}
                )
                return queryset.filter(Exists(rows))
            return queryset.filter(**{f"{field}__year": year})

    YearListFilter.title = title
    return YearListFilter


class InUseListFilter(admin.RelatedFieldListFilter):
    """Like ``RelatedOnlyFieldListFilter`` (only the countries, groupings… in use), cheaply.

    Django's version runs ``SELECT DISTINCT`` over every row of the change list's table (2.8 s
    for the countries of a million meetings); this asks each row of the small related table
    whether it is used, an ``EXISTS`` that one index probe answers.

    Its template is Django's ``admin/filter.html`` with the choices written by a filter
    (``list_rows.admin_filter_choices``): the ~250 countries took 4 ms in the template loop.
    """

    template = "engagements/admin_filter.html"

    def field_choices(self, field, request, model_admin):
        if field.many_to_many:
            through = field.remote_field.through
            used = through._default_manager.filter(
                **{field.m2m_reverse_field_name(): OuterRef("pk")}
            )
        else:
            used = model_admin.model._default_manager.filter(**{field.name: OuterRef("pk")})
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to=Q(Exists(used)), ordering=ordering
        )


class HasSourceFilter(admin.SimpleListFilter):
    """Records with and without a citation (staff chase the ones lacking a source)."""

    title = "source"
    parameter_name = "sourced"

    def lookups(self, request, model_admin):
        return [("yes", "Has a source"), ("no", "Lacks a source")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(citations__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(citations__isnull=True)
        return queryset


class SourceGivenFilter(admin.SimpleListFilter):
    """Rows whose ``source`` is given or missing (status changes may lack one)."""

    title = "source"
    parameter_name = "has_source"

    def lookups(self, request, model_admin):
        return [("yes", "Has a source"), ("no", "Lacks a source")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(source__isnull=self.value() == "no")
        return queryset
