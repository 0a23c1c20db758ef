"""The seed dataset: loading, idempotency, provenance, and facts from each source document."""

import datetime as dt
import re

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command

from engagements import tally
from engagements.management.commands.seed import SOURCES_FIXTURE, fixture_files
from engagements.models import (
    Agreement,
    AgreementCitation,
    AgreementMeeting,
    AgreementRelation,
    AgreementStatusChange,
    Country,
    CountryAlias,
    Grouping,
    Initiative,
    InitiativeCitation,
    Meeting,
    MeetingCitation,
    Official,
    OfficialAlias,
    Participation,
    Post,
    Source,
    Tenure,
    TenureCitation,
)
from engagements.register import as_fixture, read_register
from tests.helpers import DERIVED_MODELS, source_texts_dir

pytestmark = pytest.mark.django_db

SHARED_SEEDS = source_texts_dir()
# Children before parents, so PROTECTed rows can go.
DELETION_ORDER = [
    AgreementRelation,
    AgreementMeeting,
    AgreementStatusChange,
    AgreementCitation,
    Agreement,
    InitiativeCitation,
    MeetingCitation,
    Participation,
    Meeting,
    Initiative,
    TenureCitation,
    Tenure,
    OfficialAlias,
    Official,
    Post,
    Source,
    Grouping,
    CountryAlias,
    Country,
]


def curated_models():
    return [
        m
        for m in apps.get_app_config("engagements").get_models()
        if not m.__name__.startswith("Historical") and m.__name__ not in DERIVED_MODELS
    ]


def snapshot() -> dict[str, set]:
    """Every curated row, as its natural key (or id) and its field values."""
    return {
        model.__name__: {
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        }
        for model in curated_models()
    }


def test_seed_loads_every_kind_of_record():
    counts = {model.__name__: model.objects.count() for model in curated_models()}
    assert all(counts.values()), counts
    assert counts["Source"] == 5
    assert counts["Country"] >= 249


def test_seeding_twice_leaves_the_same_rows():
    before = snapshot()
    call_command("seed", verbosity=0)
    assert snapshot() == before


def test_seeding_restores_curated_values_edited_since():
    Meeting.objects.filter(slug="admm-plus-11").update(title="Edited by mistake")
    call_command("seed", verbosity=0)
    assert Meeting.objects.get(slug="admm-plus-11").title.startswith("11th ASEAN")
    assert Meeting.objects.filter(slug="admm-plus-11").count() == 1


def test_fixtures_load_with_plain_loaddata_into_an_empty_database():
    before = {name: len(rows) for name, rows in snapshot().items()}
    for model in DELETION_ORDER:
        model.objects.all().delete()
    assert not Meeting.objects.exists()
    call_command("loaddata", *fixture_files(), verbosity=0)
    assert {name: len(rows) for name, rows in snapshot().items()} == before
    assert tally.drift() == []  # the triggers counted the deletions and the loaded rows


def test_sources_fixture_is_the_register():
    fixture = yaml.safe_load(SOURCES_FIXTURE.read_text(encoding="utf-8"))
    assert fixture == as_fixture(read_register())


def test_register_matches_the_source_documents():
    entries = read_register()
    assert [e.key for e in entries] == sorted(Source.objects.values_list("key", flat=True))
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} is not here to compare with")
    for entry in entries:
        text = (SHARED_SEEDS / f"{entry.key}.txt").read_text(encoding="utf-8")
        assert len(paragraphs(text)) == entry.paragraphs, entry.key


def paragraphs(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text) if block.strip()]


def test_every_citation_points_at_a_real_paragraph():
    sizes = {e.key: e.paragraphs for e in read_register()}
    for model in (MeetingCitation, AgreementCitation, InitiativeCitation, TenureCitation):
        for key, paragraph in model.objects.values_list("source__key", "paragraph"):
            assert 1 <= paragraph <= sizes[key], (model.__name__, key, paragraph)


@pytest.mark.parametrize("model", [Meeting, Agreement, Initiative, Tenure])
def test_every_record_cites_a_source(model):
    uncited = model.objects.filter(citations__isnull=True)
    assert not uncited.exists(), list(uncited)


def test_every_seed_record_passes_validation():
    for model in curated_models():
        for obj in model.objects.all():
            obj.full_clean()


# --- facts from each source document -------------------------------------------------------


def countries(meeting: Meeting) -> set[str]:
    return set(meeting.countries.values_list("iso2", flat=True))


