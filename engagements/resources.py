"""CSV columns for every model: the one place they are defined (django-import-export 4.x).

The admin's import/export, the ``import_csv``/``export_csv`` commands and the researcher
pages' CSV/JSON exports all use these resources, so a column means the same everywhere.

Columns are for people, not databases:

- records by natural key (slug; a country by ISO code, name or alias; a source by key; an
  official by slug, name or alias, with ``official_country`` where names clash);
- many-to-many as one cell, values separated by ``;`` (``IN; SG``);
- dates with their precision: ``2024``, ``2024-11``, ``2024-11-21``, a span
  ``2019-09-02/2019-09-06``, empty when unknown;
- booleans as ``yes``/``no``.

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

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.text import slugify
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV
from import_export.results import Error, Result

from .bulkimport import BulkImportMixin, PreloadingInstanceLoader, chunked
from .dates import DateSpan, PartialDate, PartialDateError
from .models import (
    Agreement,
    AgreementCitation,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Country,
    CountryAlias,
    Grouping,
    Initiative,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    Official,
    OfficialAlias,
    Participation,
    Post,
    Source,
    Tenure,
    TenureCitation,
)

#: Separator of values in a many-to-many cell. Files must therefore be comma-delimited.
LIST_SEPARATOR = ";"
#: Longest cell accepted in an import, in characters (the longest text field is a summary).
MAX_CELL_CHARS = 20_000
#: Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- formula escaping -----------------------------------------------------------------------


def escape_formula(value) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'`` (shown, not run)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unescape_formula(value):
    """Undo :func:`escape_formula`, so an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# --- reading files --------------------------------------------------------------------------


class CSVFileError(ValueError):
    """A file that cannot be read as our CSV; the message says what to do about it."""


EMPTY_FILE = "The file is empty: it needs a header line and at least one row."


class CSVDataset(tablib.Dataset):
    """The rows of a CSV file, with the file line each row starts on.

    ``line_numbers[i]`` is the line of data row ``i`` (blank lines are skipped, a cell may
    span lines), ``header_line`` the header's. A file with a header and no rows is still a
    file (true), so the admin reports it as the command does instead of "no valid data".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_line = 1
        self.line_numbers: list[int] = []

    def __bool__(self) -> bool:
        return True


def read_csv(data: bytes | str) -> CSVDataset:
    """Read an uploaded CSV file (UTF-8, with or without a BOM, comma-delimited).

    Raises :class:`CSVFileError` naming the line and the problem: not UTF-8, empty, one
    semicolon-separated column, a row with the wrong number of cells, a huge cell.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CSVFileError(
                f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}). "
                "Save it as “CSV UTF-8 (comma-delimited)” and upload it again."
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise CSVFileError(EMPTY_FILE)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header = next(reader)
    except csv.Error as exc:
        raise CSVFileError(f"Line {reader.line_num}: the header cannot be read ({exc}).") from None
    header = [name.strip().lower() for name in header]
    if len(header) == 1 and ";" in header[0]:
        raise CSVFileError(
            f"The header {header[0]!r} is one column holding semicolons: the file looks "
            "semicolon-delimited. Save it as comma-delimited CSV (“CSV UTF-8”); semicolons "
            "only separate values inside a cell."
        )
    dataset = CSVDataset(headers=header)
    dataset.header_line = reader.line_num
    try:
        last = reader.line_num
        for row in reader:
            line, last = last + 1, reader.line_num  # the line the row starts on
            if not any(cell.strip() for cell in row):
                continue  # blank lines (spreadsheets add them at the end)
            if len(row) != len(header):
                raise CSVFileError(
                    f"Line {line} has {len(row)} cells but the header has {len(header)} "
                    "columns. Check for a stray comma or an unquoted value with a comma in it."
                )
            for name, cell in zip(header, row, strict=True):
                if len(cell) > MAX_CELL_CHARS:
                    raise CSVFileError(
                        f"Line {line}, column {name!r}: the cell has {len(cell):,} characters; "
                        f"the most a cell may hold is {MAX_CELL_CHARS:,}."
                    )
            dataset.append(row)
            dataset.line_numbers.append(line)
    except csv.Error as exc:
        raise CSVFileError(f"Line {reader.line_num}: the file cannot be read ({exc}).") from None
    if not dataset.headers or not any(dataset.headers):
        raise CSVFileError("The file has no header line.")
    return dataset


class DefrelCSV(CSV):
    """CSV as defrel reads and writes it: strict UTF-8 reading, formulae escaped with ``'``.

    Binary, so the upload reaches :func:`read_csv` as bytes and a non-UTF-8 file gets a clear
    message instead of a decoding traceback.
    """

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def export_data(self, dataset, **kwargs):
        if getattr(settings, "IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT", False):
            self._escape_formulae(dataset)
        return dataset.export("csv", **kwargs)

    def _escape_formulae(self, dataset):
        # The built-in version deletes a leading "=" (losing data) and ignores + - @.
        for _ in range(len(dataset)):
            row = dataset.lpop()
            dataset.append([escape_formula(cell) for cell in row])


# --- widgets ------------------------------------------------------------------------------


