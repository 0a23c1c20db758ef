"""CSV resources: human columns, unchanged round trips, stable keys, history, formula escaping."""

from __future__ import annotations

import csv
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import (
    Agreement,
    AgreementStatusChange,
    Country,
    CountryAlias,
    Meeting,
    Official,
    Participation,
    Post,
    Source,
    Tenure,
)
from engagements.resources import (
    RESOURCES,
    AgreementRelationResource,
    AgreementResource,
    AgreementStatusChangeResource,
    CountryResource,
    GroupingResource,
    InitiativeResource,
    MeetingResource,
    OfficialResource,
    ParticipationResource,
    PostResource,
    SourceResource,
    TenureCitationResource,
    TenureResource,
)
from engagements.resources.files import DefrelCSV, escape_formula, read_csv, unescape_formula

pytestmark = pytest.mark.django_db


def history_rows() -> int:
    return sum(
        m.objects.count()
        for m in apps.get_app_config("engagements").get_models()
        if m.__name__.startswith("Historical")
    )


def export_text(resource_class, queryset=None) -> str:
    return DefrelCSV().export_data(resource_class().export(queryset))


def import_text(resource_class, text: str, **kwargs):
    resource = resource_class()
    result = resource.import_data(read_csv(text.encode()), **kwargs)
    return resource, result


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_named_resources_exist_for_the_researcher_exports():
    for resource in (
        CountryResource,
        GroupingResource,
        SourceResource,
        OfficialResource,
        PostResource,
        TenureResource,
        MeetingResource,
        ParticipationResource,
        AgreementResource,
        AgreementStatusChangeResource,
        AgreementRelationResource,
        InitiativeResource,
    ):
        assert RESOURCES[resource._meta.model._meta.model_name] is resource
        assert hasattr(resource, "export_queryset")


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_export_then_import_changes_nothing(name):
    resource_class = RESOURCES[name]
    model = resource_class._meta.model
    count = model.objects.count()
    assert count, f"the seed has no {name}"
    text = export_text(resource_class)
    history = history_rows()
    resource, result = import_text(resource_class, text)
    assert resource.problems(result) == []
    assert result.totals["skip"] == count
    assert result.totals["new"] == result.totals["update"] == 0
    assert model.objects.count() == count
    assert history_rows() == history  # nothing written, so nothing in the change history
    assert export_text(resource_class) == text


def test_columns_are_human_not_ids():
    text = export_text(
        MeetingResource, Meeting.objects.filter(slug="2025-09-lawrence-wong-visit-to-india")
    )
    (row,) = rows(text)
    assert row["dates"] == "2025-09-02/2025-09-04"
    assert row["country"] == "IN" and row["countries"] == "IN; SG"
    assert "id" not in row
    (row,) = rows(
        export_text(
            ParticipationResource,
            Participation.objects.filter(
                meeting__slug="2025-09-lawrence-wong-visit-to-india", official__slug="lawrence-wong"
            ),
        )
    )
    assert row["official"] == "Lawrence Wong" and row["official_country"] == "SG"
    assert row["posts"] == "sg-prime-minister"
    month = rows(export_text(MeetingResource, Meeting.objects.filter(date_precision="month")))
    assert month and all(len(r["dates"]) == 7 for r in month)


HEADER = "slug,title,kind,status,dates,city,country,host,countries,grouping,citations\n"
#: The sources a new meeting cites (its ``citations`` cell): paragraph 1 of a seeded source.
CITE = "002_e5b3391f3894ea28 ¶ 1"


def test_importing_the_same_new_rows_twice_creates_them_once():
    text = HEADER + (
        "2026-01-test-one,Test one,bilateral,held,2026-01-05,Delhi,India,IN,"
        f"India; Republic of Korea,,{CITE}\n"
        f"2026-01-test-two,Test two,visit,held,2026,,,,SGP,admm-plus,{CITE}\n"
    )
    before = Meeting.objects.count()
    _, first = import_text(MeetingResource, text)
    assert (first.totals["new"], first.totals["skip"]) == (2, 0)
    _, second = import_text(MeetingResource, text)
    assert (second.totals["new"], second.totals["update"], second.totals["skip"]) == (0, 0, 2)
    assert Meeting.objects.count() == before + 2
    one = Meeting.objects.get(slug="2026-01-test-one")
    assert {c.iso2 for c in one.countries.all()} == {"IN", "KR"}  # by name and by alias
    two = Meeting.objects.get(slug="2026-01-test-two")
    assert (two.start_date.isoformat(), two.date_precision) == ("2026-01-01", "year")
    assert two.grouping.slug == "admm-plus"