def test_000_singapore_visit():
    visit = Meeting.objects.get(slug="2025-09-lawrence-wong-visit-to-india")
    assert (visit.start_date, visit.end_date, visit.date_precision) == (
        dt.date(2025, 9, 2),
        dt.date(2025, 9, 4),
        "day",
    )
    assert (visit.host.iso2, countries(visit)) == ("IN", {"IN", "SG"})
    talks = Meeting.objects.get(slug="2025-09-narendra-modi-lawrence-wong-talks")
    assert talks.parent == visit
    assert talks.date_precision == "month"  # the source gives no day: none is invented
    aitiga = Agreement.objects.get(short_name="AITIGA")
    assert list(aitiga.party_groupings.values_list("short_name", flat=True)) == ["ASEAN"]
    assert aitiga.current_status == "under_review"
    # The leaders agreed to work on the CECA's next review: it is in operation, a review planned.
    ceca = Agreement.objects.get(short_name="CECA")
    assert (ceca.current_status, ceca.current_status_date) == ("in_force", None)
    # That it is in force is read from the talk of its next review: marked as inferred.
    assert ceca.latest_status.basis == "inferred" and "next review" in ceca.latest_status.note
    assert "60th anniversary" in visit.summary
    kumaran = Tenure.objects.get(official__name="P. Kumaran")
    assert str(kumaran.post) == "Secretary (East), India"
    assert kumaran.post.organisation == "Ministry of External Affairs"


def test_001_undated_uk_visit():
    assert Source.objects.get(key="001_0889ae8c15d523ac").published_on is None
    dcg = Meeting.objects.get(mechanism__slug="india-uk-defence-consultative-group", edition=24)
    assert dcg.date_precision == "unknown" and dcg.start_date is None
    co_chairs = dcg.participations.filter(role="co_chair")
    assert {p.official.name for p in co_chairs} == {"Rajesh Kumar Singh", "David Williams"}
    assert (dcg.parent.slug, dcg.parent_relation) == ("rajesh-kumar-singh-visit-to-uk", "part_of")
    # The visit took place against the backdrop of the Economic and Financial Dialogue.
    assert (dcg.parent.parent.edition, dcg.parent.parent_relation) == (13, "alongside")
    # Neither short name is in the source, so none is stored.
    assert not Initiative.objects.filter(short_name__in=["DCG", "EFD"]).exists()
    keynote = Participation.objects.get(meeting__slug="india-uk-defence-industry-roundtable")
    assert (keynote.official.name, keynote.role) == ("Rajesh Kumar Singh", "speaker")
    efd = Meeting.objects.get(mechanism__slug="india-uk-economic-and-financial-dialogue")
    assert efd.edition == 13
    secretary = Tenure.objects.get(official__slug="rajesh-kumar-singh")
    assert secretary.period == "dates unknown"  # the undated source shows him in post, no more


def test_002_rajnath_singh_in_november_2024():
    met = (
        Participation.objects.filter(
            meeting__participations__official__slug="rajnath-singh",
            meeting__start_date__year=2024,
            meeting__start_date__month=11,
        )
        .exclude(official__slug="rajnath-singh")
        .values_list("official__name", flat=True)
    )
    assert set(met) == {
        "Kim Yong Hyun",
        "Pat Conroy",
        "Judith Collins",
        "Lloyd J. Austin",
        "Khaled Nordin",
        "Chansamone Chanyalath",
    }
    austin = Meeting.objects.get(slug="2024-11-21-rajnath-singh-lloyd-austin-talks")
    assert (austin.start_date, austin.city, austin.country.iso2) == (
        dt.date(2024, 11, 21),
        "Vientiane",
        "LA",
    )
    assert austin.parent.edition == 11 and austin.parent.grouping.short_name == "ADMM-Plus"
    assert austin.parent_relation == "sidelines"
    # "On Wednesday", in a report of Friday 22 November 2024; the report gives no place for
    # these two meetings and does not put them at the ADMM-Plus.
    for slug in ("khaled-nordin", "chansamone-chanyalath"):
        talks = Meeting.objects.get(slug__contains=slug)
        assert talks.start_date == dt.date(2024, 11, 20)
        assert (talks.city, talks.country, talks.host, talks.parent) == ("", None, None, None)
    conroy = Participation.objects.get(official__slug="pat-conroy")
    (post,) = conroy.posts.all()
    assert post.title == "Minister for Defence Industry and Capability Delivery"


