"""The form fields and filters the list pages' filtersets are built from (django-filter).

Each reads a plain GET parameter and fails with a message naming the value: countries by
code, name or alias, years, a day, month or year, the search words, choices and the sort.
"""

from __future__ import annotations

import re

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from ..dates import PartialDate, PartialDateError
from ..models import Country
from ..search import search
from .pagination import Sort

MIN_YEAR, MAX_YEAR = 1900, 2100
ISO2 = re.compile(r"^[A-Za-z]{2}$")


class CountryCodesInput(forms.TextInput):
    """A text box of comma-separated codes, suggested from the country list (a datalist)."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "list": "country-codes",
                "autocomplete": "off",
                "placeholder": "e.g. KR, US",
                **(attrs or {}),
            }
        )

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return super().format_value(value)


class CountryCodesField(forms.Field):
    """One or more countries (``?country=KR&country=US``) by ISO alpha-2 or alpha-3 code,
    name or alias (“ROK”, “South Korea”), any case; unknown ones fail, naming the value.

    Commas separate countries (``KR, US``) unless the whole value is one name with a comma
    (“Korea, Republic of”)."""

    widget = CountryCodesInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        parts = []
        for raw in values:
            raw = str(raw).strip()
            if "\x00" in raw:
                raise forms.ValidationError(
                    "A country cannot contain a NUL character.", code="invalid"
                )
            split = raw.split(",")
            whole = len(split) > 1 and not all(ISO2.match(p.strip()) for p in split)
            parts.extend([raw] if whole and _names_country(raw) else split)
        return list(dict.fromkeys(p.strip()[:200] for p in parts if p.strip()))

    def clean(self, value) -> list[Country]:
        """The countries, in the order given (one query for codes; names another); unknown
        values are an error."""
        given = super().clean(value)
        if not given:
            return []
        codes = {v.upper() for v in given if ISO2.match(v)}
        found = {c.iso2: c for c in Country.objects.filter(iso2__in=codes).only("iso2", "name")}
        named = {}
        others = [v for v in given if not ISO2.match(v)]
        if others:
            named = _countries_named(others)
        result, unknown_codes, unknown_names = [], [], []
        for v in given:
            country = found.get(v.upper()) if ISO2.match(v) else named.get(v.lower())
            if country is not None:
                result.append(country)
            elif ISO2.match(v):
                unknown_codes.append(v.upper())
            else:
                unknown_names.append(v[:40])
        if unknown_codes:
            raise forms.ValidationError(
                "No country has the ISO code %(codes)s.",
                code="unknown",
                params={"codes": ", ".join(unknown_codes)},
            )
        if unknown_names:
            raise forms.ValidationError(
                "No country has the code, name or alias %(names)s (give an ISO code such as "
                "KR or KOR, or a name such as South Korea).",
                code="unknown",
                params={"names": ", ".join(f"“{n}”" for n in unknown_names)},
            )
        return list({c.pk: c for c in result}.values())


def _named(texts: list[str]) -> Q:
    condition = Q(pk__in=[])
    for text in texts:
        condition |= Q(name__iexact=text) | Q(official_name__iexact=text)
        condition |= Q(aliases__name__iexact=text)
        if len(text) == 3 and text.isalpha():
            condition |= Q(iso3=text.upper())
    return condition


def _names_country(text: str) -> bool:
    return Country.objects.filter(_named([text])).exists()


def _countries_named(texts: list[str]) -> dict[str, Country]:
    """``text.lower()`` → the country it names (alpha-3, name, official name or alias)."""
    wanted = {t.lower() for t in texts}
    rows = (
        Country.objects.filter(_named(texts))
        .prefetch_related("aliases")
        .only("iso2", "iso3", "name", "official_name")
        .distinct()
    )
    by_text: dict[str, Country] = {}
    for country in rows:
        names = [country.iso3, country.name, country.official_name]
        names += [a.name for a in country.aliases.all()]
        for name in names:
            if name and name.lower() in wanted:
                by_text.setdefault(name.lower(), country)
    return by_text


class CountryCodesFilter(filters.Filter):
    field_class = CountryCodesField

    def __init__(self, *args, through=None, through_field="", **kwargs):
        """``through``: the m2m table linking the record to countries (its column names)."""
        self.through = through
        self.through_field = through_field
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: list[Country]) -> QuerySet:
        if not value:
            return qs
        ids = [country.pk for country in value]
        if self.through is None:  # a plain foreign key to Country
            return qs.filter(**{f"{self.field_name}_id__in": ids})
        # EXISTS instead of a join: no duplicate rows, no DISTINCT, any of the countries.
        # Country ids (not codes) let PostgreSQL see how rare a country is and plan for it.
        links = self.through.objects.filter(
            **{self.through_field: OuterRef("pk"), "country_id__in": ids}
        )
        return qs.filter(Exists(links))


def _year_in_range(value: int) -> None:
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise forms.ValidationError(
            "%(value)s is not a year covered here: give one from %(first)s to %(last)s.",
            code="range",
            params={
                "value": value if abs(value) < 10**6 else f"{str(value)[:6]}…",
                "first": MIN_YEAR,
                "last": MAX_YEAR,
            },
        )


class YearField(forms.IntegerField):
    """A year (``2019``); a message naming the value when it is not one."""

    default_validators = [_year_in_range]

    def __init__(self, **kwargs):
        attrs = {"inputmode": "numeric", "min": MIN_YEAR, "max": MAX_YEAR}
        kwargs.setdefault("widget", forms.NumberInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                "“%(value)s” is not a year: write it in digits, e.g. 2019.",
                code="invalid",
                params={"value": str(value)[:20]},
            ) from None


class YearFilter(filters.NumberFilter):
    field_class = YearField


class OnDateField(forms.CharField):
    """A day, month or year (``2024-11-21``, ``2024-11``, ``2024``): “on this date” means any
    day of it. Cleans to a PartialDate; a message naming the value when it is none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "YYYY-MM-DD, YYYY-MM or YYYY"})
        )
        super().__init__(**kwargs)

    def clean(self, value) -> PartialDate | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            when = PartialDate.parse(text)
        except PartialDateError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
        if not MIN_YEAR <= when.date.year <= MAX_YEAR:
            raise forms.ValidationError(
                "%(value)s is not a date covered here: give one from %(first)s to %(last)s.",
                code="range",
                params={"value": text, "first": MIN_YEAR, "last": MAX_YEAR},
            )
        return when