class TextWidget(widgets.CharWidget):
    """Text cell: surrounding spaces trimmed, empty is ``""``."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IntWidget(widgets.Widget):
    """A whole number; empty is None."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number.") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    """``yes``/``no`` (``true``/``false``, ``1``/``0`` accepted); empty is no."""

    TRUE = {"yes", "y", "true", "1"}
    FALSE = {"no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"{value!r} is not yes or no.")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class CountryTable:
    """Every country by ISO code, name, official name and alias, loaded in two queries.

    One per import, so a 100,000-row file resolves countries from memory; it answers as
    ``Country.objects.resolve()`` does (one match, else an error naming the value).
    """

    def __init__(self):
        self._by_text: dict[str, set[Country]] | None = None

    def _load(self) -> dict[str, set[Country]]:
        table: dict[str, set[Country]] = defaultdict(set)
        countries = {c.pk: c for c in Country.objects.all()}
        for country in countries.values():
            for text in (country.iso2, country.iso3, country.name, country.official_name):
                if text:
                    table[text.lower()].add(country)
        for alias in CountryAlias.objects.only("country_id", "name"):
            table[alias.name.lower()].add(countries[alias.country_id])
        return table

    def resolve(self, text: str) -> Country:
        if self._by_text is None:
            self._by_text = self._load()
        found = self._by_text.get(text.strip().lower(), set())
        if len(found) != 1:
            raise ValueError(
                f"No country has the code, name or alias {text!r}."
                if not found
                else f"{text!r} names more than one country."
            )
        return next(iter(found))

    def __deepcopy__(self, memo):
        return CountryTable()  # each resource instance (each import) gets its own cache


class CountryWidget(widgets.ForeignKeyWidget):
    """A country by ISO code, name or alias; exported as its ISO alpha-2 code."""

    def __init__(self, **kwargs):
        super().__init__(Country, field="iso2", **kwargs)
        self.countries = CountryTable()

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        return self.countries.resolve(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return value.iso2 if value else ""


class CountryListWidget(widgets.ManyToManyWidget):
    """Countries in one cell (``IN; SG``), each by ISO code, name or alias."""

    def __init__(self, **kwargs):
        super().__init__(Country, separator=LIST_SEPARATOR, field="iso2", **kwargs)
        self.countries = CountryTable()

    def clean(self, value, row=None, **kwargs):
        names = split_list(value)
        errors, found = [], []
        for name in names:
            try:
                found.append(self.countries.resolve(name))
            except ValueError as exc:
                errors.append(str(exc))
        if errors:
            raise ValueError(" ".join(errors))
        return list(dict.fromkeys(found))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{LIST_SEPARATOR} ".join(sorted(c.iso2 for c in value.all()))


def split_list(value) -> list[str]:
    text = "" if value is None else str(value)
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


class KeyWidget(widgets.ForeignKeyWidget):
    """A related record by its natural key (a slug, a source key); lookups are memoised.

    The memo lives on the widget, which each resource instance deep-copies, so it lasts
    one import: a file naming the same grouping 10,000 times queries it once.
    """

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.memo: dict[str, models.Model] = {}

    def __deepcopy__(self, memo):
        return type(self)(self.model, field=self.field)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if text not in self.memo:
            try:
                self.memo[text] = self.get_queryset(value, row).get(**{self.field: text})
            except self.model.DoesNotExist:
                raise ValueError(
                    f"No {self.model._meta.verbose_name} has the {self.field} {text!r}."
                ) from None
        return self.memo[text]

    def prime(self, rows: list[dict], column: str) -> None:
        """Look up every key of ``column`` at once (a bulk import, before its first row)."""
        texts = {str(row.get(column) or "").strip() for row in rows} - {""} - set(self.memo)
        for chunk in chunked(sorted(texts)):
            for record in self.get_queryset(None, None).filter(**{f"{self.field}__in": chunk}):
                self.memo[str(getattr(record, self.field))] = record

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class KeyListWidget(widgets.ManyToManyWidget):
    """Related records in one cell by natural key (``quad; asean``); unknown keys are errors."""

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, separator=LIST_SEPARATOR, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        keys = list(dict.fromkeys(split_list(value)))
        if not keys:
            return []
        found = {
            getattr(o, self.field): o
            for o in self.model.objects.filter(**{f"{self.field}__in": keys})
        }
        missing = [k for k in keys if k not in found]
        if missing:
            name = self.model._meta.verbose_name
            raise ValueError(
                f"No {name} has the {self.field} " + ", ".join(repr(k) for k in missing) + "."
            )
        return [found[k] for k in keys]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{LIST_SEPARATOR} ".join(sorted(str(getattr(o, self.field)) for o in value.all()))


class OfficialWidget(widgets.ForeignKeyWidget):
    """An official by slug, name or alias; ``official_country`` settles clashing names.

    Exported as the name (people read it), with the country column beside it; when the name
    with the country would not name this one official (two officials of a country share the
    name or an alias, or the name is another official's slug), as the slug, so the exported
    file imports back unchanged.
    """

    country_column = "official_country"

    def __init__(self, **kwargs):
        super().__init__(Official, field="slug", **kwargs)
        self.memo: dict[tuple[str, str], Official] = {}
        self.countries = CountryTable()
        self._ambiguous: set[int] | None = None

    def ambiguous_names(self) -> set[int]:
        """Ids of officials whose name (with their country) names someone else too."""
        if self._ambiguous is None:
            named: dict[tuple[str, int], set[int]] = defaultdict(set)
            officials = list(Official.objects.values_list("pk", "name", "country_id", "slug"))
            for pk, name, country_id, _slug in officials:
                named[(name.lower(), country_id)].add(pk)
            aliases = OfficialAlias.objects.values_list(
                "official_id", "name", "official__country_id"
            )
            for pk, name, country_id in aliases:
                named[(name.lower(), country_id)].add(pk)
            slugs = {slug: pk for pk, _name, _country, slug in officials}
            self._ambiguous = {
                pk
                for pk, name, country_id, _slug in officials
                if len(named[(name.lower(), country_id)]) > 1 or slugs.get(name, pk) != pk
            }
        return self._ambiguous

    def __deepcopy__(self, memo):
        return type(self)()

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        country_text = str((row or {}).get(self.country_column) or "").strip()
        key = (text.lower(), country_text.lower())
        if key not in self.memo:
            self.memo[key] = self._find(text, country_text)
        return self.memo[key]

    def prime(self, rows: list[dict], column: str) -> None:
        """Look up every slug of ``column`` at once (a bulk import, before its first row);
        names and aliases are still looked up (once each) as rows name them."""
        cells = {
            (str(row.get(column) or "").strip(), str(row.get(self.country_column) or "").strip())
            for row in rows
        }
        by_slug: dict[str, Official] = {}
        for chunk in chunked(sorted({text for text, _ in cells if text})):
            by_slug.update((o.slug, o) for o in Official.objects.filter(slug__in=chunk))
        for text, country_text in cells:
            if text in by_slug:  # _find answers a slug before anything else, whatever the country
                self.memo[(text.lower(), country_text.lower())] = by_slug[text]

    def _find(self, text: str, country_text: str) -> Official:
        by_slug = Official.objects.filter(slug=text).first()
        if by_slug:
            return by_slug
        qs = Official.objects.filter(Q(name__iexact=text) | Q(aliases__name__iexact=text))
        where = ""
        if country_text:
            country = self.countries.resolve(country_text)
            qs = qs.filter(country=country)
            where = f" of {country}"
        found = list(qs.distinct().select_related("country")[:10])
        if not found:
            raise ValueError(f"No official{where} has the slug, name or alias {text!r}.")
        if len(found) > 1:
            options = ", ".join(f"{o.slug} ({o.country.iso2})" for o in found)
            raise ValueError(
                f"{text!r} names {len(found)} officials{where}: give the slug or the "
                f"{self.country_column} column ({options})."
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.slug if value.pk in self.ambiguous_names() else value.name


# --- fields -------------------------------------------------------------------------------


class PartialDateField(fields.Field):
    """A date column written with its precision; fills a date and a precision attribute."""

    def __init__(self, attribute: str, precision_attribute: str, column_name: str, **kwargs):
        super().__init__(
            attribute=attribute, column_name=column_name, widget=widgets.Widget(), **kwargs
        )
        self.precision_attribute = precision_attribute

    def parse(self, row) -> PartialDate:
        try:
            return PartialDate.parse(str(row[self.column_name] or ""))
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


class DateSpanField(PartialDateField):
    """A meeting's ``dates``: one partial date or a span, sharing one precision."""

    def __init__(self, attribute, end_attribute, precision_attribute, column_name, **kwargs):
        super().__init__(attribute, precision_attribute, column_name, **kwargs)
        self.end_attribute = end_attribute

    def parse(self, row) -> DateSpan:
        try:
            return DateSpan.parse(str(row[self.column_name] or ""))
        except PartialDateError as exc:
            raise ValueError(str(exc)) from None

    def clean(self, row, **kwargs):
        return self.parse(row).start

    def save(self, instance, row, is_m2m=False, **kwargs):
        span = self.parse(row)
        setattr(instance, self.attribute, span.start)
        setattr(instance, self.end_attribute, span.end)
        setattr(instance, self.precision_attribute, span.precision)

    def get_value(self, instance):
        return (
            getattr(instance, self.attribute),
            getattr(instance, self.end_attribute),
            getattr(instance, self.precision_attribute),
        )

    def export(self, instance, **kwargs):
        start, end, precision = self.get_value(instance)
        return DateSpan(start, end, precision).isoformat()


class AliasesField(fields.Field):
    """Other names of a country or an official, in one ``;`` cell; import replaces the set.

    The names are kept on the instance and written after it is saved (see
    ``DefrelResource.after_save_instance``).
    """

    def __init__(self, alias_model, column_name="aliases"):
        super().__init__(attribute="aliases", column_name=column_name, widget=widgets.Widget())
        self.alias_model = alias_model

    def clean(self, row, **kwargs):
        return list(dict.fromkeys(split_list(row[self.column_name])))

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._import_aliases = self.clean(row)

    def get_value(self, instance):
        if getattr(instance, "_import_aliases", None) is not None:
            return sorted(instance._import_aliases, key=str.lower)
        if instance.pk is None:
            return []
        return sorted((a.name for a in instance.aliases.all()), key=str.lower)

    def export(self, instance, **kwargs):
        return f"{LIST_SEPARATOR} ".join(self.get_value(instance))


# --- resources ----------------------------------------------------------------------------


def _referenced_fields(node) -> list[str]:
    """Model field names a constraint's condition or expressions mention, in order."""
    names: list[str] = []
    if isinstance(node, Q):
        for child in node.children:
            names += _referenced_fields(child)
    elif isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], str):
        names.append(node[0].split("__")[0])
        names += _referenced_fields(node[1])
    elif isinstance(node, F):
        names.append(node.name.split("__")[0])
    elif hasattr(node, "get_source_expressions"):
        for expression in node.get_source_expressions():
            names += _referenced_fields(expression)
    return names


def constraint_field(constraint) -> str:
    """The model field whose column a constraint's refusal is reported in.

    A unique constraint over several fields names the last (``mechanism`` + ``edition``: the
    edition is taken; ``official`` + ``Lower("name")``: the name); a CHECK names the first
    field its condition tests (“an edition number needs a mechanism”: the edition). ``""``
    when there is none.
    """
    if isinstance(constraint, models.UniqueConstraint):
        names = list(constraint.fields)
        for expression in constraint.expressions:  # Lower("name")
            names += _referenced_fields(expression)
        return names[-1] if names else ""
    names = _referenced_fields(getattr(constraint, "condition", None))
    return next((n for n in names if n not in ("pk", "id")), "")


@dataclass(frozen=True)
class RowProblem:
    """One reason a row cannot be imported: ``line`` counts the header as line 1."""

    line: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "File"
        column = f", column {self.column!r}" if self.column else ""
        value = f" (value {self.value!r})" if self.value else ""
        return f"{where}{column}{value}: {self.message}"


class _NoDiff:
    """Stands in for ``resources.Diff`` when no diff is shown (it exports each row twice)."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class DefrelResource(resources.ModelResource):
    """Shared behaviour: header checks, duplicate rows, history, all-or-nothing, escaping."""

    #: Columns that build a slug when the slug cell is empty (stable: same row, same slug).
    slug_from: tuple[str, ...] = ()
    #: What exporting needs joined (``select_related``) and prefetched, see export_queryset.
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    #: The model field that links an alias to its owner (for ``AliasesField``).
    alias_owner = ""
    #: Columns read on import but never exported (``allow_duplicate``).
    import_only: tuple[str, ...] = ()

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = True  # the preview shows counts and errors, not per-row diffs

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # One country table per resource instance (per import), shared by its columns.
        countries = CountryTable()
        for field in self.fields.values():
            if hasattr(field.widget, "countries"):
                field.widget.countries = countries

    # -- export ----------------------------------------------------------------------------

    @classmethod
    def export_queryset(cls, queryset: models.QuerySet | None = None) -> models.QuerySet:
        """``queryset`` (default: all rows) with the joins and prefetches the columns need.

        Every resource overrides ``related`` / ``prefetch``; exporting any number of rows then
        costs a fixed number of queries.
        """
        if queryset is None:
            queryset = cls._meta.model._default_manager.all()
        if cls.related:
            queryset = queryset.select_related(*cls.related)
        if cls.prefetch:
            queryset = queryset.prefetch_related(*cls.prefetch)
        return queryset

    def export(self, queryset=None, **kwargs):
        return super().export(self.export_queryset(queryset), **kwargs)

    def get_export_order(self):
        return tuple(n for n in super().get_export_order() if n not in self.import_only)

    def export_csv_row(self, instance) -> list[str]:
        """One row for a CSV file: values as text, spreadsheet formulae escaped."""
        return [escape_formula(value) for value in self.export_resource(instance)]

    # -- import ----------------------------------------------------------------------------

    def get_import_fields(self):
        # Asked for several times per row; the columns do not change during an import.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    @classmethod
    def column_names(cls) -> list[str]:
        return [field.column_name for field in cls().get_import_fields()]

    def required_columns(self) -> list[str]:
        """Import-id columns, plus columns of model fields that cannot be blank."""
        required = []
        ids = set(self.get_import_id_fields())
        for name, field in self.fields.items():
            if name in ids:
                required.append(field.column_name)
                continue
            try:
                model_field = self._meta.model._meta.get_field(field.attribute or "")
            except Exception:
                continue
            if (
                model_field.concrete
                and not model_field.blank
                and not model_field.has_default()
                and not model_field.many_to_many
            ):
                required.append(field.column_name)
        return list(dict.fromkeys(required))

    def header_problems(self, headers: Iterable[str], line: int = 1) -> list[RowProblem]:
        headers = [h for h in (headers or [])]
        known = set(self.column_names())
        plural = self._meta.model._meta.verbose_name_plural
        problems = []
        if not headers:
            return [RowProblem(None, "", "", "The file is empty: it needs a header line.")]
        seen = set()
        for name in headers:
            if name in seen:
                problems.append(RowProblem(line, name, "", "This column appears twice."))
            seen.add(name)
            if name not in known:
                problems.append(
                    RowProblem(
                        line,
                        name,
                        "",
                        f"Unknown column. Columns for {plural}: {', '.join(sorted(known))}.",
                    )
                )
        missing = [c for c in self.required_columns() if c not in headers]
        if missing:
            problems.append(
                RowProblem(line, "", "", f"Missing required column(s): {', '.join(missing)}.")
            )
        return problems

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        """Check the header first; then import with any invalid row rolling back the lot.

        The result carries ``line_numbers`` (file line of each data row) and
        ``header_problems``, which :meth:`problems` reports by line and column.
        """
        self._line_numbers = list(getattr(dataset, "line_numbers", None) or [])
        problems = self.header_problems(dataset.headers, getattr(dataset, "header_line", 1))
        if problems:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            for problem in problems:
                result.append_base_error(Error(ValueError(str(problem))))
            result.header_problems = problems
            result.line_numbers = self._line_numbers
            return result
        self._seen_keys: dict[tuple, int] = {}
        result = super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            # All-or-nothing: an invalid row must roll back the rows before it.
            rollback_on_validation_errors=True,
            **kwargs,
        )
        result.line_numbers = self._line_numbers
        return result

    def normalize_row(self, row: dict) -> dict:
        """The cells as imported: spreadsheet-formula escapes undone, an empty slug filled."""
        for column, value in row.items():
            row[column] = unescape_formula(value)
        self.fill_slug(row)
        return row

    def before_import_row(self, row, row_number=None, **kwargs):
        self._row_note = ""
        self.normalize_row(row)
        key = self.record_key(row)
        if key is not None:
            first = getattr(self, "_seen_keys", {}).setdefault(key, row_number)
            if first != row_number:
                id_columns = [self.fields[n].column_name for n in self.get_import_id_fields()]
                raise ValidationError(
                    f"Duplicate of line {self.line_of(first)}: the same "
                    f"{' + '.join(id_columns)} appears twice in the file."
                )

    def record_key(self, row) -> tuple | None:
        """The record a row names, as resolved values (a related record by its id), so two
        spellings of one key (``lawrence-wong`` and ``Lawrence Wong``) are one record.

        ``None`` when the key is empty or does not resolve (that error is reported anyway).
        """
        key = []
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                value = field.clean(row)
            except (ValueError, KeyError, ValidationError):
                return None
            if isinstance(value, models.Model):
                value = (type(value).__name__, value.pk)
            elif isinstance(value, str):
                value = value.strip().lower()
            key.append(value)
        if not any(v not in (None, "") for v in key):
            return None
        return tuple(key)

    def line_of(self, row_number: int, result: Result | None = None) -> int:
        """The file line of data row ``row_number`` (1 = the first row after the header)."""
        lines = getattr(result, "line_numbers", None) if result is not None else None
        if lines is None:
            lines = getattr(self, "_line_numbers", None)
        if lines and 0 < row_number <= len(lines):
            return lines[row_number - 1]
        return row_number + 1

    def import_instance(self, instance, row, **kwargs):
        """Set the fields; many-to-many cells are checked now too (they are saved later)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = [str(exc)]
        removal_problem = self.check_alias_removals(instance, kwargs.get("user"))
        if removal_problem:
            errors.setdefault("aliases", []).append(removal_problem)
        if errors:
            raise ValidationError(errors)

    def check_alias_removals(self, instance, user) -> str:
        """Aliases an ``aliases`` cell would remove: noted for the preview, and refused
        (returned as the row's problem) unless the importer may delete aliases.

        An import run without a user (``import_csv`` without ``--user``) is the operator's
        and may remove them.
        """
        names = getattr(instance, "_import_aliases", None)
        if names is None or instance.pk is None:
            return ""
        wanted = {name.lower() for name in names}
        removed = sorted(
            (a.name for a in instance.aliases.all() if a.name.lower() not in wanted), key=str.lower
        )
        if not removed:
            return ""
        listed = ", ".join(repr(name) for name in removed)
        self._row_note = f"Removes the aliases {listed}."
        alias_model = next(
            f.alias_model for f in self.fields.values() if isinstance(f, AliasesField)
        )
        opts = alias_model._meta
        permission = f"{opts.app_label}.delete_{opts.model_name}"
        if user is None or user.has_perm(permission):
            return ""
        return (
            f"This would remove the aliases {listed}, and you may not delete "
            f"{opts.verbose_name_plural}: keep them in the cell (add new names after a "
            f"“{LIST_SEPARATOR}”), or ask a Reviewer to delete them."
        )

    def after_import_row(self, row, row_result, **kwargs):
        # What the preview shows beside the row (aliases removed).
        row_result.note = getattr(self, "_row_note", "")

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        error = row_result.validation_error
        if error is not None:
            # A kept exception keeps its traceback, and with it every frame of the row's
            # import (querysets, the row, the instance): about 20 KB a row, so a file of
            # 100,000 bad rows took gigabytes. The messages are all that is shown.
            error.__traceback__ = error.__context__ = error.__cause__ = None
        return row_result

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """``full_clean()`` without the per-row queries that add nothing on import.

        Django's field validation runs one ``SELECT`` per foreign key per row to confirm the
        related row exists; our widgets just fetched those rows, so that is skipped. CHECK
        constraints are left to the database, which refuses the row on save (see
        :meth:`do_instance_save`) with the same message; Django would otherwise run one query
        per CHECK per row. Field checks, ``clean()`` and unique constraints run in full.
        """
        errors = dict(import_validation_errors or {})
        fetched = {
            field.attribute
            for field in self.fields.values()
            if isinstance(field.widget, widgets.ForeignKeyWidget) and field.attribute
        }
        # The row was looked up by its natural key just now: no need to ask again if it is free.
        looked_up = {self.fields[name].attribute for name in self.get_import_id_fields()}
        steps = [
            lambda: instance.clean_fields(exclude=set(errors) | fetched),
            instance.clean,
            lambda: instance.validate_unique(exclude=set(errors) | looked_up),
            lambda: self.validate_unique_constraints(instance, exclude=set(errors)),
        ]
        for step in steps if validate_unique else steps[:2]:
            try:
                step()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def get_diff_class(self):
        # The preview shows counts and errors, not per-row diffs: skip building them.
        return _NoDiff if self._meta.skip_html_diff else super().get_diff_class()

    @staticmethod
    def validate_unique_constraints(instance, exclude) -> None:
        """``Model.validate_constraints()`` for the unique constraints only."""
        errors = {}
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if isinstance(constraint, models.CheckConstraint):
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude)
                except ValidationError as exc:
                    field = constraint_field(constraint)
                    if field:
                        errors.setdefault(field, []).extend(exc.messages)
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        """Save in a savepoint; a CHECK the database refuses becomes that CHECK's message,
        in the column of the field the CHECK is about (see :func:`constraint_field`)."""
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                super().do_instance_save(instance, is_create)
        except IntegrityError as exc:
            text = str(exc)
            for constraint in instance._meta.constraints:
                if isinstance(constraint, models.CheckConstraint) and constraint.name in text:
                    message = constraint.get_violation_error_message()
                    field = constraint_field(constraint)
                    raise ValidationError({field: message} if field else message) from None
            raise

    def get_instance(self, instance_loader, row):
        # A bad natural key (an unknown official) is an error in its column, not a crash.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as exc:
            for name in self.get_import_id_fields():
                field = self.fields[name]
                try:
                    field.clean(row)
                except ValueError as field_exc:
                    raise ValidationError({field.attribute: str(field_exc)}) from None
            raise ValidationError(str(exc)) from None

    def fill_slug(self, row) -> None:
        if not self.slug_from or "slug" not in row or str(row["slug"] or "").strip():
            return
        parts = [str(row.get(c) or "") for c in self.slug_from]
        if parts[0].strip():
            row["slug"] = slugify(" ".join(reversed(parts)))[:200].strip("-")

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged when every column present in the row exports as it did before."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        for field in self.get_import_fields():
            if field.column_name not in row or field.readonly:
                continue  # a read-only column (status, official_country) is never imported
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = sorted(o.pk for o in field.clean(row))
                old = sorted(o.pk for o in field.get_value(original).all())
                if new != old:
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def before_save_instance(self, instance, row, **kwargs):
        # The change history records who imported, as for an edit in the admin.
        user = kwargs.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            instance._history_user = user
        file_name = kwargs.get("file_name")
        instance._change_reason = f"CSV import{f' of {file_name}' if file_name else ''}"

    def after_save_instance(self, instance, row, **kwargs):
        names = getattr(instance, "_import_aliases", None)
        if names is None or (kwargs.get("dry_run") and not kwargs.get("using_transactions")):
            return
        field = next(f for f in self.fields.values() if isinstance(f, AliasesField))
        wanted = {n.lower(): n for n in names}
        existing = {a.name.lower(): a for a in instance.aliases.all()}
        for key, alias in existing.items():
            if key not in wanted:
                alias._history_user = getattr(instance, "_history_user", None)
                alias.delete()
        for key, name in wanted.items():
            if key not in existing:
                alias = field.alias_model(name=name, **{self.alias_owner: instance})
                alias._history_user = getattr(instance, "_history_user", None)
                try:
                    alias.full_clean()
                except ValidationError as exc:
                    raise ValidationError(
                        {"aliases": f"{name!r}: " + " ".join(exc.messages)}
                    ) from None
                alias.save()
        instance._import_aliases = None

    # -- reporting -------------------------------------------------------------------------

    def column_of(self, attribute: str) -> str:
        for field in self.fields.values():
            if field.attribute == attribute or (
                isinstance(field, PartialDateField)
                and attribute in (field.precision_attribute, getattr(field, "end_attribute", None))
            ):
                return field.column_name
        return attribute

    def problems(self, result: Result) -> list[RowProblem]:
        """Every reason the import failed, as lines staff can act on (file, then rows)."""
        found = list(getattr(result, "header_problems", None) or [])
        if not found:
            for error in result.base_errors:
                found.append(RowProblem(None, "", "", str(error.error)))
        for number, errors in result.row_errors():
            for error in errors:
                found.append(RowProblem(self.line_of(number, result), "", "", f"{error.error}"))
        for invalid in result.invalid_rows:
            values = dict(zip(result.diff_headers, invalid.values, strict=False))
            for attribute, messages in invalid.error_dict.items():
                column = "" if attribute == NON_FIELD_ERRORS else self.column_of(attribute)
                value = "" if not column else str(values.get(column, "") or "")
                for message in messages:
                    line = self.line_of(invalid.number, result)
                    found.append(RowProblem(line, column, value, str(message)))
        return found


