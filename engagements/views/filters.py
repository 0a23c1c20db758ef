"""Filters of the researcher list pages (django-filter), all read from the query string.

Every filter is a plain GET parameter so that any view of the data is a permalink:
``/meetings/?country=KR&year_from=2019&official=rajnath-singh&q=maritime``. Bad values are
form errors with a message naming the value; the page then shows the message and no rows.
"""

from __future__ import annotations

import datetime as dt
import re

import django_filters as filters
from django import forms
from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from ..dates import PartialDate, PartialDateError
from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AgreementStatusChange,
    Country,
    Grouping,
    GroupingKind,
    Initiative,
    InitiativeKind,
    Level,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Official,
    OfficialAlias,
    Outcome,
    OutcomeKind,
    Participation,
    PartnershipLevel,
    Post,
    Source,
    Tenure,
    Topic,
)
from ..search import search
from .formmarkup import WIDGET_MARKUP
from .pagination import Key, Sort, date_key

MIN_YEAR, MAX_YEAR = 1900, 2100
ISO2 = re.compile(r"^[A-Za-z]{2}$")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


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


class ReadingRoomFilterSet(filters.FilterSet):
    """The filters of a list page, and the orders it offers.

    ``sorts``: each order's key (``?sort=-date``), label and keyset keys, in the order the
    form offers them; the first is the default. It is declared once, here: it becomes the
    ``sort`` filter (the last of the form) and the list view reads its pages by its keys.
    """

    q = SearchFilter()
    sorts: dict[str, Sort] = {}
    default_sort = ""

    def __init_subclass__(cls, **kwargs):
        # Called inside the metaclass, before it copies declared_filters into base_filters.
        super().__init_subclass__(**kwargs)
        if cls.sorts:
            cls.declared_filters["sort"] = sort_filter(cls.sorts)
            cls.default_sort = next(iter(cls.sorts))

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.default_renderer = WIDGET_MARKUP
        return form_class


class OfficialField(forms.CharField):
    """An official by identifier (``rajnath-singh``) or by exact name or alias, any case.

    Cleans to the Official; a name shared by several officials is an error listing their
    identifiers, so the researcher can pick one.
    """

    widget = forms.TextInput(
        attrs={"list": "official-names", "autocomplete": "off", "placeholder": "name or identifier"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value) -> Official | None:
        text = super().clean(value)  # length, no NUL characters (PostgreSQL refuses them)
        if not text:
            return None
        if SLUG.fullmatch(text):
            official = Official.objects.filter(slug=text).only("pk", "slug", "name").first()
            if official is not None:
                return official
        aliases = OfficialAlias.objects.filter(official=OuterRef("pk"), name__iexact=text)
        named = list(
            Official.objects.filter(Q(name__iexact=text) | Q(Exists(aliases)))
            .only("pk", "slug", "name")
            .order_by("slug")[:11]
        )
        if len(named) == 1:
            return named[0]
        if named:
            slugs = ", ".join(o.slug for o in named[:10]) + (", …" if len(named) > 10 else "")
            raise forms.ValidationError(
                "“%(value)s” names several officials: give one identifier (%(slugs)s).",
                code="ambiguous",
                params={"value": text[:60], "slugs": slugs},
            )
        raise forms.ValidationError(
            "No official has the identifier or name “%(value)s”.",
            code="unknown",
            params={"value": text[:60]},
        )


class AttendedFilter(filters.Filter):
    field_class = OfficialField

    def __init__(self, *args, path: str | tuple[str, ...] = "meeting", **kwargs):
        """``path``: from Participation to the filtered record (through a meeting); several
        paths mean any of them (an initiative's meetings, or the sessions of a mechanism)."""
        self.paths = (path,) if isinstance(path, str) else path
        kwargs.setdefault("label", "Official (attended)")
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: Official | None) -> QuerySet:
        if value is None:
            return qs
        condition = Q()
        for path in self.paths:
            attended = Participation.objects.filter(**{path: OuterRef("pk")}, official=value)
            condition |= Exists(attended)
        return qs.filter(condition)


