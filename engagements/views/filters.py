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
from .filterfields import (
    CountryCodesFilter,
    OnDateFilter,
    SearchFilter,
    YearFilter,
    choices_filter,
    sort_filter,
    year_bounds,
)
from .formmarkup import WIDGET_MARKUP
from .pagination import Key, Sort, date_key

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


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