class BulkResource(BulkImportMixin, DefrelResource):
    """A resource that imports in batches (``engagements.bulkimport``).

    Every resource but three: countries and officials (their ``aliases`` cell adds and
    removes alias rows after each row is saved) and tenure citations (named through their
    tenure's official, post and start) import a row at a time.
    """

    class Meta(DefrelResource.Meta):
        abstract = True
        use_bulk = True
        batch_size = 1_000
        instance_loader_class = PreloadingInstanceLoader
        skip_diff = True  # new rows need no copy; updated ones keep one (see skip_row)


class CountryResource(DefrelResource):
    iso2 = fields.Field("iso2", "iso2", widget=TextWidget())
    aliases = AliasesField(CountryAlias)
    alias_owner = "country"
    prefetch = ("aliases",)

    class Meta(DefrelResource.Meta):
        model = Country
        import_id_fields = ["iso2"]
        fields = ["iso2", "iso3", "name", "official_name", "aliases"]


class CountryAliasResource(BulkResource):
    """Another name of a country, one per row (the ``aliases`` cell of countries holds all)."""

    country = fields.Field("country", "country", widget=CountryWidget())
    related = ("country",)

    class Meta(BulkResource.Meta):
        model = CountryAlias
        import_id_fields = ["name"]
        fields = ["name", "country"]