GROUPING_ERRORS = {"invalid_choice": "No grouping has the identifier “%(value)s”."}


def grouping_filter(field_name: str, **kwargs) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Grouping.objects.order_by("short_name"),
        to_field_name="slug",
        label=kwargs.pop("label", "Grouping"),
        empty_label="Any grouping",
        error_messages=GROUPING_ERRORS,
        **kwargs,
    )


TOPIC_ERRORS = {"invalid_choice": "No topic has the identifier “%(value)s”."}


def topic_filter(**kwargs) -> filters.ModelChoiceFilter:
    """``topic``: records with this topic (one at a time, by its identifier).

    A join on the topic links: a record has a topic once, so no row repeats (no DISTINCT).
    """
    return filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        label=kwargs.pop("label", "Topic"),
        empty_label="Any topic",
        error_messages=TOPIC_ERRORS,
        distinct=False,
        **kwargs,
    )


# --- the pages -----------------------------------------------------------------------------


#: A meeting's end, or its start when it has none (never null: a keyset key after the first).
#: The meetings page's queryset carries it (``MeetingListView.base_queryset``).
EXTENT_END = "extent_end"


def extent_end():
    """The last day of a meeting's extent as a column: the date sorts' tie-break."""
    return Coalesce("end_date", "start_date", Value(dt.date(1, 1, 1)), output_field=DateField())


class MeetingFilter(ReadingRoomFilterSet):
    country = CountryCodesFilter(
        label="Country", through=Meeting.countries.through, through_field="meeting"
    )
    year_from = YearFilter(field_name="start_date", lookup_expr="year__gte", label="From year")
    year_to = YearFilter(field_name="start_date", lookup_expr="year__lte", label="To year")
    kind = choices_filter(MeetingKind.choices, "Kind")
    status = choices_filter(
        MeetingStatus.choices,
        label="Status",
    )
    official = AttendedFilter()
    grouping = grouping_filter("grouping")
    topic = topic_filter()

    # On the same start, the longer extent first (oldest first): a visit over 2–6 September
    # comes before the talks of its first day. Newest first is the exact reverse.
    sorts = {
        "-date": Sort(
            "Newest first",
            date_key("start_date", descending=True),
            date_key(EXTENT_END, nullable=False),
        ),
        "date": Sort(
            "Oldest first",
            date_key("start_date"),
            date_key(EXTENT_END, descending=True, nullable=False),
        ),
        "title": Sort("Title A–Z", Key("title")),
        "-title": Sort("Title Z–A", Key("title", descending=True)),
    }

    class Meta:
        model = Meeting
        fields: list[str] = []


class AgreementFilter(ReadingRoomFilterSet):
    country = CountryCodesFilter(
        label="Party", through=Agreement.parties.through, through_field="agreement"
    )
    year_from = YearFilter(method="filter_years", label="From year")
    year_to = YearFilter(method="filter_years", label="To year")
    kind = choices_filter(AgreementKind.choices, "Kind")
    status = choices_filter(
        AgreementStatus.choices,
        method="filter_status",
        label="Current status",
    )
    official = AttendedFilter(
        path="meeting__agreement_links__agreement",
        label="Official (at a meeting where it was signed or discussed)",
    )
    grouping = grouping_filter("party_groupings", label="Party grouping")
    topic = topic_filter()

    sorts = {
        "title": Sort("Title A–Z", Key("title")),
        "-title": Sort("Title Z–A", Key("title", descending=True)),
        "-date": Sort("Latest status first", date_key("current_status_date", descending=True)),
        "date": Sort("Earliest status first", date_key("current_status_date")),
    }

    class Meta:
        model = Agreement
        fields: list[str] = []

    def filter_years(self, qs: QuerySet, name: str, value) -> QuerySet:
        """Agreements with a dated status change (signed, in force…) in the years."""
        bounds = year_bounds(self.form.cleaned_data, name, "date")
        if bounds is None:
            return qs
        steps = AgreementStatusChange.objects.filter(agreement=OuterRef("pk"), **bounds)
        return qs.filter(Exists(steps))

    def filter_status(self, qs: QuerySet, name: str, value: list[str]) -> QuerySet:
        return qs.filter(current_status__in=value) if value else qs