def test_an_empty_slug_is_made_from_title_and_dates_so_reimport_is_stable():
    text = HEADER + f",Talks on the sidelines,bilateral,held,2026-02-03,,,,IN,,{CITE}\n"
    import_text(MeetingResource, text)
    meeting = Meeting.objects.get(title="Talks on the sidelines")
    assert meeting.slug == "2026-02-03-talks-on-the-sidelines"
    _, again = import_text(MeetingResource, text)
    assert again.totals["skip"] == 1 and again.totals["new"] == 0


def test_an_update_is_counted_and_recorded_in_the_history_with_the_importer():
    user = get_user_model().objects.create_user("importer")
    text = export_text(
        MeetingResource, Meeting.objects.filter(slug="2025-09-lawrence-wong-visit-to-india")
    )
    text = text.replace("New Delhi", "Delhi", 1)
    _, result = import_text(MeetingResource, text, user=user, file_name="fix.csv")
    assert result.totals["update"] == 1
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    assert meeting.city == "Delhi"
    record = meeting.history.latest()
    assert record.history_user == user
    assert record.history_change_reason == "CSV import of fix.csv"
    assert record.prev_record.city == "New Delhi"


def test_official_by_name_alias_or_slug_and_country_settles_clashes():
    kr = Country.objects.get(iso2="KR")
    us = Country.objects.get(iso2="US")
    Official.objects.create(slug="kim-one", name="Kim Test", country=kr)
    Official.objects.create(slug="kim-two", name="Kim Test", country=us)
    head = "meeting,official,official_country,role\n"
    meeting = "2025-09-lawrence-wong-visit-to-india"
    resource, result = import_text(
        ParticipationResource, head + f"{meeting},Kim Test,,participant\n"
    )
    (problem,) = resource.problems(result)
    assert problem.line == 2 and problem.column == "official" and problem.value == "Kim Test"
    assert "names 2 officials" in problem.message and "kim-one (KR)" in problem.message
    _, result = import_text(ParticipationResource, head + f"{meeting},Kim Test,Korea,participant\n")
    assert result.totals["new"] == 1
    assert Participation.objects.get(meeting__slug=meeting, official__slug="kim-one")
    _, result = import_text(ParticipationResource, head + f"{meeting},kim-two,,participant\n")
    assert result.totals["new"] == 1


def test_country_aliases_are_one_cell_and_import_replaces_the_set():
    text = (
        "iso2,iso3,name,official_name,aliases\n"
        "SG,SGP,Singapore,Republic of Singapore,Lion City; SG Republic\n"
    )
    _, result = import_text(CountryResource, text)
    assert result.totals["update"] == 1
    assert set(CountryAlias.objects.filter(country__iso2="SG").values_list("name", flat=True)) == {
        "Lion City",
        "SG Republic",
    }
    taken = CountryAlias.objects.exclude(country__iso2="SG").first()
    clash = text.replace("Lion City", taken.name)
    resource, result = import_text(CountryResource, clash)
    (problem,) = resource.problems(result)
    assert problem.column == "aliases" and taken.name in problem.message
    assert "Lion City" in CountryAlias.objects.filter(country__iso2="SG").values_list(
        "name", flat=True
    )


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tTab"])
def test_export_escapes_spreadsheet_formulae_and_import_restores_them(settings, value):
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
    post = Post.objects.first()
    post.organisation = value
    post.save()
    text = export_text(PostResource, Post.objects.filter(pk=post.pk))
    (row,) = rows(text)
    assert row["organisation"] == "'" + value
    assert PostResource().export_csv_row(post)[3] == "'" + value
    assert PostResource().export_resource(post)[3] == value  # raw for JSON
    _, result = import_text(PostResource, text)
    assert result.totals["skip"] == 1
    post.refresh_from_db()
    assert post.organisation == value


def test_escape_helpers():
    assert escape_formula("Plain") == "Plain"
    assert escape_formula(None) == ""
    assert unescape_formula(escape_formula("=1")) == "=1"
    assert unescape_formula("'quoted") == "'quoted"  # only a formula prefix is removed