class GroupingResource(BulkResource):
    members = fields.Field("members", "members", widget=CountryListWidget())
    prefetch = ("members",)

    class Meta(BulkResource.Meta):
        model = Grouping
        import_id_fields = ["slug"]
        fields = ["slug", "name", "short_name", "kind", "members", "description"]


class SourceResource(BulkResource):
    published = PartialDateField("published_on", "published_precision", "published")

    class Meta(BulkResource.Meta):
        model = Source
        import_id_fields = ["key"]
        fields = [
            "key",
            "title",
            "publisher",
            "url",
            "published",
            "dateline",
            "summary",
            "curation_notes",
        ]


class OfficialResource(DefrelResource):
    """Officials. A new official whose name is the name or an alias of one of the country's
    officials (or of a new row above it in the file) is refused as a possible duplicate, as
    in the admin's form, unless its ``allow_duplicate`` cell says ``yes`` (import-only)."""

    country = fields.Field("country", "country", widget=CountryWidget())
    aliases = AliasesField(OfficialAlias)
    allow_duplicate = fields.Field(
        column_name="allow_duplicate", widget=YesNoWidget(), readonly=True
    )
    alias_owner = "official"
    related = ("country",)
    prefetch = ("aliases",)
    import_only = ("allow_duplicate",)

    class Meta(DefrelResource.Meta):
        model = Official
        import_id_fields = ["slug"]
        fields = ["slug", "name", "honorific", "country", "aliases", "notes", "allow_duplicate"]

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.pk is None and instance.name and instance.country_id:
            problem = self.duplicate_problem(instance, row)
            if problem:
                errors.setdefault(problem[0], []).append(problem[1])
        if errors:
            raise ValidationError(errors)

    def duplicate_problem(self, instance, row) -> tuple[str, str] | None:
        """``(attribute, message)`` when a new official looks like one already known."""
        if "allow_duplicate" in row:
            try:
                if self.fields["allow_duplicate"].clean(row):
                    return None
            except ValueError as exc:
                return ("allow_duplicate", str(exc))
        # Rows above this one are already written in the import's transaction: a second new
        # row of the same name in the file is caught here too.
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

    official = fields.Field("official", "official", widget=OfficialWidget())
    official_country = fields.Field(
        "official__country", "official_country", widget=CountryWidget(), readonly=True
    )
    related = ("official__country",)

    class Meta(BulkResource.Meta):
        model = OfficialAlias
        import_id_fields = ["official", "name"]
        fields = ["official", "official_country", "name"]