def test_002_admm_plus_records_only_the_countries_the_sources_show():
    admm = Meeting.objects.get(slug="admm-plus-11")
    assert countries(admm) == {"IN", "LA", "KR", "AU", "NZ", "US"}
    assert "not the full attendance" in admm.summary
    assert "members" not in admm.summary  # no count of members the sources do not give
    assert "Minister for Defence Industry and Capability Delivery" in admm.summary
    paragraphs = set(admm.citations.values_list("paragraph", flat=True))
    assert paragraphs >= {1, 9, 14, 17} and 15 not in paragraphs
    # Timor-Leste is a current member (ASEAN since October 2025), said so in the descriptions,
    # and membership is marked as reference knowledge, not read from the sources.
    for grouping in Grouping.objects.filter(slug__in=["asean", "admm-plus"]):
        assert grouping.members.filter(iso2="TL").exists()
        assert "October 2025" in grouping.description
        assert grouping.marks.get(column="members").basis == "reference"


def test_002_agreements_with_the_united_states_signed_in_august_2024():
    signed = Agreement.objects.filter(
        parties__iso2="US",
        status_history__status="signed",
        status_history__date__range=(dt.date(2024, 8, 1), dt.date(2024, 8, 31)),
    )
    assert set(signed.values_list("short_name", "kind")) == {
        ("SOSA", "arrangement"),  # the Security of Supply Arrangement
        ("", "memorandum_of_agreement"),
    }
    for agreement in signed:
        link = agreement.meeting_links.get(role="signed")
        assert link.meeting.slug == "2024-08-rajnath-singh-visit-to-us"


def test_002_australia_korea_new_zealand_and_the_quad():
    aar = Agreement.objects.get(kind="implementing_arrangement")
    assert aar.current_status == "exchanged"
    assert set(aar.parties.values_list("iso2", flat=True)) == {"IN", "AU"}
    roadmap = Agreement.objects.get(slug="india-rok-road-map-defence-industry-cooperation")
    assert roadmap.title == "Road map for Defence Industry Cooperation"  # not "Corporation"
    signed = roadmap.status_history.get(status="signed")
    assert signed.when.humanize() == "February 2020"
    dca = Agreement.objects.get(short_name="DCA")
    assert dca.current_status == "under_negotiation"
    step = dca.latest_status
    assert (step.basis, step.date_exact) == ("inferred", False)  # read from a request to finalise
    assert roadmap.status_history.get(status="signed").date_exact  # "signed in February 2020"
    dpd = Meeting.objects.get(mechanism__short_name="DPD")
    assert (dpd.status, dpd.dates.humanize()) == ("scheduled", "December 2024")
    quad = Initiative.objects.filter(groupings__slug="quad")
    assert set(quad.values_list("short_name", flat=True)) >= {"MAITRI", "IPLN"}
    # IPLN and INDUS-X are the initiatives' own acronyms, not the report's: the register says so.
    notes = Source.objects.get(key="002_e5b3391f3894ea28").curation_notes
    assert "IPLN" in notes and "INDUS-X" in notes
    summit = Meeting.objects.get(kind="summit", grouping__slug="quad")
    assert summit.start_date == dt.date(2024, 9, 21)
    assert set(summit.initiatives.values_list("slug", flat=True)) == set(
        quad.values_list("slug", flat=True)
    )


def test_003_japan_and_korea_2019():
    visit = Meeting.objects.get(slug="2019-09-rajnath-singh-visit-to-japan-and-korea")
    assert visit.dates.humanize() == "2–6 September 2019"
    assert countries(visit) == {"IN", "JP", "KR"}
    iwaya = Official.objects.get(slug="takeshi-iwaya")
    assert iwaya.name == "Takeshi Iwaya"  # the source misprints it "lwaya"
    assert iwaya.aliases.filter(name="Takeshi lwaya").exists()
    assert {p.meeting.parent for p in iwaya.participations.all()} == {visit}
    assert set(visit.children.values_list("title", flat=True)) >= {
        "Rajnath Singh – Takeshi Iwaya talks",
        "Rajnath Singh – Wang Jung-hong talks",
    }
    defexpo = Initiative.objects.get(slug="defexpo-2020")
    assert defexpo.kind == "exhibition"
    assert (defexpo.start_date, defexpo.start_precision) == (dt.date(2020, 1, 1), "year")
    iwaya_post = Post.objects.get(slug="jp-minister-of-defence")
    assert (iwaya_post.title, iwaya_post.organisation) == (
        "Minister of Defense",
        "Ministry of Defense",
    )
    cell = Initiative.objects.get(slug="defence-investor-cell")
    assert "ministry" not in cell.summary.lower()  # the source does not say whose cell it is
    source = Source.objects.get(key="003_8a208b8c6a59272c")
    assert source.published_on == dt.date(2019, 9, 6)
    # Paragraphs 15 onwards are teasers for unrelated articles: nothing cites them.
    for model in (MeetingCitation, AgreementCitation, InitiativeCitation, TenureCitation):
        assert not model.objects.filter(source=source, paragraph__gte=15).exists()


