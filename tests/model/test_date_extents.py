"""A meeting's date extent: single, span, open end, one day within a span.

The database refuses a combination of extent and dates that says two things at once (an
open end with an end date); model validation says so in words; the year filter and the
participants' tenure check read an open meeting by its start.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagements.models import Country, Meeting, Official, Participation, Post, Tenure

pytestmark = pytest.mark.django_db

JULY_10 = dt.date(2023, 7, 10)
SEP_2, SEP_6 = dt.date(2019, 9, 2), dt.date(2019, 9, 6)


def meeting(**fields) -> Meeting:
    defaults = {"slug": "extent-test", "title": "Extent test", "kind": "visit"}
    return Meeting(**(defaults | fields))


def refused_by_database(**fields) -> str:
    """Writing the fields straight to the table (no save() defaults) fails; the message."""
    obj = meeting(**fields)
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Meeting.objects.bulk_create([obj])
    return str(excinfo.value)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        (
            {"start_date": SEP_2, "end_date": SEP_6, "date_extent": "single"},
            "meeting_single_date_has_no_end",
        ),
        ({"start_date": SEP_2, "date_extent": "span"}, "meeting_span_has_end"),
        ({"start_date": SEP_2, "date_extent": "within"}, "meeting_span_has_end"),
        (
            {"start_date": JULY_10, "end_date": SEP_6.replace(2023), "date_extent": "open"},
            "meeting_open_end_has_start_only",
        ),
        (
            {"start_date": None, "date_precision": "unknown", "date_extent": "open"},
            "meeting_open_end_has_start_only",
        ),
        ({"start_date": JULY_10, "date_extent": "ongoing"}, "meeting_date_extent_valid"),
    ],
)
def test_the_database_refuses_extents_that_contradict_the_dates(fields, constraint):
    message = refused_by_database(**fields)
    assert constraint in message, message


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"start_date": JULY_10, "end_date": dt.date(2023, 7, 12), "date_extent": "open"},
            "end_date",
            "An open end has no end date",
        ),
        (
            {"start_date": None, "date_precision": "unknown", "date_extent": "open"},
            "start_date",
            "An open end needs its start date",
        ),
        ({"start_date": SEP_2, "date_extent": "within"}, "end_date", "needs the span's end"),
        ({"start_date": SEP_2, "date_extent": "span"}, "end_date", "A span needs an end date"),
    ],
)
def test_validation_explains_the_rule(fields, field, message):
    obj = meeting(**fields)
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert any(message in m for m in excinfo.value.message_dict[field])


def test_each_extent_saves_and_reads_back():
    made = {
        "single": meeting(slug="e-single", start_date=JULY_10),
        "span": meeting(slug="e-span", start_date=SEP_2, end_date=SEP_6, date_extent="span"),
        "open": meeting(slug="e-open", start_date=JULY_10, date_extent="open"),
        "within": meeting(slug="e-within", start_date=SEP_2, end_date=SEP_6, date_extent="within"),
    }
    for extent, obj in made.items():
        obj.full_clean()
        obj.save()
        assert Meeting.objects.get(pk=obj.pk).date_extent == extent
    texts = {e: str(Meeting.objects.get(pk=o.pk).dates) for e, o in made.items()}
    assert texts == {
        "single": "10 July 2023",
        "span": "2–6 September 2019",
        "open": "from 10 July 2023 (end not reported)",
        "within": "a day between 2 and 6 September 2019",
    }


def test_an_end_set_without_an_extent_is_a_span_as_before():
    obj = meeting(start_date=SEP_2, end_date=SEP_6)
    obj.save()
    assert Meeting.objects.get(pk=obj.pk).date_extent == "span"


def test_the_seed_codes_each_extent_as_its_source_gives_it():
    extents = dict(Meeting.objects.values_list("slug", "date_extent"))
    assert extents["2025-09-lawrence-wong-visit-to-india"] == "span"  # 2–4 September
    assert extents["2023-07-rajnath-singh-visit-to-malaysia"] == "open"  # a start, no end
    assert extents["2023-07-rajnath-singh-anwar-ibrahim-meeting"] == "within"
    with_end = Meeting.objects.filter(end_date__isnull=False)
    assert set(with_end.values_list("date_extent", flat=True)) == {"span", "within"}
    assert set(
        Meeting.objects.filter(end_date__isnull=True).values_list("date_extent", flat=True)
    ) == {"single", "open"}


def test_an_open_meetings_last_day_is_unknown_but_its_start_is_known():
    open_ = meeting(start_date=JULY_10, date_extent="open")
    assert open_.last_day is None
    assert open_.known_days == (JULY_10, JULY_10)
    month = meeting(start_date=dt.date(2023, 7, 1), date_precision="month", date_extent="open")
    assert month.known_days == (dt.date(2023, 7, 1), dt.date(2023, 7, 31))
    within = meeting(start_date=SEP_2, end_date=SEP_6, date_extent="within")
    assert within.last_day == SEP_6 and within.known_days == (SEP_2, SEP_6)


def test_year_filter_and_order_take_an_open_meeting_by_its_start():
    open_ = meeting(slug="e-open-2023", start_date=JULY_10, date_extent="open")
    open_.save()
    assert open_ in Meeting.objects.in_years(2023, 2023)
    assert open_ not in Meeting.objects.in_years(2024, 2030)
    days = [m.start_date for m in Meeting.objects.chronological() if m.start_date]
    assert days == sorted(days) and JULY_10 in days


@pytest.fixture
def minister():
    country = Country.objects.get(iso2="MY")
    post = Post.objects.create(slug="my-test-post", title="Test post", country=country)
    official = Official.objects.create(slug="test-official", name="Test Official", country=country)
    # In post from 1 July to 15 July 2023.
    Tenure.objects.create(
        official=official,
        post=post,
        start_date=dt.date(2023, 7, 1),
        end_date=dt.date(2023, 7, 15),
        end_precision="day",
    )
    return official, post


@pytest.mark.parametrize(
    ("fields", "held"),
    [
        ({"start_date": JULY_10, "date_extent": "open"}, True),  # in post when it began
        ({"start_date": dt.date(2023, 7, 20), "date_extent": "open"}, False),  # out by then
        (
            {
                "start_date": dt.date(2023, 7, 14),
                "end_date": dt.date(2023, 7, 20),
                "date_extent": "within",
            },
            True,  # the day may have been the 14th or 15th
        ),
    ],
)
def test_a_participants_post_is_checked_against_the_known_days(minister, fields, held):
    official, post = minister
    obj = meeting(**fields)
    obj.save()
    participation = Participation(meeting=obj, official=official)
    problems = participation.post_problems([post])
    assert (problems == []) == held, problems
    if not held:
        assert "No tenure of" in problems[0]
    # The CSV import's path: the tenures loaded beforehand, by post.
    participation.known_tenures = {post.pk: list(official.tenures.filter(post=post))}
    assert (participation.post_problems([post]) == []) == held