class PostResource(BulkResource):
    country = fields.Field("country", "country", widget=CountryWidget())
    related = ("country",)

    class Meta(BulkResource.Meta):
        model = Post
        import_id_fields = ["slug"]
        fields = ["slug", "title", "country", "organisation"]


class TenureResource(BulkResource):
    official = fields.Field("official", "official", widget=OfficialWidget())
    official_country = fields.Field(
        "official__country", "official_country", widget=CountryWidget(), readonly=True
    )
    post = fields.Field("post", "post", widget=KeyWidget(Post))
    start = PartialDateField("start_date", "start_precision", "start")
    start_exact = fields.Field("start_exact", "start_exact", widget=YesNoWidget())
    end = PartialDateField("end_date", "end_precision", "end")
    end_exact = fields.Field("end_exact", "end_exact", widget=YesNoWidget())
    related = ("official__country", "post")

    class Meta(BulkResource.Meta):
        model = Tenure
        import_id_fields = ["official", "post", "start"]
        fields = [
            "official",
            "official_country",
            "post",
            "start",
            "start_exact",
            "end",
            "end_exact",
        ]


class MeetingResource(BulkResource):
    """Meetings. Countries, groupings, mechanisms and parents are looked up once per import."""

    self_references = ("parent",)

    dates = DateSpanField("start_date", "end_date", "date_precision", "dates")
    country = fields.Field("country", "country", widget=CountryWidget())
    host = fields.Field("host", "host", widget=CountryWidget())
    countries = fields.Field("countries", "countries", widget=CountryListWidget())
    grouping = fields.Field("grouping", "grouping", widget=KeyWidget(Grouping))
    mechanism = fields.Field("mechanism", "mechanism", widget=KeyWidget(Initiative))
    edition = fields.Field("edition", "edition", widget=IntWidget())
    parent = fields.Field("parent", "parent", widget=KeyWidget(Meeting))
    slug_from = ("title", "dates")
    related = ("country", "host", "grouping", "mechanism", "parent")
    prefetch = ("countries",)

    class Meta(BulkResource.Meta):
        model = Meeting
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "dates",
            "city",
            "country",
            "host",
            "countries",
            "grouping",
            "mechanism",
            "edition",
            "parent",
            "summary",
        ]