class InitiativeFilter(ReadingRoomFilterSet):
    country = CountryCodesFilter(
        label="Country", through=Initiative.countries.through, through_field="initiative"
    )
    year_from = YearFilter(field_name="start_date", lookup_expr="year__gte", label="From year")
    year_to = YearFilter(field_name="start_date", lookup_expr="year__lte", label="To year")
    kind = choices_filter(InitiativeKind.choices, "Kind")
    level = choices_filter(
        Level.choices, "Partnership level (at any recorded date)", method="filter_level"
    )
    official = AttendedFilter(
        path=("meeting__initiatives", "meeting__mechanism"),
        label="Official (at a meeting or session about it)",
    )
    grouping = grouping_filter("groupings")
    topic = topic_filter()

    sorts = {
        "name": Sort("Name A–Z", Key("name")),
        "-name": Sort("Name Z–A", Key("name", descending=True)),
        "-date": Sort("Newest first", date_key("start_date", descending=True)),
        "date": Sort("Oldest first", date_key("start_date")),
    }

    class Meta:
        model = Initiative
        fields: list[str] = []

    def filter_level(self, qs: QuerySet, name: str, value: list[str]) -> QuerySet:
        """Partnership frameworks recorded at one of the levels, at any date."""
        if not value:
            return qs
        levels = PartnershipLevel.objects.filter(initiative=OuterRef("pk"), level__in=value)
        return qs.filter(Exists(levels))


class OutcomeFilter(ReadingRoomFilterSet):
    """What meetings produced: by kind, by who acted and of or to whom, topic and year."""

    kind = choices_filter(OutcomeKind.choices, "Kind")
    actor = CountryCodesFilter(
        label="Who (actor)", through=Outcome.actors.through, through_field="outcome"
    )
    target = CountryCodesFilter(
        label="Of or to whom (target)", through=Outcome.targets.through, through_field="outcome"
    )
    topic = topic_filter()
    year_from = YearFilter(
        field_name="meeting__start_date", lookup_expr="year__gte", label="From year"
    )
    year_to = YearFilter(field_name="meeting__start_date", lookup_expr="year__lte", label="To year")

    sorts = {
        "-date": Sort("Newest first", date_key("meeting__start_date", descending=True)),
        "date": Sort("Oldest first", date_key("meeting__start_date")),
    }

    class Meta:
        model = Outcome
        fields: list[str] = []


POST_ERRORS = {"invalid_choice": "No post has the identifier “%(value)s”."}


