"""The admin's autocomplete boxes offer the record typed first, so Enter picks the right one.

Driven through the admin's autocomplete address, as the select boxes call it, logged in as an
Editor: an exact code, name or alias ranks first, then names starting with the term, then the
other matches; labels tell namesakes apart; a request costs the same queries however many
records it lists.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagements.models import (
    Country,
    Initiative,
    Meeting,
    Official,
    OfficialAlias,
    Post,
    PostAlias,
    Tenure,
)
from engagements.permissions import EDITORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(login):
    return login(EDITORS)


def offered(client, model_name: str, field_name: str, term: str) -> list[str]:
    """The labels the box of ``model_name.field_name`` offers for ``term``, in order."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "engagements",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200, response.content
    return [result["text"] for result in response.json()["results"]]


@pytest.mark.parametrize(
    ("term", "first"),
    [
        ("IN", "India"),  # its ISO code, not Andorra (“Principality of Andorra”)
        ("in", "India"),
        ("IND", "India"),
        ("India", "India"),  # not British Indian Ocean Territory
        ("ROK", "South Korea"),
        ("KOR", "South Korea"),
        ("Korea", "South Korea"),  # an alias, before North Korea
        ("Republic of Korea", "South Korea"),
        ("Lao", "Laos"),
        ("Lao PDR", "Laos"),
        ("LA", "Laos"),
    ],
)
def test_a_country_typed_exactly_comes_first(editor, term, first):
    labels = offered(editor, "meeting", "country", term)
    assert labels[0] == first, labels[:5]


def test_countries_starting_with_the_term_come_before_the_other_matches(editor):
    labels = offered(editor, "meeting", "countries", "Ind")
    assert labels.index("India") < labels.index("British Indian Ocean Territory")
    assert labels.index("Indonesia") < labels.index("British Indian Ocean Territory")
    assert labels[:2] == ["India", "Indonesia"]  # both start with it: by name


def test_an_official_found_by_alias_is_labelled_with_country_and_current_post(editor):
    # “Lloyd Austin” is an alias; the name is “Lloyd J. Austin”.
    labels = offered(editor, "participation", "official", "Lloyd Austin")
    assert labels[0] == "Lloyd J. Austin (US, Secretary of Defense)"
    assert offered(editor, "participation", "official", "Rajnath Singh")[0] == (
        "Rajnath Singh (IN, Minister of Defence)"
    )


def test_the_post_shown_is_the_latest_tenures(editor):
    india = Country.objects.get(iso2="IN")
    official = Official.objects.create(slug="test-holder", name="Test Holder", country=india)
    old, new = (Post.objects.create(slug=f"in-test-{n}", title=n, country=india) for n in "AB")
    Tenure.objects.create(official=official, post=new, start_date=dt.date(2022, 1, 1))
    Tenure.objects.create(official=official, post=old, start_date=dt.date(2015, 1, 1))
    assert offered(editor, "participation", "official", "Test Holder") == ["Test Holder (IN, B)"]
    Tenure.objects.filter(official=official).delete()
    assert offered(editor, "participation", "official", "Test Holder") == ["Test Holder (IN)"]


def test_an_exact_official_name_comes_before_longer_names(editor):
    india = Country.objects.get(iso2="IN")
    for slug, name in [("a-test-singh", "Aaa Singh"), ("singh-test-2", "Singh Aaa")]:
        Official.objects.create(slug=slug, name=name, country=india)
    Official.objects.create(slug="just-singh", name="Singh", country=india)
    labels = offered(editor, "participation", "official", "Singh")
    assert labels[0] == "Singh (IN)"
    assert labels[1] == "Singh Aaa (IN)"  # a prefix, before “Aaa Singh”, “Rajnath Singh”…
    assert labels.index("Singh Aaa (IN)") < labels.index("Aaa Singh (IN)")