class ParticipationResource(BulkResource):
    meeting = fields.Field("meeting", "meeting", widget=KeyWidget(Meeting))
    official = fields.Field("official", "official", widget=OfficialWidget())
    official_country = fields.Field(
        "official__country", "official_country", widget=CountryWidget(), readonly=True
    )
    post = fields.Field("post", "post", widget=KeyWidget(Post))
    related = ("meeting", "official__country", "post")

    class Meta(BulkResource.Meta):
        model = Participation
        import_id_fields = ["meeting", "official"]
        fields = ["meeting", "official", "official_country", "post", "role", "note"]

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


class AgreementResource(BulkResource):
    """Agreements, with their current status and its date (exported only: the status history
    is imported as ``agreementstatuschange`` rows; these two columns are ignored on import)."""

    parties = fields.Field("parties", "parties", widget=CountryListWidget())
    party_groupings = fields.Field(
        "party_groupings", "party_groupings", widget=KeyListWidget(Grouping)
    )
    status = fields.Field(column_name="status", readonly=True)
    status_date = fields.Field(column_name="status_date", readonly=True)
    prefetch = ("parties", "party_groupings")

    class Meta(BulkResource.Meta):
        model = Agreement
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "short_name",
            "kind",
            "parties",
            "party_groupings",
            "status",
            "status_date",
            "summary",
        ]

    @classmethod
    def export_queryset(cls, queryset=None):
        """Rows annotated with the latest status, its date and precision (subqueries in the
        same SELECT, not a query per row); the reading room's list is already annotated."""
        queryset = super().export_queryset(queryset)
        annotations = queryset.query.annotations
        if "current_status" not in annotations or "current_status_date" not in annotations:
            queryset = queryset.with_status()
        if "current_status_precision" not in annotations:
            latest = AgreementStatusChange.objects.filter(agreement=OuterRef("pk")).order_by(
                F("date").desc(nulls_last=True), "-id"
            )
            queryset = queryset.annotate(
                current_status_precision=Subquery(latest.values("precision")[:1])
            )
        return queryset

    def dehydrate_status(self, agreement) -> str:
        return getattr(agreement, "current_status", None) or ""

    def dehydrate_status_date(self, agreement) -> str:
        if not getattr(agreement, "current_status", None):
            return ""
        precision = getattr(agreement, "current_status_precision", None) or "day"
        return PartialDate(agreement.current_status_date, precision).isoformat()


