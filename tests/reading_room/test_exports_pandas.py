"""Every export of every list, loaded as a researcher loads it with pandas, loses nothing.

Each table a list exports (its rows, its related and long tables), as CSV read by
``pd.read_csv`` with ``parse_dates`` and as JSON read by ``pd.read_json(orient="table")``:
the rows and values are those read from the database (``columns.typed``), dates come out as
dates, whole numbers as whole numbers, several values as lists, missing values as missing.
The meetings are also checked column by column against the database with plain queries.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from django.urls import reverse

from engagements import views
from engagements.columns.typed import reader, typed
from engagements.models import Country, Initiative, Meeting, Participation
from engagements.resources.files import LIST_SEPARATOR, escape_formula

pytestmark = pytest.mark.django_db

LISTS = {
    "meeting_list": views.MeetingListView,
    "agreement_list": views.AgreementListView,
    "initiative_list": views.InitiativeListView,
    "outcome_list": views.OutcomeListView,
    "official_list": views.OfficialListView,
    "grouping_list": views.GroupingListView,
    "source_list": views.SourceListView,
    "country_list": views.CountryListView,
}
TABLES = [(url, key) for url, view in LISTS.items() for key in view.export_tables()]


@pytest.fixture
def awkward_meetings():
    """Meetings with what trips a CSV reader: every date form, a formula, quotes, commas,
    line breaks, an edition, an empty city, a mechanism and a parent."""
    india, korea = Country.objects.get(iso2="IN"), Country.objects.get(iso2="KR")
    mechanism = Initiative.objects.order_by("pk").first()
    common = {"kind": "bilateral", "country": korea}
    made = [
        Meeting.objects.create(
            slug="awk-year",
            title="=SUM(A1) talks",
            start_date=dt.date(2021, 1, 1),
            date_precision="year",
            edition=7,
            mechanism=mechanism,
            **common,
        ),
        Meeting.objects.create(
            slug="awk-span",
            title='Talks, "quoted"',
            start_date=dt.date(2019, 9, 2),
            end_date=dt.date(2019, 9, 6),
            date_extent="span",
            summary="First line,\nsecond line;\r\nthird",
            **common,
        ),
        Meeting.objects.create(
            slug="awk-month-span",
            title="Month span",
            start_date=dt.date(2018, 10, 1),
            end_date=dt.date(2018, 11, 1),
            date_precision="month",
            date_extent="span",
            **common,
        ),
        Meeting.objects.create(
            slug="awk-open",
            title="Open end",
            start_date=dt.date(2023, 7, 10),
            date_extent="open",
            city="",
            **common,
        ),
        Meeting.objects.create(
            slug="awk-within",
            title="Within",
            start_date=dt.date(2019, 9, 2),
            end_date=dt.date(2019, 9, 6),
            date_extent="within",
            **common,
        ),
        Meeting.objects.create(
            slug="awk-unknown",
            title="Undated",
            start_date=None,
            date_precision="unknown",
            **common,
        ),
    ]
    made[1].parent = made[0]
    made[1].parent_relation = "sidelines"
    made[1].save()
    for meeting in made:
        meeting.countries.set([india, korea])
    return made


def download(client, url_name: str, **params) -> bytes:
    response = client.get(reverse(f"engagements:{url_name}"), params)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def expected_rows(view, key: str) -> tuple[list[str], list[dict]]:
    """The table's columns and each row's values, read from the database: typed readers
    for most kinds, the resource's own text for the two that need it (``columns.typed``)."""
    table = view.export_tables()[key]
    resource = table.resource()
    listed = view.filterset_class({}, queryset=view().base_queryset(), request=None).qs
    sort = view.filterset_class.default_sort
    rows = table.rows(listed.order_by(*view().ordering(sort)), view.related_order)
    columns = list(table.record.exported)
    readers = {}
    for column in columns:
        read = reader(column)
        if read is None:
            field = resource.fields[column.name]
            read = lambda obj, f=field: resource.export_field(f, obj) or None  # noqa: E731
        readers[column.name] = read
    objects = type(resource).export_queryset(rows)
    return [c.name for c in columns], [
        {name: read(obj) for name, read in readers.items()} for obj in objects
    ]


def plain(value, kind: str):
    """A pandas value as Python's: missing as None, a date as its ISO day."""
    if isinstance(value, list):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    return value


def csv_cell_value(value, kind: str):
    """The typed value as a CSV cell reads back in pandas (lists split, formulae escaped)."""
    if kind == "array":
        return value
    if kind == "boolean":
        return "yes" if value else "no"
    if kind == "number" and value is not None:
        return float(value)
    if isinstance(value, str) and kind in ("string", "code"):
        return escape_formula(value)
    return value


