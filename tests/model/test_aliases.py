"""Cited aliases of agreements, initiatives and posts, and dated partnership levels: the
database's rules and what the seed codes from the sources."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagements.models import (
    Agreement,
    AgreementAlias,
    Initiative,
    InitiativeAlias,
    Level,
    PartnershipLevel,
    Post,
    PostAlias,
    Source,
)
from engagements.register import read_register

pytestmark = pytest.mark.django_db


def source(key_start: str) -> Source:
    return Source.objects.get(key__startswith=key_start)


@pytest.mark.parametrize(
    ("alias_model", "owner", "record"),
    [
        (AgreementAlias, "agreement", lambda: Agreement.objects.get(slug="aitiga")),
        (InitiativeAlias, "initiative", lambda: Initiative.objects.get(slug="maitri")),
        (PostAlias, "post", lambda: Post.objects.get(slug="us-secretary-of-defense")),
    ],
)
def test_an_alias_is_unique_per_record_whatever_its_case(alias_model, owner, record):
    record = record()
    alias_model.objects.create(**{owner: record}, name="Test Name")
    twin = alias_model(**{owner: record}, name="TEST name")
    with pytest.raises(ValidationError, match=f"This {owner} already has this alias"):
        twin.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        twin.save()
    # Another record may use the same name.
    other = type(record).objects.exclude(pk=record.pk).first()
    alias_model.objects.create(**{owner: other}, name="Test Name")


def test_an_alias_source_needs_its_paragraph_and_a_paragraph_its_source():
    sosa = Agreement.objects.get(slug="india-us-security-of-supply-arrangement")
    for fields in ({"source": source("002")}, {"paragraph": 20}):
        alias = AgreementAlias(agreement=sosa, name="Half cited", **fields)
        with pytest.raises(ValidationError, match="A source needs its paragraph"):
            alias.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            alias.save()


def test_the_seed_keeps_the_sources_spellings_with_their_paragraphs():
    rows = {
        (a.agreement.slug, a.name): (a.source.key[:3], a.paragraph)
        for a in AgreementAlias.objects.select_related("agreement", "source")
    }
    road_map = "india-rok-road-map-defence-industry-cooperation"
    assert rows[(road_map, "Road map for Defence Industry Corporation")] == ("002", 7)
    assert rows[("india-us-security-of-supply-arrangement", "Security of Supplies Agreement")] == (
        "002",
        20,
    )
    assert rows[("india-malaysia-exchange-of-letters-2023", "EoL")] == ("004", 4)
    assert rows[("aitiga", "ASEAN-India Trade and Goods Agreement")] == ("000", 9)
    us = {a.name for a in PostAlias.objects.filter(post__slug="us-secretary-of-defense")}
    assert us == {"US Secretary of Defence", "US Secretary of Defense"}
    # Every seed alias cites a paragraph, and none only repeats the stored name.
    for model, owner, name in (
        (AgreementAlias, "agreement", "title"),
        (InitiativeAlias, "initiative", "name"),
        (PostAlias, "post", "title"),
    ):
        for alias in model.objects.select_related(owner):
            assert alias.source_id and alias.paragraph, alias
            assert alias.name.lower() != getattr(getattr(alias, owner), name).lower(), alias


def test_partnership_levels_as_the_sources_show_them():
    levels = {
        level.initiative.slug: level
        for level in PartnershipLevel.objects.select_related("initiative", "source")
    }
    assert set(levels) == set(
        Initiative.objects.filter(kind="partnership").values_list("slug", flat=True)
    )
    korea = levels["india-rok-special-strategic-partnership"]
    assert (korea.level, korea.date, korea.attested) == (
        Level.SPECIAL_STRATEGIC,
        dt.date(2024, 11, 22),
        False,
    )
    assert (korea.source.key[:3], korea.paragraph) == ("002", 5)
    japan = levels["india-japan-special-strategic-and-global-partnership"]
    assert (japan.level, japan.source.key[:3], japan.paragraph) == (
        Level.SPECIAL_STRATEGIC_GLOBAL,
        "003",
        9,
    )
    malaysia = levels["india-malaysia-enhanced-strategic-partnership"]
    assert (malaysia.level, malaysia.paragraph) == (Level.ENHANCED_STRATEGIC, 2)
    # The UK report calls it a strategic partnership and says the roadmap *aims* at a
    # comprehensive one: nothing says that level was reached, and the report is undated.
    uk = levels["india-uk-strategic-partnership"]
    assert (uk.level, uk.date, uk.precision, uk.attested) == (
        Level.STRATEGIC,
        None,
        "unknown",
        False,
    )
    assert (uk.source.key[:3], uk.paragraph) == ("001", 3)
    assert not PartnershipLevel.objects.filter(level=Level.COMPREHENSIVE_STRATEGIC).exists()
    assert all(not level.attested for level in levels.values())


def test_a_level_is_cited_or_says_where_it_comes_from():
    malaysia = Initiative.objects.get(slug="india-malaysia-enhanced-strategic-partnership")
    bare = PartnershipLevel(
        initiative=malaysia, level=Level.STRATEGIC, date=dt.date(2015, 1, 1), precision="year"
    )
    with pytest.raises(ValidationError, match="Cite a source paragraph, or say in the reference"):
        bare.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        bare.save()
    bare.reference = "Joint statement of the 2015 visit (reference knowledge)."
    bare.full_clean()
    bare.save()
    bad_date = PartnershipLevel(
        initiative=malaysia,
        level=Level.STRATEGIC,
        date=dt.date(2015, 3, 4),
        precision="year",
        reference="x",
    )
    with pytest.raises(ValidationError, match="does not match its precision"):
        bad_date.full_clean()


def test_only_a_partnership_framework_has_levels():
    maitri = Initiative.objects.get(slug="maitri")
    level = PartnershipLevel(
        initiative=maitri, level=Level.STRATEGIC, source=source("002"), paragraph=22
    )
    with pytest.raises(ValidationError, match="is not a partnership framework"):
        level.full_clean()


def test_the_current_level_is_the_latest_dated():
    korea = Initiative.objects.get(slug="india-rok-special-strategic-partnership")
    PartnershipLevel.objects.create(
        initiative=korea,
        level=Level.STRATEGIC,
        date=dt.date(2010, 1, 1),
        precision="year",
        attested=True,
        reference="Test row.",
    )
    assert korea.current_level.level == Level.SPECIAL_STRATEGIC


def test_every_alias_and_level_cites_a_real_paragraph():
    sizes = {entry.key: entry.paragraphs for entry in read_register()}
    for model in (AgreementAlias, InitiativeAlias, PostAlias, PartnershipLevel):
        cited = model.objects.filter(source__isnull=False).values_list("source__key", "paragraph")
        assert cited, model
        for key, paragraph in cited:
            assert 1 <= paragraph <= sizes[key], (model.__name__, key, paragraph)