class AgreementStatusChangeResource(BulkResource):
    agreement = fields.Field("agreement", "agreement", widget=KeyWidget(Agreement))
    date = PartialDateField("date", "precision", "date")
    source = fields.Field("source", "source", widget=KeyWidget(Source, field="key"))
    paragraph = fields.Field("paragraph", "paragraph", widget=IntWidget())
    related = ("agreement", "source")

    class Meta(BulkResource.Meta):
        model = AgreementStatusChange
        import_id_fields = ["agreement", "status", "date"]
        fields = ["agreement", "status", "date", "source", "paragraph", "note"]


class AgreementRelationResource(BulkResource):
    subject = fields.Field("subject", "subject", widget=KeyWidget(Agreement))
    object = fields.Field("object", "object", widget=KeyWidget(Agreement))
    related = ("subject", "object")

    class Meta(BulkResource.Meta):
        model = AgreementRelation
        import_id_fields = ["subject", "kind", "object"]
        fields = ["subject", "kind", "object", "note"]


class AgreementMeetingResource(BulkResource):
    agreement = fields.Field("agreement", "agreement", widget=KeyWidget(Agreement))
    meeting = fields.Field("meeting", "meeting", widget=KeyWidget(Meeting))
    related = ("agreement", "meeting")

    class Meta(BulkResource.Meta):
        model = AgreementMeeting
        import_id_fields = ["agreement", "meeting", "role"]
        fields = ["agreement", "meeting", "role"]


