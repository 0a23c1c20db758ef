"""Columns that are not one cell to one attribute: dates with their precision, aliases,
citations.

Named ``…Column`` so they are not taken for the admin forms' ``PartialDateField`` and
``DateSpanField`` (engagements/admin/forms.py), which read the same text in a form.
"""

from __future__ import annotations

from import_export import fields, widgets

from ..dates import DateSpan, PartialDate, PartialDateError
from .files import LIST_SEPARATOR
from .widgets import CitationListWidget, split_list


class PartialDateColumn(fields.Field):
    """A date column written with its precision; fills a date and a precision attribute."""

    #: What a cell holds (``DateSpanColumn``: a span).
    value_class: type[PartialDate] | type[DateSpan] = PartialDate

    def __init__(self, attribute: str, precision_attribute: str, column_name: str, **kwargs):
        super().__init__(
            attribute=attribute, column_name=column_name, widget=widgets.Widget(), **kwargs
        )
        self.precision_attribute = precision_attribute

    def parse(self, row):
        try:
            return self.value_class.parse(str(row[self.column_name] or ""))
        except PartialDateError as exc:
            raise ValueError(str(exc)) from None

    def clean(self, row, **kwargs):
        return self.parse(row).date

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.parse(row)
        setattr(instance, self.attribute, value.date)
        setattr(instance, self.precision_attribute, value.precision)

    def get_value(self, instance):
        return (getattr(instance, self.attribute), getattr(instance, self.precision_attribute))

    def export(self, instance, **kwargs):
        return PartialDate(*self.get_value(instance)).isoformat()

    def attributes(self) -> tuple[str, ...]:
        """Every model attribute the column fills (a problem with any is in this column)."""
        return (self.attribute, self.precision_attribute)


class DateSpanColumn(PartialDateColumn):
    """A meeting's ``dates``: one partial date, a span, an open end or a day within a span
    (EDTF), sharing one precision; fills start, end, precision and extent."""

    value_class = DateSpan

    def __init__(
        self, attribute, end_attribute, precision_attribute, extent_attribute, column_name, **kw
    ):
        super().__init__(attribute, precision_attribute, column_name, **kw)
        self.end_attribute = end_attribute
        self.extent_attribute = extent_attribute

    def clean(self, row, **kwargs):
        return self.parse(row).start

    def save(self, instance, row, is_m2m=False, **kwargs):
        span = self.parse(row)
        setattr(instance, self.attribute, span.start)
        setattr(instance, self.end_attribute, span.end)
        setattr(instance, self.precision_attribute, span.precision)
        setattr(instance, self.extent_attribute, span.extent)

    def get_value(self, instance):
        return (
            getattr(instance, self.attribute),
            getattr(instance, self.end_attribute),
            getattr(instance, self.precision_attribute),
            getattr(instance, self.extent_attribute),
        )

    def export(self, instance, **kwargs):
        return DateSpan(*self.get_value(instance)).isoformat()

    def attributes(self) -> tuple[str, ...]:
        return (self.attribute, self.end_attribute, self.precision_attribute, self.extent_attribute)


class AliasesField(fields.Field):
    """Other names of a record (a country, an official, an agreement…) in one ``;`` cell;
    import replaces the set (new names are added without a citation; names kept keep theirs).

    Nothing is set on the instance: the resource keeps the names with the row
    (``ImportRow.aliases``) and writes them after the record is saved.
    """

    def __init__(self, alias_model, column_name="aliases"):
        super().__init__(attribute="aliases", column_name=column_name, widget=widgets.Widget())
        self.alias_model = alias_model

    def clean(self, row, **kwargs):
        return list(dict.fromkeys(split_list(row[self.column_name])))

    def problems(self, names: list[str]) -> list[str]:
        """What is wrong with a cell's names, in words naming each (checked with the row,
        before anything is written): too long for the alias table, or one name twice."""
        found = []
        longest = self.alias_model._meta.get_field("name").max_length
        seen: dict[str, str] = {}
        for name in names:
            if len(name) > longest:
                found.append(
                    f"{name[:40]!r}… is {len(name)} characters long; an alias has at most "
                    f"{longest}."
                )
            earlier = seen.setdefault(name.lower(), name)
            if earlier != name:
                found.append(
                    f"{name!r} repeats {earlier!r}: aliases ignore case, so write it once."
                )
        return found

    def save(self, instance, row, is_m2m=False, **kwargs):
        pass  # see the class docstring

    def get_value(self, instance):
        if instance.pk is None:
            return []
        return sorted((a.name for a in instance.aliases.all()), key=str.lower)

    def export(self, instance, **kwargs):
        return f"{LIST_SEPARATOR} ".join(self.get_value(instance))


class CitationsField(fields.Field):
    """Import only: the citations a record's ``citations`` cell adds (``CitationListWidget``);
    a paragraph already cited stays as it is, none is removed.

    Nothing is set on the instance: the resource keeps the citations with the row
    (``ImportRow.citations``) and writes them after the record is saved.
    """

    def __init__(self, column_name="citations"):
        super().__init__(
            attribute="citations", column_name=column_name, widget=CitationListWidget()
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        pass  # see the class docstring

    def adds(self, instance, cited) -> bool:
        """Whether ``cited`` (a cleaned cell) names a paragraph ``instance`` does not cite."""
        wanted = {(source.pk, n) for source, numbers in cited or () for n in numbers}
        if not wanted or instance.pk is None:
            return bool(wanted)
        return bool(wanted - set(instance.citations.values_list("source_id", "paragraph")))
