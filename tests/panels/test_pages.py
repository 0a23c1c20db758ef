"""The panel's page and downloads, as a researcher's script reads them."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from engagements import panels
from tests.reading_room.test_fuzz import FUZZ, values
from tests.reading_room.test_readme_questions import readme_questions

pytestmark = pytest.mark.django_db

URL = "/panels/country-year/"


def test_page_shows_the_filter_a_preview_the_rules_and_the_downloads(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="partner"' in body and 'name="first"' in body and 'name="last"' in body
    assert "format=csv" in body and "format=json" in body and "table=undated" in body
    for rule in panels.RULES:
        assert rule.split(":")[0][:40].replace("'", "&#x27;") in body
    for column in panels.COLUMNS:
        assert f"<code>{column.name}</code>" in body
    assert "Singapore" in body and "Left out: records without a date" in body
    assert "style=" not in body.split("<main", 1)[1]


def test_csv_loads_into_pandas_as_the_panel(client):
    response = client.get(URL, {"format": "csv", "partner": ["SG", "KR"], "first": 2019})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "defrel-country-year_kr-sg_2019-2025.csv" in response["Content-Disposition"]
    assert b"\r\n" not in response.content
    df = pd.read_csv(io.BytesIO(response.content))
    expected = pd.DataFrame(panels.country_year_panel(["SG", "KR"], 2019))
    assert list(df.columns) == [c.name for c in panels.COLUMNS]
    assert len(df) == 2 * (expected["year"].max() - 2019 + 1) == len(expected)
    counts = [c.name for c in panels.COUNT_COLUMNS]
    assert not df[counts].isna().any().any()
    assert df[counts].dtypes.map(pd.api.types.is_integer_dtype).all()
    pd.testing.assert_frame_equal(
        df[counts].reset_index(drop=True), expected[counts].reset_index(drop=True)
    )


def test_json_is_typed_and_describes_its_columns(client):
    response = client.get(URL, {"format": "json", "partner": "SG", "first": 2024, "last": 2025})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["count"] == 2 and body["first_year"] == 2024 and body["last_year"] == 2025
    assert [c["name"] for c in body["columns"]] == [c.name for c in panels.COLUMNS]
    row = body["rows"][1]
    assert row["year"] == 2025 and row["partner_m49"] == 702 and isinstance(row["meetings"], int)
    df = pd.DataFrame(body["rows"])
    assert df["meetings"].sum() == sum(
        r["meetings"] for r in panels.country_year_panel(["SG"], 2024, 2025)
    )


def test_undated_table_downloads(client):
    response = client.get(URL, {"format": "csv", "table": "undated"})
    df = pd.read_csv(io.BytesIO(response.content))
    assert list(df.columns) == [c.name for c in panels.UNDATED_COLUMNS]
    gb = df.set_index("partner_iso2").loc["GB"]
    assert gb["undated_meetings"] == panels.undated_counts(["GB"])[0]["undated_meetings"] > 0


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"format": "xlsx"}, "Unknown format 'xlsx': use one of html, csv, json."),
        ({"table": "bogus"}, "Unknown table 'bogus': use one of panel, undated."),
        ({"format": "csv", "partner": "ZZ"}, "ZZ is not one of the available choices"),
        ({"format": "csv", "first": "2025", "last": "2020"}, "The first year (2025) is after"),
        ({"format": "json", "first": "abc"}, "From year: Enter a whole number."),
        ({"format": "csv", "last": "3000"}, "To year: Ensure this value is less than"),
    ],
)
def test_bad_values_are_a_400_that_names_them(client, params, problem):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert problem in response.content.decode()


def test_a_bad_filter_on_the_page_shows_the_problem(client):
    response = client.get(URL, {"partner": "ZZ"})
    assert response.status_code == 400
    assert "This panel cannot be made" in response.content.decode()


def test_the_page_costs_a_fixed_number_of_queries(client):
    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    years = {"first": 1995, "last": 2025}
    one = queries({**years, "partner": "SG"})
    assert one == queries(years) == queries({**years, "partner": ["SG", "KR", "US"]})
    # Without years, two more: the first and last year of the data.
    assert queries({}) == queries({"partner": "SG"}) == one + 2


def test_the_page_is_read_only(client):
    assert client.post(URL).status_code == 405


def test_the_readme_question_on_minister_level_meetings(client):
    question = "How many minister-level meetings did India hold with each partner, year by year?"
    response = client.get(readme_questions()[question])
    df = pd.read_csv(io.BytesIO(response.content)).set_index(["partner_iso2", "year"])
    ministers = df.loc[(slice(None), 2024), "meetings_level_minister"].droplevel("year")
    assert ministers[ministers > 0].to_dict() == {
        "AU": 2,
        "KR": 2,
        "LA": 2,
        "MY": 1,
        "NZ": 2,
        "US": 3,
    }


def test_no_parameters_give_a_server_error(client):
    names = st.sampled_from(["partner", "first", "last", "format", "table", "bogus"])
    known = st.sampled_from(["SG", "IN", "csv", "json", "undated", "2024", "1899", "-1"])
    pairs = st.lists(st.tuples(names, values | known), min_size=1, max_size=5)

    @FUZZ
    @given(pairs=pairs)
    def fuzz(pairs):
        query = "&".join(f"{name}={value}" for name, value in pairs)
        assert client.get(f"{URL}?{query}").status_code < 500, query

    fuzz()