@pytest.mark.parametrize(("url_name", "key"), TABLES)
def test_every_table_loads_in_pandas_as_csv_and_json_with_nothing_lost(
    client, awkward_meetings, url_name, key
):
    view = LISTS[url_name]
    model = view.export_tables()[key].record.model
    names, expected = expected_rows(view, key)
    kinds = {c.name: typed(c, model).type for c in view.export_tables()[key].record.exported}
    dates = [n for n in names if kinds[n] == "date"]
    integers = {n: "Int64" for n in names if kinds[n] == "integer"}
    params = {"table": key} if key else {}

    # --- CSV ---
    body = download(client, url_name, format="csv", **params)
    assert body.startswith("\ufeff".encode())
    frame = pd.read_csv(
        io.BytesIO(body),
        encoding="utf-8-sig",
        parse_dates=dates,
        dtype={**integers, **{n: str for n in names if kinds[n] in ("string", "code", "array")}},
        keep_default_na=False,
        na_values=[""],
    )
    assert list(frame.columns) == names
    assert len(frame) == len(expected)
    for name in dates:
        assert str(frame[name].dtype).startswith("datetime64"), name
    for name in integers:
        assert str(frame[name].dtype) == "Int64", name
    for n, row in enumerate(expected):
        read = frame.iloc[n]
        for name in names:
            got = plain(read[name], kinds[name])
            if kinds[name] == "array":
                got = got.split(f"{LIST_SEPARATOR} ") if got else []
            assert got == csv_cell_value(row[name], kinds[name]), (name, n, row)

    # --- JSON ---
    data = download(client, url_name, format="json", **params)
    frame = pd.read_json(io.BytesIO(data), orient="table")
    assert list(frame.columns)[: len(names)] == names
    assert len(frame) == len(expected)
    for name in dates:
        assert str(frame[name].dtype).startswith("datetime64"), name
    for n, row in enumerate(expected):
        read = frame.iloc[n]
        for name in names:
            assert plain(read[name], kinds[name]) == row[name], (name, n, row)


def test_meetings_as_pandas_match_the_database_column_by_column(client, awkward_meetings):
    body = download(client, "meeting_list", format="csv")
    frame = pd.read_csv(
        io.BytesIO(body),
        encoding="utf-8-sig",
        parse_dates=["start_date", "end_date"],
        dtype={"edition": "Int64"},
        keep_default_na=False,
        na_values=[""],
    ).set_index("slug")
    meetings = Meeting.objects.all()
    assert set(frame.index) == set(meetings.values_list("slug", flat=True))
    for slug, start, end, precision, extent, edition in meetings.values_list(
        "slug", "start_date", "end_date", "date_precision", "date_extent", "edition"
    ):
        row = frame.loc[slug]
        assert (None if pd.isna(row.start_date) else row.start_date.date()) == start
        assert (None if pd.isna(row.end_date) else row.end_date.date()) == end
        assert row.date_precision == precision and row.date_extent == extent
        assert (None if pd.isna(row.edition) else int(row.edition)) == edition
    assert frame.loc["awk-year", "dates"] == "2021"
    assert frame.loc["awk-span", "summary"] == "First line,\nsecond line;\r\nthird"
    assert frame.loc["awk-year", "title"] == "'=SUM(A1) talks"  # a formula is shown, not run

    # The long table of countries: exactly the meetings' links, one row each.
    long = pd.read_csv(
        io.BytesIO(download(client, "meeting_list", format="csv", table="countries")),
        encoding="utf-8-sig",
    )
    pairs = Meeting.countries.through.objects.values_list("meeting__slug", "country__iso2")
    assert sorted(map(tuple, long[["meeting", "country"]].values)) == sorted(pairs)
    # Who attended: every participation of the filtered meetings.
    people = pd.read_json(
        io.BytesIO(download(client, "meeting_list", format="json", table="participants")),
        orient="table",
    )
    assert len(people) == Participation.objects.count()
    assert set(people["meeting"]) == set(
        Participation.objects.values_list("meeting__slug", flat=True)
    )


def test_json_is_typed_as_the_api_is(client, awkward_meetings):
    data = json.loads(download(client, "meeting_list", format="json"))
    rows = {row["slug"]: row for row in data["data"]}
    assert data["count"] == len(rows) == Meeting.objects.count()
    year = rows["awk-year"]
    assert year["edition"] == 7 and year["start_date"] == "2021-01-01"
    assert year["date_precision"] == "year" and year["end_date"] is None
    assert year["countries"] == ["IN", "KR"] and year["city"] is None  # null, never ""
    assert rows["awk-unknown"]["start_date"] is None and rows["awk-unknown"]["dates"] is None
    fields = {f["name"]: f for f in data["schema"]["fields"]}
    assert fields["edition"] == {**fields["edition"], "type": "integer", "extDtype": "Int64"}
    assert fields["start_date"]["type"] == "datetime" and fields["countries"]["type"] == "any"
    assert fields["kind"]["constraints"]["enum"][0] == "bilateral"
    assert all(f["description"] for f in data["schema"]["fields"])
    grouping = json.loads(download(client, "grouping_list", format="json", table="memberships"))
    dated = [r for r in grouping["data"] if r["joined_date"]]
    assert dated and all(len(r["joined_date"]) == 10 for r in dated)


def test_the_file_name_records_the_filters(client):
    response = client.get(
        reverse("engagements:meeting_list"),
        {"country": "IN", "year_from": "2019", "format": "csv", "sort": "date", "per_page": 25},
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="meetings_country-IN_year_from-2019.csv"'
    )
    response = client.get(
        reverse("engagements:meeting_list"),
        {"country": ["KR", "US"], "q": "Défense talks", "format": "json", "table": "countries"},
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="meetings-countries_country-KR+US_q-Defense-talks.json"'
    )
    response = client.get(reverse("engagements:agreement_list"), {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="agreements.csv"'
