"""Participants in CSV files: several posts in one cell, described participants, and the
problems of bad rows named by line, column and value."""

from __future__ import annotations

import csv
import io

import pytest

from engagements.models import Meeting, Participation
from engagements.resources import ParticipationResource
from engagements.resources.files import DefrelCSV, read_csv

pytestmark = pytest.mark.django_db

HEADER = "meeting,official,official_country,description,country,posts,role,note\n"
LAO = "2024-11-20-rajnath-singh-chansamone-chanyalath-talks"


def export_rows(queryset=None) -> list[dict]:
    text = DefrelCSV().export_data(ParticipationResource().export(queryset))
    return list(csv.DictReader(io.StringIO(text)))


def import_text(text: str):
    resource = ParticipationResource()
    result = resource.import_data(read_csv(text.encode()), dry_run=False, use_transactions=True)
    return resource, result


@pytest.fixture
def meeting():
    return Meeting.objects.create(
        slug="2024-11-test-talks",
        title="Test talks",
        kind="bilateral",
        start_date="2024-11-20",
        date_precision="day",
    )


def test_the_seed_exports_both_posts_and_described_participants():
    (row,) = export_rows(Participation.objects.filter(official__slug="chansamone-chanyalath"))
    assert row["posts"] == "la-deputy-prime-minister; la-minister-of-national-defence"
    assert (row["official"], row["official_country"], row["description"], row["country"]) == (
        "Chansamone Chanyalath",
        "LA",
        "",
        "",
    )
    ceos = export_rows(
        Participation.objects.filter(meeting__slug="2019-09-seoul-defence-industry-ceos")
    )
    described = {(r["description"], r["country"]) for r in ceos if not r["official"]}
    assert described == {
        ("CEOs of Korean defence companies", "KR"),
        ("CEOs of Indian defence companies", "IN"),
    }


def test_both_kinds_of_row_import_and_export_back_the_same(meeting):
    text = HEADER + (
        f"{meeting.slug},Chansamone Chanyalath,LA,,,"
        "la-minister-of-national-defence; la-deputy-prime-minister,head,\n"
        f"{meeting.slug},,,A delegation of Lao officials,Lao PDR,,delegate,names not given\n"
    )
    resource, result = import_text(text)
    assert resource.problems(result) == []
    assert result.totals["new"] == 2
    head = meeting.participations.get(official__slug="chansamone-chanyalath")
    assert head.posts.count() == 2
    described = meeting.participations.get(official__isnull=True)
    assert (described.description, described.country.iso2) == (
        "A delegation of Lao officials",
        "LA",
    )
    exported = export_rows(meeting.participations.all())
    assert [(r["official"], r["description"], r["country"], r["posts"]) for r in exported] == [
        (
            "Chansamone Chanyalath",
            "",
            "",
            "la-deputy-prime-minister; la-minister-of-national-defence",
        ),
        ("", "A delegation of Lao officials", "LA", ""),
    ]
    # Exported, imported again: nothing changes; a changed row is found by its key.
    again = DefrelCSV().export_data(ParticipationResource().export(meeting.participations.all()))
    resource, result = import_text(again)
    assert resource.problems(result) == [] and result.totals["skip"] == 2
    resource, result = import_text(
        HEADER + f"{meeting.slug},,,A delegation of Lao officials,LA,,head,\n"
    )
    assert resource.problems(result) == [] and result.totals["update"] == 1
    described.refresh_from_db()
    assert described.role == "head"
    # A file without the description column names officials only.
    resource, result = import_text(
        f"meeting,official,posts,role\n{meeting.slug},Chansamone Chanyalath,"
        "la-minister-of-national-defence,co_chair\n"
    )
    assert resource.problems(result) == [] and result.totals["update"] == 1
    assert list(head.posts.values_list("slug", flat=True)) == ["la-minister-of-national-defence"]


@pytest.mark.parametrize(
    ("cells", "column", "value", "message"),
    [
        (
            "Chansamone Chanyalath,LA,,,la-deputy-prime-minister; la-no-such-post",
            "posts",
            "la-deputy-prime-minister; la-no-such-post",
            "No post has the slug 'la-no-such-post'.",
        ),
        (
            "Chansamone Chanyalath,LA,,,la-deputy-prime-minister; sg-prime-minister",
            "posts",
            "la-deputy-prime-minister; sg-prime-minister",
            "Prime Minister, Singapore is not a post of Chansamone Chanyalath's country.",
        ),
        (
            "Rajnath Singh,IN,,,in-prime-minister",
            "posts",
            "in-prime-minister",
            "No tenure of Rajnath Singh as Prime Minister covers 20 November 2024",
        ),
        (
            ",,CEOs of defence firms,Atlantis,",
            "country",
            "Atlantis",
            "No country has the code, name or alias 'Atlantis'.",
        ),
        (
            ",,CEOs of defence firms,KR,kr-minister-of-national-defence",
            "posts",
            "kr-minister-of-national-defence",
            "Only a named official holds posts",
        ),
        (
            "Rajnath Singh,IN,His delegation,,",
            "description",
            "His delegation",
            "Describe a participant only when no official is named.",
        ),
        (",,,,", "official", "", "Name the official, or describe the participant"),
        (
            "Rajnath Singh,IN,,IN,",
            "country",
            "IN",
            "Leave the country blank for a named official",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_line_column_and_value(meeting, cells, column, value, message):
    text = (
        HEADER + f"{meeting.slug},Rajnath Singh,IN,,,,head,\n{meeting.slug},{cells},participant,\n"
    )
    if cells.startswith("Rajnath Singh"):
        text = HEADER + f"{meeting.slug},{cells},participant,\n"
        line = 2
    else:
        line = 3
    resource, result = import_text(text)
    problems = resource.problems(result)
    assert [(p.line, p.column, p.value) for p in problems] == [(line, column, value)], problems
    assert message in problems[0].message
    assert not meeting.participations.exists()  # all or nothing
