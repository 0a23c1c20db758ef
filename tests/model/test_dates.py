"""Partial dates: parsing, formatting, and precision-aware bounds."""

import datetime as dt

import pytest

from engagements.dates import DatePrecision, DateSpan, PartialDate, PartialDateError


@pytest.mark.parametrize(
    ("text", "date", "precision", "human"),
    [
        ("2024", dt.date(2024, 1, 1), "year", "2024"),
        ("2024-11", dt.date(2024, 11, 1), "month", "November 2024"),
        ("2024-11-21", dt.date(2024, 11, 21), "day", "21 November 2024"),
        (" 2024-1 ", dt.date(2024, 1, 1), "month", "January 2024"),
        ("", None, "unknown", "date unknown"),
    ],
)
def test_parse_and_humanize(text, date, precision, human):
    value = PartialDate.parse(text)
    assert value.date == date
    assert value.precision == precision
    assert value.humanize() == human


@pytest.mark.parametrize("text", ["2024", "2024-11", "2024-11-21", ""])
def test_isoformat_round_trips(text):
    assert PartialDate.parse(text).isoformat() == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("21/11/2024", "is not a date"),
        ("November 2024", "is not a date"),
        ("2024-02-30", "is not a real date"),
        ("2024-13", "is not a real date"),
    ],
)
def test_bad_dates_name_the_value(text, message):
    with pytest.raises(PartialDateError) as excinfo:
        PartialDate.parse(text)
    assert message in str(excinfo.value)
    assert repr(text) in str(excinfo.value)


def test_last_day_covers_the_whole_period():
    assert PartialDate.parse("2024-02").last_day() == dt.date(2024, 2, 29)
    assert PartialDate.parse("2023").last_day() == dt.date(2023, 12, 31)
    assert PartialDate.parse("2023-07-10").last_day() == dt.date(2023, 7, 10)


def test_span_parse_and_humanize():
    span = DateSpan.parse("2019-09-02/2019-09-06")
    assert (span.start, span.end, span.precision) == (
        dt.date(2019, 9, 2),
        dt.date(2019, 9, 6),
        DatePrecision.DAY,
    )
    assert span.humanize() == "2–6 September 2019"
    assert span.isoformat() == "2019-09-02/2019-09-06"
    assert DateSpan.parse("2019-08-30/2019-09-02").humanize() == "30 August – 2 September 2019"
    assert DateSpan.parse("2023-07/2023-08").humanize() == "July–August 2023"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-09-06/2019-09-02", "end date is before the start date"),
        ("2019-09/2019-09-06", "same precision"),
        ("2019-09-02/", "both ends"),
    ],
)
def test_bad_spans(text, message):
    with pytest.raises(PartialDateError, match=message):
        DateSpan.parse(text)


@pytest.mark.parametrize(
    ("text", "extent", "end", "human"),
    [
        ("2023-07-10", "single", None, "10 July 2023"),
        ("2019-09-02/2019-09-06", "span", dt.date(2019, 9, 6), "2–6 September 2019"),
        ("2023-07-10/..", "open", None, "from 10 July 2023 (end not reported)"),
        ("2023-07/..", "open", None, "from July 2023 (end not reported)"),
        (
            "[2019-09-02..2019-09-06]",
            "within",
            dt.date(2019, 9, 6),
            "a day between 2 and 6 September 2019",
        ),
        (
            "[2019-08-30..2019-09-02]",
            "within",
            dt.date(2019, 9, 2),
            "a day between 30 August and 2 September 2019",
        ),
        (
            "[2019-12-30..2020-01-02]",
            "within",
            dt.date(2020, 1, 2),
            "a day between 30 December 2019 and 2 January 2020",
        ),
        (
            "[2024-11..2024-12]",
            "within",
            dt.date(2024, 12, 1),
            "a day between November and December 2024",
        ),
        ("", "single", None, "date unknown"),
    ],
)
def test_edtf_extents_parse_humanize_and_round_trip(text, extent, end, human):
    span = DateSpan.parse(text)
    assert (span.extent, span.end) == (extent, end)
    assert span.humanize() == human
    assert span.isoformat() == text
    assert DateSpan.parse(f" {text} ") == span


def test_a_day_within_one_day_is_that_day():
    assert DateSpan.parse("[2019-09-02..2019-09-02]") == DateSpan.parse("2019-09-02")


def test_an_extent_defaults_from_the_end():
    assert DateSpan(dt.date(2019, 9, 2), dt.date(2019, 9, 6)).extent == "span"
    assert DateSpan(dt.date(2019, 9, 2)).extent == "single"


def test_html_datetime_is_plain_iso():
    assert DateSpan.parse("2023-07-10/..").interval() == "2023-07-10"
    assert DateSpan.parse("[2019-09-02..2019-09-06]").interval() == "2019-09-02/2019-09-06"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-07-10/", "write START/.. when only the start is reported"),
        ("../2023-07-10", "both ends of a span need a date"),
        ("/..", "an open end needs a start date"),
        ("[2019-09-02..]", "needs both ends, as in [2019-09-02..2019-09-06]"),
        ("[2019-09-02,2019-09-06]", "write [START..END]"),
        ("2019-09-02..2019-09-06", "write YYYY, YYYY-MM or YYYY-MM-DD, a span START/END"),
        ("[2019-09-06..2019-09-02]", "end date is before the start date"),
        ("[2019-09..2019-09-06]", "same precision"),
        ("2023-07-32/..", "is not a real date"),
        ("2023-07-10?", "an open end START/.. (2023-07-10/..)"),
    ],
)
def test_bad_edtf_names_the_value_and_what_to_write(text, message):
    with pytest.raises(PartialDateError) as excinfo:
        DateSpan.parse(text)
    assert message in str(excinfo.value)
    assert repr(text) in str(excinfo.value)