class InitiativeResource(BulkResource):
    countries = fields.Field("countries", "countries", widget=CountryListWidget())
    groupings = fields.Field("groupings", "groupings", widget=KeyListWidget(Grouping))
    start = PartialDateField("start_date", "start_precision", "start")
    meetings = fields.Field("meetings", "meetings", widget=KeyListWidget(Meeting))
    agreements = fields.Field("agreements", "agreements", widget=KeyListWidget(Agreement))
    prefetch = ("countries", "groupings", "meetings", "agreements")

    class Meta(BulkResource.Meta):
        model = Initiative
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "countries",
            "groupings",
            "start",
            "summary",
            "meetings",
            "agreements",
        ]


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


class PartialDateWidget(widgets.Widget):
    """A partial date cell read as its (first) day, for lookups; see ``PartialDateField``."""

    def clean(self, value, row=None, **kwargs):
        try:
            return PartialDate.parse(str(value or "")).date
        except PartialDateError as exc:
            raise ValueError(str(exc)) from None


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

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.tenure_id is None:
            try:
                lookup = {
                    name: self.fields[name].clean(row) for name in ("official", "post", "start")
                }
                instance.tenure = Tenure.objects.get(
                    official=lookup["official"], post=lookup["post"], start_date=lookup["start"]
                )
            except ValueError as exc:
                errors.setdefault("tenure", []).append(str(exc))
            except Tenure.DoesNotExist:
                errors.setdefault("tenure", []).append(
                    "No tenure of this official in this post starts on this date."
                )
        if errors:
            raise ValidationError(errors)


#: Resources by model name (``meeting``, ``countryalias``), for the commands and the admin.
RESOURCES: dict[str, type[DefrelResource]] = {}
for _resource in list(globals().values()):
    if (
        isinstance(_resource, type)
        and issubclass(_resource, DefrelResource)
        and _resource._meta.model is not None  # not the abstract bases
    ):
        RESOURCES[_resource._meta.model._meta.model_name] = _resource


def resource_for(model: type[models.Model]) -> type[DefrelResource]:
    """The resource that defines the CSV columns of ``model``."""
    return RESOURCES[model._meta.model_name]
