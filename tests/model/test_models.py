"""The model: database constraints, their messages, and the queries the facts need."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagements.dates import PartialDate
from engagements.models import (
    Agreement,
    AgreementRelation,
    AgreementStatusChange,
    Country,
    CountryAlias,
    Meeting,
    MeetingCitation,
    Official,
    Participation,
    Post,
    Source,
    Tenure,
)

pytestmark = pytest.mark.django_db


def violates(obj, *names: str) -> None:
    """Saving ``obj`` fails in the database, which names one of ``names``.

    PostgreSQL names the constraint; SQLite names a CHECK constraint but, for a unique one,
    the columns (or the index), so a test may give several names.
    """
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        obj.save()
    message = str(excinfo.value)
    assert any(name in message for name in names), message


def meeting(**fields) -> Meeting:
    defaults = {"slug": "test-meeting", "title": "Test meeting", "kind": "bilateral"}
    return Meeting(**(defaults | fields))


# --- dates and their precision ---------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"start_date": dt.date(2024, 11, 5), "date_precision": "month"},  # month not on day 1
        {"start_date": dt.date(2024, 3, 1), "date_precision": "year"},  # year not on 1 January
        {"start_date": dt.date(2024, 1, 1), "date_precision": "unknown"},  # unknown with a date
        {"start_date": None, "date_precision": "day"},  # day without a date
        {
            "start_date": dt.date(2024, 11, 1),
            "end_date": dt.date(2024, 12, 3),
            "date_precision": "month",
        },
    ],
)
def test_database_rejects_dates_inconsistent_with_precision(fields):
    violates(meeting(**fields), "meeting_date_precision")


def test_database_rejects_end_before_start():
    violates(
        meeting(start_date=dt.date(2024, 11, 21), end_date=dt.date(2024, 11, 20)),
        "meeting_end_after_start",
    )


def test_model_validation_explains_end_before_start():
    obj = meeting(start_date=dt.date(2024, 11, 21), end_date=dt.date(2024, 11, 20))
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert "The end date is before the start date." in excinfo.value.message_dict["end_date"]


def test_model_validation_explains_precision_mismatch():
    obj = meeting(start_date=dt.date(2024, 11, 5), date_precision="month")
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert "do not match their precision" in str(excinfo.value)


def test_consistent_dates_of_every_precision_are_accepted():
    for n, (start, end, precision) in enumerate(
        [
            (dt.date(2024, 11, 21), None, "day"),
            (dt.date(2019, 9, 2), dt.date(2019, 9, 6), "day"),
            (dt.date(2024, 11, 1), None, "month"),
            (dt.date(2023, 1, 1), None, "year"),
            (None, None, "unknown"),
        ]
    ):
        obj = meeting(slug=f"ok-{n}", start_date=start, end_date=end, date_precision=precision)
        obj.full_clean()
        obj.save()
    assert Meeting.objects.filter(slug__startswith="ok-").count() == 5


def test_tenure_end_not_before_start():
    tenure = Tenure(
        official=Official.objects.get(slug="rajnath-singh"),
        post=Post.objects.get(slug="in-prime-minister"),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2023, 1, 1),
        end_precision="day",
    )
    violates(tenure, "tenure_end_after_start")


# --- unique natural keys ----------------------------------------------------------------


def test_unique_natural_keys():
    violates(Country(name="Another India", iso2="IN", iso3="INX"), "iso2")
    violates(meeting(slug="admm-plus-11", date_precision="unknown"), "slug")
    violates(
        Source(
            key="002_e5b3391f3894ea28", title="dup", summary="dup", published_precision="unknown"
        ),
        "key",
    )


def test_country_codes_are_upper_case_iso():
    violates(Country(name="Lowerland", iso2="lw", iso3="LWR"), "country_iso2_format")
    violates(Country(name="Shortland", iso2="XS", iso3="XS"), "country_iso3_format")


def test_country_alias_is_unique_whatever_its_case():
    violates(
        CountryAlias(country=Country.objects.get(iso2="KP"), name="rok"),
        "country_alias_unique_name",
    )


def test_mechanism_edition_is_unique():
    violates(
        meeting(
            slug="dcg-24-again",
            mechanism=Meeting.objects.get(slug="india-uk-defence-consultative-group-24").mechanism,
            edition=24,
            date_precision="unknown",
        ),
        "meeting_unique_mechanism_edition",
        "engagements_meeting.edition",
    )


def test_edition_needs_a_mechanism_or_grouping():
    violates(meeting(edition=3, date_precision="unknown"), "meeting_edition_needs_series")


def test_meeting_cannot_be_its_own_parent():
    obj = Meeting.objects.get(slug="admm-plus-11")
    obj.parent_id = obj.pk
    violates(obj, "meeting_not_own_parent")


def test_one_participation_per_official_and_meeting():
    existing = Participation.objects.select_related("meeting", "official").first()
    violates(
        Participation(meeting=existing.meeting, official=existing.official, role="delegate"),
        "participation_unique",
        "engagements_participation.official_id",
    )


def test_citation_paragraph_from_one_and_unique():
    cited = MeetingCitation.objects.select_related("meeting", "source").first()
    violates(
        MeetingCitation(meeting=cited.meeting, source=cited.source, paragraph=0),
        "meeting_citation_paragraph_positive",
    )
    violates(
        MeetingCitation(meeting=cited.meeting, source=cited.source, paragraph=cited.paragraph),
        "meeting_citation_unique",
        "engagements_meetingcitation.paragraph",
    )


def test_agreement_cannot_amend_itself():
    eol = Agreement.objects.get(slug="india-malaysia-exchange-of-letters-2023")
    violates(
        AgreementRelation(subject=eol, kind="amends", object=eol), "agreement_relation_not_self"
    )


def test_status_change_date_matches_precision():
    violates(
        AgreementStatusChange(
            agreement=Agreement.objects.get(slug="aitiga"),
            status="signed",
            date=dt.date(2009, 8, 13),
            precision="year",
        ),
        "status_change_date_precision",
    )


# --- at most one undated row per natural key ----------------------------------------------
# NULLs are distinct in a plain unique constraint; partial unique indexes close the gap.


def undated_tenure_twin() -> Tenure:
    undated = Tenure.objects.get(official__slug="rajesh-kumar-singh", start_date__isnull=True)
    return Tenure(
        official=undated.official,
        post=undated.post,
        start_date=None,
        start_precision="unknown",
    )


def undated_status_twin() -> AgreementStatusChange:
    undated = AgreementStatusChange.objects.get(agreement__slug="aitiga", date__isnull=True)
    return AgreementStatusChange(
        agreement=undated.agreement, status=undated.status, date=None, precision="unknown"
    )


def test_database_allows_one_undated_tenure_per_official_and_post():
    violates(undated_tenure_twin(), "tenure_unique_undated", "engagements_tenure.post_id")


def test_model_validation_explains_a_second_undated_tenure():
    twin = undated_tenure_twin()
    message = "This official already has a tenure in this post without a start date."
    with pytest.raises(ValidationError, match=re.escape(message)):
        twin.validate_constraints()
    with pytest.raises(ValidationError, match=re.escape(message)):
        twin.full_clean()


def test_dated_tenure_beside_an_undated_one_is_accepted():
    twin = undated_tenure_twin()
    twin.start_date, twin.start_precision = dt.date(2024, 1, 1), "year"
    twin.full_clean()
    twin.save()
    key = Tenure.objects.get_by_natural_key("rajesh-kumar-singh", twin.post.slug, None)
    assert key.start_date is None


def test_database_allows_one_undated_status_per_agreement():
    violates(
        undated_status_twin(),
        "status_change_unique_undated",
        "engagements_agreementstatuschange.status",
    )


def test_model_validation_explains_a_second_undated_status():
    twin = undated_status_twin()
    message = "This agreement already has this status without a date."
    with pytest.raises(ValidationError, match=re.escape(message)):
        twin.validate_constraints()
    with pytest.raises(ValidationError, match=re.escape(message)):
        twin.full_clean()


# --- participants hold the posts they are linked with ------------------------------------


def test_participant_post_must_be_covered_by_a_tenure():
    talks = Meeting.objects.get(slug="2019-09-rajnath-singh-takeshi-iwaya-talks")
    p = Participation(meeting=talks, official=Official.objects.get(slug="rajnath-singh"))
    held, not_held = Post.objects.filter(slug__in=["in-minister-of-defence", "in-prime-minister"])
    if held.slug != "in-minister-of-defence":
        held, not_held = not_held, held
    # Every post is checked: the one held passes, the other is named.
    assert p.post_problems([held, not_held]) == [
        "No tenure of Rajnath Singh as Prime Minister covers September 2019: add or extend "
        "the tenure first."
    ]
    assert p.post_problems([held]) == []


def test_participant_post_must_be_of_the_officials_country():
    p = Participation.objects.get(
        meeting__slug="2024-11-21-rajnath-singh-lloyd-austin-talks", official__slug="lloyd-austin"
    )
    (problem,) = p.post_problems([Post.objects.get(slug="in-minister-of-defence")])
    assert "not a post of Lloyd J. Austin's country" in problem


def test_a_participant_is_an_official_or_a_description_never_both_nor_neither():
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    singapore = Country.objects.get(iso2="SG")
    wong = Official.objects.get(slug="lawrence-wong")
    with pytest.raises(ValidationError, match="Name the official, or describe"):
        Participation(meeting=meeting).clean()
    with pytest.raises(ValidationError, match="only when no official is named"):
        Participation(meeting=meeting, official=wong, description="Someone").clean()
    with pytest.raises(ValidationError, match="Leave the country blank"):
        Participation(meeting=meeting, official=wong, country=singapore).clean()
    described = Participation(meeting=meeting, description="Someone", country=singapore)
    described.clean()
    assert described.post_problems([Post.objects.get(slug="sg-prime-minister")]) == [
        "Only a named official holds posts: name the official or clear the posts."
    ]
    # The database refuses them too.
    for bad in (
        Participation(meeting=meeting),
        Participation(
            meeting=meeting, official=Official.objects.get(slug="rajnath-singh"), description="x"
        ),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.bulk_create([bad])


def test_described_participants_are_unique_by_description_and_have_a_natural_key():
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    delegation = Participation.objects.get(meeting=meeting, official__isnull=True)
    assert delegation.country.iso2 == "SG"
    key = delegation.natural_key()
    assert key == (meeting.slug, "", delegation.description)
    assert Participation.objects.get_by_natural_key(*key) == delegation
    wong = Participation.objects.get(meeting=meeting, official__slug="lawrence-wong")
    assert Participation.objects.get_by_natural_key(*wong.natural_key()) == wong
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(meeting=meeting, description=delegation.description)
    # Two described participants, and several of them across meetings, are fine.
    Participation.objects.create(meeting=meeting, description="Another delegation")


# --- who held post X on date D --------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "holder"),
    [
        ("2023-07", "Mohamad Hasan"),
        ("2023-07-10", "Mohamad Hasan"),
        ("2024-11", "Khaled Nordin"),
        ("2024-11-20", "Khaled Nordin"),
        ("2024", "Khaled Nordin"),
    ],
)
def test_who_held_malaysias_defence_post(when, holder):
    post = Post.objects.get(country__iso2="MY", title="Minister of Defence")
    tenures = Tenure.objects.filter(post=post).held_during(PartialDate.parse(when))
    assert [t.official.name for t in tenures] == [holder]


def test_post_holders_between_dates():
    post = Post.objects.get(slug="my-minister-of-defence")
    assert list(post.holders_between(dt.date(2023, 1, 1), dt.date(2024, 12, 31))) == list(
        Official.objects.filter(slug__in=["khaled-nordin", "mohamad-hasan"]).order_by("name")
    )
    assert not post.holders_between(dt.date(2022, 1, 1)).exists()


def test_open_ended_tenure_runs_on_and_undated_tenure_covers_nothing():
    official = Official.objects.get(slug="rajesh-kumar-singh")
    undated = official.tenures.get()
    assert not Tenure.objects.filter(pk=undated.pk).held_on(dt.date(2025, 1, 1)).exists()
    undated.start_date, undated.start_precision = dt.date(2024, 11, 1), "month"
    undated.save()
    assert Tenure.objects.filter(pk=undated.pk).held_on(dt.date(2030, 1, 1)).exists()
    assert not Tenure.objects.filter(pk=undated.pk).held_on(dt.date(2024, 10, 31)).exists()


# --- names and display ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["KR", "kor", "South Korea", "ROK", "Republic of Korea"])
def test_country_resolves_codes_names_and_aliases(text):
    assert Country.objects.resolve(text).iso2 == "KR"


def test_country_resolve_names_what_failed():
    with pytest.raises(Country.DoesNotExist, match="'Atlantis'"):
        Country.objects.resolve("Atlantis")


def test_str_shows_dates_with_their_precision():
    assert str(Meeting.objects.get(slug="admm-plus-11")) == (
        "11th ASEAN Defence Ministers' Meeting-Plus (November 2024)"
    )
    visit = Meeting.objects.get(slug="2019-09-rajnath-singh-visit-to-japan-and-korea")
    assert str(visit.dates) == "2–6 September 2019"
    tenure = Tenure.objects.get(official__slug="mohamad-hasan")
    assert tenure.period == "by 10 July 2023 – at least 10 July 2023"


@pytest.mark.parametrize(
    ("start", "end", "exact", "period"),
    [
        (None, None, False, "dates unknown"),
        (None, (dt.date(2024, 11, 1), "month"), False, "until at least November 2024"),
        (None, (dt.date(2024, 11, 20), "day"), True, "until 20 November 2024"),
        ((dt.date(2019, 1, 1), "year"), None, False, "by 2019 –"),
        (
            (dt.date(2019, 9, 2), "day"),
            (dt.date(2024, 1, 1), "year"),
            True,
            "2 September 2019 – 2024",
        ),
    ],
)
def test_tenure_period_says_what_is_known(start, end, exact, period):
    tenure = Tenure(start_exact=exact, end_exact=exact)
    if start:
        tenure.start_date, tenure.start_precision = start
    else:
        tenure.start_date, tenure.start_precision = None, "unknown"
    if end:
        tenure.end_date, tenure.end_precision = end
    assert tenure.period == period


def test_undated_tenure_has_no_question_mark():
    tenure = Tenure.objects.get(official__slug="rajesh-kumar-singh")
    assert tenure.period == "dates unknown"
    assert "?" not in str(tenure)


def test_sorting_and_year_filters_work_across_precisions():
    years = Meeting.objects.in_years(2019, 2019).values_list("date_precision", flat=True)
    assert set(years) == {"day", "month"}
    ordered = list(Meeting.objects.chronological().values_list("slug", flat=True))
    assert ordered.index("2019-09-rajnath-singh-visit-to-japan-and-korea") < ordered.index(
        "2023-midcom-next"
    )
    assert ordered.index("2023-midcom-next") < ordered.index(
        "2023-07-rajnath-singh-visit-to-malaysia"
    )
    assert ordered[-1] in {m.slug for m in Meeting.objects.filter(date_precision="unknown")}


def test_agreement_kept_current_status_and_property_agree():
    for agreement in Agreement.objects.prefetch_related("status_history"):
        assert agreement.current_status == agreement.latest_status.status