class OnDateFilter(filters.Filter):
    field_class = OnDateField


class SearchFilter(filters.CharFilter):
    """``q``: the user's words, handed to ``engagements.search.search`` (never SQL or HTML)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        return search(qs, value) if value else qs


def choices_filter(choices, label: str, **kwargs) -> filters.MultipleChoiceFilter:
    """One or more of ``choices`` (``?kind=summit&kind=visit``), as checkboxes.

    ``distinct=False``: a plain column test cannot repeat rows, and DISTINCT would make the
    database sort the whole result before the page is cut.
    """
    return filters.MultipleChoiceFilter(
        choices=choices,
        label=label,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


def sort_filter(sorts: dict[str, Sort]) -> filters.ChoiceFilter:
    """``sort``: validated like any parameter; the list view applies it (keyset ordering)."""
    return filters.ChoiceFilter(
        choices=[(key, sort.label) for key, sort in sorts.items()],
        method=lambda qs, name, value: qs,
        label="Sort by",
        empty_label=None,
    )


def year_bounds(data: dict, name: str, date_field: str) -> dict | None:
    """Both year bounds as lookups on one related row (``from`` and ``to`` together).

    Records matched through a related table (an agreement's status changes, an official's
    meetings) need both bounds on the same row: two separate EXISTS would let an event
    before the range and another after it pass. The pair is applied once, by ``year_from``
    (or by ``year_to`` alone); None when there is nothing (more) to apply.
    """
    first, last = data.get("year_from"), data.get("year_to")
    if name == "year_to" and first is not None:
        return None  # already applied with year_from
    bounds = {}
    if first is not None:
        bounds[f"{date_field}__year__gte"] = first
    if last is not None:
        bounds[f"{date_field}__year__lte"] = last
    return bounds or None