def test_posts_rank_their_title_and_alias_and_show_their_country(editor):
    # Australia's post sorts first by country; the exact titles go before it.
    Post.objects.create(
        slug="au-assistant-minister-of-defence",
        title="Assistant Minister of Defence",
        country=Country.objects.get(iso2="AU"),
    )
    labels = offered(editor, "participation", "posts", "Minister of Defence")
    assert labels[:3] == [
        "Minister of Defence, India",
        "Minister of Defence, Malaysia",
        "Minister of Defence, New Zealand",
    ]
    assert "Assistant Minister of Defence, Australia" in labels[3:]
    post = Post.objects.get(slug="in-minister-of-defence")
    assert PostAlias.objects.filter(post=post, name="Raksha Mantri").exists()
    assert offered(editor, "participation", "posts", "raksha mantri") == [str(post)]


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "first"),
    [
        ("agreementmeeting", "agreement", "SOSA", "Security of Supply Arrangement (SOSA)"),
        (
            "agreementmeeting",
            "agreement",
            "DCA",
            "India–New Zealand Defence Cooperation Agreement (DCA)",
        ),
        ("initiative", "agreements", "sosa", "Security of Supply Arrangement (SOSA)"),
        ("meeting", "grouping", "Quad", "Quad"),
        ("meeting", "grouping", "ASEAN", "ASEAN"),  # before ADMM-Plus (“ASEAN Defence…”)
        ("meeting", "topics", "Defence", "Defence industry"),  # prefixes, by name
        ("meeting", "topics", "Training", "Training"),
        (
            "meetingcitation",
            "source",
            "002_e5b3391f3894ea28",
            "Rajnath Singh meets counterparts on the sidelines of the 11th ADMM-Plus in Lao PDR",
        ),
    ],
)
def test_short_names_and_codes_come_first(editor, model_name, field_name, term, first):
    labels = offered(editor, model_name, field_name, term)
    assert labels[0] == first, labels[:5]


def test_an_initiative_by_its_short_name(editor):
    maitri = Initiative.objects.get(short_name="MAITRI")
    labels = offered(editor, "outcome", "initiatives", "maitri")
    assert labels[0] == str(maitri)
    assert labels[0].endswith("(MAITRI)")


def test_meetings_rank_an_exact_title_first_and_show_their_dates(editor):
    older = Meeting.objects.create(
        slug="test-jwg",
        title="Joint Working Group",
        kind="mechanism",
        start_date=dt.date(2020, 3, 4),
    )
    Meeting.objects.create(
        slug="test-jwg-ships",
        title="Joint Working Group on Shipbuilding",
        kind="mechanism",
        start_date=dt.date(2025, 5, 6),
    )
    labels = offered(editor, "agreementmeeting", "meeting", "Joint Working Group")
    # Newest first would list the shipbuilding group first; the exact title wins.
    assert labels == [
        "Joint Working Group (4 March 2020)",
        "Joint Working Group on Shipbuilding (6 May 2025)",
    ]
    assert offered(editor, "meeting", "parent", "Quad Summit")[0] == (
        "Quad Summit (21 September 2024)"
    )
    assert offered(editor, "agreementmeeting", "meeting", older.slug)[0] == str(older)


def test_the_change_list_search_still_finds_meetings(editor):
    response = editor.get(reverse("admin:engagements_meeting_changelist"), {"q": "Quad Summit"})
    assert response.status_code == 200
    slugs = [m.slug for m in response.context["cl"].result_list]
    assert "2024-09-21-quad-summit" in slugs


def _queries(client, model_name, field_name, term) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        labels = offered(client, model_name, field_name, term)
    return len(labels), len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_results(editor):
    india = Country.objects.get(iso2="IN")
    post = Post.objects.get(slug="in-minister-of-defence")

    def add_officials(first: int, last: int) -> None:
        for n in range(first, last):
            official = Official.objects.create(
                slug=f"zed-{n}", name=f"Zed Tester {n}", country=india
            )
            OfficialAlias.objects.create(official=official, name=f"Zed Alias {n}")
            Tenure.objects.create(official=official, post=post, start_date=dt.date(2020, 1, 1))

    add_officials(0, 2)
    few = _queries(editor, "participation", "official", "Zed")
    add_officials(2, 18)
    many = _queries(editor, "participation", "official", "Zed")
    assert (few[0], many[0]) == (2, 18)
    assert many[1] == few[1], (few, many)
    # The other boxes: one or two results cost what a page of them costs.
    for model_name, field_name, few_term, many_term in [
        ("participation", "posts", "Raksha Mantri", "Minister"),
        ("tenurecitation", "tenure", "Zed Tester 1", "Zed"),
        ("agreementmeeting", "agreement", "SOSA", "India"),
        ("outcome", "initiatives", "MAITRI", "India"),
        ("agreementmeeting", "meeting", "Quad Summit", "Rajnath"),
        ("meeting", "countries", "Laos", "a"),
        ("meetingcitation", "source", "002_e5b3391f3894ea28", "Singh"),
    ]:
        few = _queries(editor, model_name, field_name, few_term)
        many = _queries(editor, model_name, field_name, many_term)
        assert few[0] < many[0], (model_name, field_name, few, many)
        assert few[1] == many[1], (model_name, field_name, few, many)
