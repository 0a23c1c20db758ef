"""How one cell becomes a value and back: text, numbers, yes/no, records by natural key.

Widgets that name records memoise their lookups for one import (each resource instance
deep-copies its widgets), and those a bulk import primes look up a whole column at once,
``KEY_CHUNK`` keys per query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import islice, repeat

from django.db import models
from django.db.models import Q
from import_export import widgets

from ..dates import PartialDate, PartialDateError
from ..models import Country, CountryAlias, Official, OfficialAlias, Source
from ..paragraphs import ParagraphListError, format_citations, not_in_source, parse_citations
from .files import LIST_SEPARATOR

#: Keys per ``IN (…)`` lookup when loading what a file names.
KEY_CHUNK = 2_000


def chunked(values: Iterable, size: int = KEY_CHUNK) -> Iterator[list]:
    values = iter(values)
    while chunk := list(islice(values, size)):
        yield chunk


def split_list(value) -> list[str]:
    """The values of a many-to-many cell (``IN; SG``), trimmed, empty ones dropped."""
    text = "" if value is None else str(value)
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def column_cells(dataset, column: str) -> list:
    """Every cell of ``column`` (empty strings when the file has no such column)."""
    if column in (dataset.headers or ()):
        return dataset[column]
    return list(repeat("", len(dataset)))


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


class DecimalWidget(widgets.Widget):
    """A decimal number (``6700000000``, ``6.7``); empty is None. Written in full, without
    an exponent or trailing zeros, as the COPY export writes it."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a number (write 6700000000 or 6.7).") from None
        if not number.is_finite():
            raise ValueError(f"{text!r} is not a number (write 6700000000 or 6.7).")
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return format(Decimal(value).normalize(), "f")


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


class DayWidget(widgets.Widget):
    """An ISO day, ``2024-11-01`` (a derived column: exported only); empty is None."""

    def clean(self, value, row=None, **kwargs):
        return None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


class PartialDateWidget(widgets.Widget):
    """A partial date cell read as its (first) day, for lookups; see ``PartialDateColumn``."""

    def clean(self, value, row=None, **kwargs):
        try:
            return PartialDate.parse(str(value or "")).date
        except PartialDateError as exc:
            raise ValueError(str(exc)) from None


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

    def prime(self, dataset, column: str) -> None:
        """Look up every key of ``column`` at once (a bulk import, before its first row)."""
        self.prime_keys(str(cell or "") for cell in column_cells(dataset, column))

    def prime_keys(self, keys: Iterable[str]) -> None:
        """Look up ``keys`` at once, into the memo."""
        texts = {key.strip() for key in keys}
        for chunk in chunked(sorted(texts - {""} - set(self.memo))):
            for record in self.get_queryset(None, None).filter(**{f"{self.field}__in": chunk}):
                self.memo[str(getattr(record, self.field))] = record

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.field))


class CitationListWidget(widgets.Widget):
    """A record's citations in one cell, ``KEY ¶ 2, 17–26; OTHER ¶ 4``
    (``paragraphs.parse_citations``), cleaned to ``[(source, [paragraphs])]``.

    Each source is found by its key as a citation file's ``source`` column finds it, and its
    paragraphs are checked against its count as a citation row's are (``not_in_source``);
    a bulk import looks up the column's sources at once (``prime``).
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sources = KeyWidget(Source, field="key")

    def __deepcopy__(self, memo):
        return type(self)()

    def prime(self, dataset, column: str) -> None:
        keys = []
        for cell in column_cells(dataset, column):
            try:
                keys.extend(key for key, _ in parse_citations(cell))
            except ParagraphListError:
                continue  # the row says why
        self.sources.prime_keys(keys)

    def clean(self, value, row=None, **kwargs):
        try:
            listed = parse_citations(value)
        except ParagraphListError as exc:
            raise ValueError(str(exc)) from None
        errors, cited = [], []
        for key, numbers in listed:
            try:
                source = self.sources.clean(key)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            problem = not_in_source(numbers, source)
            if problem:
                errors.append(problem)
            cited.append((source, numbers))
        if errors:
            raise ValueError(" ".join(errors))
        return cited

    def render(self, value, obj=None, **kwargs):
        return format_citations((source.key, numbers) for source, numbers in value or ())


class KeyListWidget(widgets.ManyToManyWidget):
    """Related records in one cell by natural key (``quad; asean``); unknown keys are errors."""

    def __init__(self, model, field="slug", **kwargs):
        super().__init__(model, separator=LIST_SEPARATOR, field=field, **kwargs)
        #: Records by key, for one import (a primed column is read from here, no query a row).
        self.memo: dict[str, models.Model] = {}

    def __deepcopy__(self, memo):
        return type(self)(self.model, field=self.field)

    def prime(self, dataset, column: str) -> None:
        """Look up every key of ``column`` at once (a bulk import, before its first row)."""
        keys = {key for cell in column_cells(dataset, column) for key in split_list(cell)}
        for chunk in chunked(sorted(keys - set(self.memo))):
            for record in self.model.objects.filter(**{f"{self.field}__in": chunk}):
                self.memo[str(getattr(record, self.field))] = record

    def clean(self, value, row=None, **kwargs):
        keys = list(dict.fromkeys(split_list(value)))
        if not keys:
            return []
        found = {k: self.memo[k] for k in keys if k in self.memo}
        if len(found) < len(keys):
            lookup = {f"{self.field}__in": [k for k in keys if k not in found]}
            for record in self.model.objects.filter(**lookup):
                key = str(getattr(record, self.field))
                found[key] = self.memo[key] = record
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

    def prime(self, dataset, column: str) -> None:
        """Look up every slug of ``column`` at once (a bulk import, before its first row);
        names and aliases are still looked up (once each) as rows name them."""
        cells = {
            (str(text or "").strip(), str(country or "").strip())
            for text, country in zip(
                column_cells(dataset, column),
                column_cells(dataset, self.country_column),
                strict=True,
            )
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