def test_export_queryset_keeps_queries_constant():
    def export_queries():
        resource = MeetingResource()
        with CaptureQueriesContext(connection) as ctx:
            for meeting in MeetingResource.export_queryset():
                resource.export_resource(meeting)
        return len(ctx.captured_queries)

    before = export_queries()
    india = Country.objects.get(iso2="IN")
    for i in range(20):
        m = Meeting.objects.create(
            slug=f"q-{i}", title="Q", kind="call", country=india, date_precision="unknown"
        )
        m.countries.set([india])
    assert export_queries() == before
    # Every resource's export costs the same queries for 1 row as for all of them.
    for resource_class in RESOURCES.values():
        model = resource_class._meta.model
        first = model.objects.filter(pk=model.objects.first().pk)
        with CaptureQueriesContext(connection) as one:
            resource = resource_class()  # each export its own resource (and lookup tables)
            [resource.export_resource(o) for o in resource_class.export_queryset(first)]
        with CaptureQueriesContext(connection) as every:
            resource = resource_class()
            [resource.export_resource(o) for o in resource_class.export_queryset()]
        assert len(every.captured_queries) == len(one.captured_queries), resource_class


def test_meeting_import_looks_up_countries_once_per_file():
    lines = [HEADER.strip()]
    for i in range(40):
        lines.append(
            f"bulk-{i},Bulk {i},call,held,2026-03-{i % 28 + 1:02d},,IN,IN,IN; SG; KR,admm-plus,"
            f"{CITE}"
        )
    text = "\n".join(lines) + "\n"
    with CaptureQueriesContext(connection) as ctx:
        _, result = import_text(MeetingResource, text, dry_run=True)
    assert result.totals["new"] == 40
    selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    # Lookups by value, not the reads Django makes when it writes the many-to-many rows.
    country_queries = [
        q for q in selects if 'FROM "engagements_country"' in q and "meeting_countries" not in q
    ]
    alias_queries = [q for q in selects if 'FROM "engagements_countryalias"' in q]
    grouping_queries = [q for q in selects if 'FROM "engagements_grouping"' in q]
    assert len(country_queries) <= 2 and len(alias_queries) <= 2
    assert len(grouping_queries) <= 2
    assert not Meeting.objects.filter(slug="bulk-0").exists()  # dry run


@pytest.fixture
def two_kims():
    """Two officials of South Korea with the same name, and one in the United States."""
    kr, us = Country.objects.get(iso2="KR"), Country.objects.get(iso2="US")
    kims = [
        Official.objects.create(slug="kim-one", name="Kim Test", country=kr),
        Official.objects.create(slug="kim-two", name="Kim Test", country=kr),
        Official.objects.create(slug="kim-us", name="Kim Test", country=us),
    ]
    meeting = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    for kim in kims:
        Participation.objects.create(meeting=meeting, official=kim)
    return kims


def test_participation_export_writes_the_slug_where_the_name_is_ambiguous(two_kims):
    text = export_text(ParticipationResource)
    written = {(r["official"], r["official_country"]) for r in rows(text)}
    assert {("kim-one", "KR"), ("kim-two", "KR"), ("Kim Test", "US")} <= written
    assert ("Lawrence Wong", "SG") in written  # unambiguous names stay names
    resource, result = import_text(ParticipationResource, text)
    assert resource.problems(result) == []
    assert result.totals["skip"] == Participation.objects.count()
    assert result.totals["new"] == result.totals["update"] == 0


def test_duplicate_rows_are_found_by_the_record_they_name(two_kims):
    head = "meeting,official,official_country,role\n"
    meeting = "2026-01-test-one"
    Meeting.objects.create(slug=meeting, title="T", kind="call", date_precision="unknown")
    resource, result = import_text(
        ParticipationResource,
        head + f"{meeting},lawrence-wong,,participant\n{meeting},Lawrence Wong,SG,head\n",
    )
    (problem,) = resource.problems(result)
    assert problem.line == 3 and "Duplicate of line 2" in problem.message
    # The same name in two countries is two officials, not a duplicate.
    resource, result = import_text(
        ParticipationResource,
        head + f"{meeting},Kim Test,US,participant\n{meeting},kim-one,KR,participant\n",
    )
    assert resource.problems(result) == []
    assert result.totals["new"] == 2