class OfficialFilter(ReadingRoomFilterSet):
    country = CountryCodesFilter(field_name="country", label="Country")
    year_from = YearFilter(method="filter_years", label="Met from year")
    year_to = YearFilter(method="filter_years", label="Met to year")
    post = filters.ModelChoiceFilter(
        queryset=Post.objects.all(),
        to_field_name="slug",
        method="filter_tenure",
        label="Post held",
        empty_label="Any post",
        error_messages=POST_ERRORS,
        widget=forms.TextInput(attrs={"placeholder": "post identifier"}),
    )
    on = OnDateFilter(method="filter_tenure", label="In post on (date)")
    grouping = filters.ModelChoiceFilter(
        queryset=Grouping.objects.order_by("short_name"),
        to_field_name="slug",
        method="filter_grouping",
        label="Country in grouping",
        empty_label="Any grouping",
        error_messages=GROUPING_ERRORS,
    )

    sorts = {
        "name": Sort("Name A–Z", Key("name")),
        "-name": Sort("Name Z–A", Key("name", descending=True)),
        "country": Sort("Country", Key("country__name"), Key("name")),
    }

    class Meta:
        model = Official
        fields: list[str] = []

    def filter_years(self, qs: QuerySet, name: str, value) -> QuerySet:
        """Officials who attended a meeting in the years."""
        bounds = year_bounds(self.form.cleaned_data, name, "meeting__start_date")
        if bounds is None:
            return qs
        attended = Participation.objects.filter(official=OuterRef("pk"), **bounds)
        return qs.filter(Exists(attended))

    def filter_grouping(self, qs: QuerySet, name: str, value: Grouping | None) -> QuerySet:
        return qs.filter(country__groupings=value) if value else qs

    def filter_tenure(self, qs: QuerySet, name: str, value) -> QuerySet:
        """Officials with a tenure of the post, held on the date (both on one tenure, as the
        year bounds are on one meeting): applied once, by ``post`` (or by ``on`` alone)."""
        data = self.form.cleaned_data
        post, when = data.get("post"), data.get("on")
        if name == "on" and post is not None:
            return qs  # applied with post
        tenures = Tenure.objects.filter(official=OuterRef("pk"))
        if post is not None:
            tenures = tenures.filter(post=post)
        if when is not None:
            tenures = tenures.held_during(when)
        return qs.filter(Exists(tenures))


class CountryFilter(ReadingRoomFilterSet):
    grouping = filters.ModelChoiceFilter(
        field_name="groupings",
        queryset=Grouping.objects.order_by("short_name"),
        to_field_name="slug",
        label="Member of",
        empty_label="Any grouping",
        error_messages=GROUPING_ERRORS,
    )
    engaged = filters.BooleanFilter(
        method="filter_engaged",
        label="Only India's partners (countries with records)",
        widget=forms.CheckboxInput,
    )

    # "-meetings" is sorted by the page itself (CountryListView): the keys are its ties' order.
    sorts = {
        "-meetings": Sort("Most meetings first", Key("name")),
        "name": Sort("Name A–Z", Key("name")),
        "-name": Sort("Name Z–A", Key("name", descending=True)),
    }

    class Meta:
        model = Country
        fields: list[str] = []

    def filter_engaged(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        return qs.partners() if value else qs


class GroupingFilter(ReadingRoomFilterSet):
    kind = choices_filter(GroupingKind.choices, "Kind")
    country = CountryCodesFilter(
        label="Member", through=Grouping.members.through, through_field="grouping"
    )

    sorts = {
        "name": Sort("Name A–Z", Key("short_name")),
        "-name": Sort("Name Z–A", Key("short_name", descending=True)),
    }

    class Meta:
        model = Grouping
        fields: list[str] = []


class SourceFilter(ReadingRoomFilterSet):
    year_from = YearFilter(
        field_name="published_on", lookup_expr="year__gte", label="Published from year"
    )
    year_to = YearFilter(
        field_name="published_on", lookup_expr="year__lte", label="Published to year"
    )
    publisher = filters.CharFilter(lookup_expr="iexact", label="Publisher", max_length=200)

    # By key first (the default): its unique index serves every page (published_on has none).
    sorts = {
        "key": Sort("Key", Key("key")),
        "-date": Sort("Newest first", date_key("published_on", descending=True)),
        "date": Sort("Oldest first", date_key("published_on")),
        "title": Sort("Title A–Z", Key("title")),
    }

    class Meta:
        model = Source
        fields: list[str] = []


class PostFilter(ReadingRoomFilterSet):
    """Posts (the offices officials hold): by country and name (the posts page, the API)."""

    country = CountryCodesFilter(field_name="country", label="Country")

    sorts = {
        "title": Sort("Title A–Z", Key("title")),
        "country": Sort("Country", Key("country__name"), Key("title")),
    }

    class Meta:
        model = Post
        fields: list[str] = []