def test_004_malaysia_2023():
    talks = Meeting.objects.get(slug="2023-07-10-rajnath-singh-mohamad-hasan-talks")
    assert talks.start_date == dt.date(2023, 7, 10)  # "on Monday", dateline 11 July 2023
    # The visit's start is known, its end is not; the Prime Minister's day is not given either.
    visit = talks.parent
    assert (visit.dates.isoformat(), visit.marks.get(column="dates").basis) == (
        "2023-07-10/..",
        "inferred",
    )
    anwar = Meeting.objects.get(slug="2023-07-rajnath-singh-anwar-ibrahim-meeting")
    assert anwar.dates.isoformat() == "[2023-07-10..2023-07-11]"
    assert anwar.marks.get(column="dates").basis == "inferred"
    hasan = Official.objects.get(slug="mohamad-hasan")
    assert (hasan.name, hasan.honorific) == ("Mohamad Hasan", "Dato' Seri")
    relation = AgreementRelation.objects.get()
    assert (relation.subject.kind, relation.kind, relation.object.kind) == (
        "exchange_of_letters",
        "amends",
        "mou",
    )
    history = [(c.status, c.when.humanize()) for c in relation.object.status_history.all()]
    # An amendment was approved (the relation says so); the MoU is not recorded as amended,
    # and its year of signature is read from its name.
    assert history == [("signed", "1993")]
    assert relation.object.status_history.get().basis == "inferred"
    midcom = Meeting.objects.get(mechanism__short_name="MIDCOM")
    assert (midcom.status, midcom.host.iso2, midcom.dates.humanize()) == (
        "scheduled",
        "IN",
        "2023",
    )


# --- reference data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("official_name", "iso2"),
    [
        ("Republic of Korea", "KR"),
        ("Lao People's Democratic Republic", "LA"),
        ("Malaysia", "MY"),
        ("Japan", "JP"),
        ("Commonwealth of Australia", "AU"),
        ("New Zealand", "NZ"),
    ],
)
def test_official_names_resolve_to_one_country(official_name, iso2):
    country = Country.objects.get(iso2=iso2)
    assert country.official_name == official_name
    assert Country.objects.resolve(official_name) == country


def test_no_alias_is_another_countrys_name():
    for alias in CountryAlias.objects.select_related("country"):
        others = Country.objects.matching(alias.name).exclude(pk=alias.country_id)
        assert not others.exists(), (alias.name, list(others))


def test_participants_the_sources_give_beyond_one_named_post():
    """Chansamone attended in both posts of 002 ¶ 15; 000 ¶ 12 and 003 ¶ 11 describe
    participants without naming them."""
    chansamone = Participation.objects.get(official__slug="chansamone-chanyalath")
    assert sorted(chansamone.posts.values_list("title", flat=True)) == [
        "Deputy Prime Minister",
        "Minister of National Defence",
    ]
    described = Participation.objects.filter(official__isnull=True)
    assert sorted((p.meeting.slug, p.country.iso2) for p in described) == [
        ("2019-09-seoul-defence-industry-ceos", "IN"),
        ("2019-09-seoul-defence-industry-ceos", "KR"),
        ("2025-09-lawrence-wong-visit-to-india", "SG"),
    ]
    assert all(not p.posts.exists() for p in described)


def test_every_seeded_participant_holds_each_of_its_posts_at_the_meeting():
    """The tenure check of the admin and the CSV import, over the seed (loaddata skips it)."""
    for p in Participation.objects.select_related("meeting", "official").prefetch_related("posts"):
        p.full_clean()
        assert p.post_problems(p.posts.all()) == [], (p.meeting.slug, p.official)