def test_tenures_and_their_citations_name_officials_like_participations(two_kims):
    # New tenures whose citations follow in their own file: imported with a warning.
    resource, result = import_text(
        TenureResource,
        "official,official_country,post,start\nRajnath Singh,IN,in-minister-of-defence,2030\n"
        "Kim Test,US,us-secretary-of-defense,2030-02\n",
        citations_follow=True,
    )
    assert resource.problems(result) == []
    assert result.totals["new"] == 2
    (warning,) = resource.warnings(result)
    assert warning.startswith("2 new tenures cite no source yet")
    tenure = Tenure.objects.get(official__slug="kim-us", start_date="2030-02-01")
    resource, result = import_text(
        TenureCitationResource,
        "official,official_country,post,start,source,paragraph\n"
        f"Kim Test,US,us-secretary-of-defense,2030-02,{Source.objects.first().key},2\n",
    )
    assert resource.problems(result) == []
    assert tenure.citations.get().paragraph == 2
    # A clashing name without its country is refused, naming the choices.
    resource, result = import_text(
        TenureResource,
        f"official,post,start,citations\nKim Test,us-secretary-of-defense,2031,{CITE}\n",
    )
    (problem,) = resource.problems(result)
    assert problem.column == "official" and "names 3 officials" in problem.message
    # Exports of both import back unchanged, clashing names included.
    Tenure.objects.create(
        official=two_kims[0],
        post=Post.objects.get(slug="kr-minister-of-national-defence"),
        start_precision="unknown",
    )
    for resource_class in (TenureResource, TenureCitationResource):
        text = export_text(resource_class)
        resource, result = import_text(resource_class, text)
        assert resource.problems(result) == [], resource_class
        assert result.totals["new"] == result.totals["update"] == 0


def test_agreement_export_has_the_current_status_which_import_ignores(client):
    text = export_text(AgreementResource)
    by_slug = {r["slug"]: r for r in rows(text)}
    sosa = by_slug["india-us-security-of-supply-arrangement"]
    assert (sosa["status"], sosa["status_date"]) == ("signed", "2024-08")
    for agreement in Agreement.objects.all():
        row = by_slug[agreement.slug]
        assert row["status"] == (agreement.current_status or "")
        latest = agreement.latest_status
        assert row["status_date"] == (latest.when.isoformat() if latest else "")
    # A status cell is not imported: the status history stays as it was.
    changes = AgreementStatusChange.objects.count()
    edited = text.replace(",signed,2024-08,", ",expired,2026-01,")
    assert edited != text
    resource, result = import_text(AgreementResource, edited)
    assert resource.problems(result) == []
    assert result.totals["new"] == result.totals["update"] == 0
    assert AgreementStatusChange.objects.count() == changes
    # The reading room's export of the filtered list carries the same columns.
    response = client.get("/agreements/", {"format": "csv", "country": "US"})
    exported = rows(b"".join(response.streaming_content).decode("utf-8-sig"))
    assert exported and {"status", "status_date"} <= exported[0].keys()
    row = next(r for r in exported if r["slug"] == "india-us-security-of-supply-arrangement")
    assert (row["status"], row["status_date"]) == ("signed", "2024-08")


def test_a_new_official_with_a_known_name_is_a_possible_duplicate():
    head = "slug,name,country\n"
    before = Official.objects.count()
    resource, result = import_text(OfficialResource, head + "rajnath-2,rajnath singh,IN\n")
    (problem,) = resource.problems(result)
    assert (problem.line, problem.column, problem.value) == (2, "name", "rajnath singh")
    assert (
        "Possible duplicate" in problem.message
        and "Rajnath Singh (rajnath-singh)" in problem.message
    )
    assert "allow_duplicate" in problem.message
    # An alias counts as the name; another country's official of that name does not.
    resource, result = import_text(
        OfficialResource, head + "austin-2,Lloyd J Austin,US\nrajnath-sg,Rajnath Singh,SG\n"
    )
    (problem,) = resource.problems(result)
    assert problem.line == 2 and "Lloyd J. Austin" in problem.message
    # Two new rows of one name in the file.
    resource, result = import_text(
        OfficialResource, head + "new-one,Ana Test,SG\nnew-two,ana test,SG\n"
    )
    (problem,) = resource.problems(result)
    assert problem.line == 3 and "Ana Test (new-one)" in problem.message
    assert Official.objects.count() == before
    # "Save anyway": allow_duplicate = yes.
    resource, result = import_text(
        OfficialResource,
        "slug,name,country,allow_duplicate\nrajnath-2,Rajnath Singh,IN,yes\n",
    )
    assert resource.problems(result) == [] and result.totals["new"] == 1
    assert "allow_duplicate" not in export_text(OfficialResource).splitlines()[0]
