"""CSV of the cited aliases and partnership levels: the ``aliases`` cell of agreements,
initiatives and posts, the alias files with their citations, and the levels file."""

from __future__ import annotations

import pytest

from engagements.models import (
    Agreement,
    AgreementAlias,
    Initiative,
    InitiativeAlias,
    PartnershipLevel,
    Post,
)
from engagements.resources import (
    AgreementAliasResource,
    AgreementResource,
    InitiativeAliasResource,
    InitiativeResource,
    PartnershipLevelResource,
    PostResource,
)
from engagements.resources.files import DefrelCSV, read_csv

pytestmark = pytest.mark.django_db

SOSA = "india-us-security-of-supply-arrangement"


def export_rows(resource_class, queryset) -> list[dict]:
    resource = resource_class()
    dataset = resource.export(resource_class.export_queryset(queryset))
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]


def import_text(resource_class, text: str, **kwargs):
    resource = resource_class()
    result = resource.import_data(read_csv(text.encode()), **kwargs)
    return resource, result


def names(alias_model, **owner) -> set[str]:
    return set(alias_model.objects.filter(**owner).values_list("name", flat=True))


def test_the_aliases_cell_lists_every_other_name_sorted():
    (row,) = export_rows(AgreementResource, Agreement.objects.filter(slug=SOSA))
    assert row["aliases"] == "Security of Supplies Agreement; SOSA"
    (post,) = export_rows(PostResource, Post.objects.filter(slug="us-secretary-of-defense"))
    assert post["aliases"] == "US Secretary of Defence; US Secretary of Defense"


def test_reimporting_an_export_changes_nothing():
    for resource_class in (AgreementResource, InitiativeResource, PostResource):
        text = DefrelCSV().export_data(resource_class().export(resource_class.export_queryset()))
        resource, result = import_text(resource_class, text)
        assert not result.has_errors() and not result.has_validation_errors(), resource.problems(
            result
        )
        assert result.totals["update"] == result.totals["new"] == 0, resource_class


def test_an_aliases_cell_adds_names_and_keeps_the_cited_ones():
    text = (
        "slug,title,kind,aliases\n"
        f"{SOSA},Security of Supply Arrangement,arrangement,"
        '"SOSA; Security of Supplies Agreement; Supply Security Arrangement"\n'
    )
    resource, result = import_text(AgreementResource, text)
    assert result.totals["update"] == 1, resource.problems(result)
    rows = {a.name: a for a in AgreementAlias.objects.filter(agreement__slug=SOSA)}
    assert set(rows) == {"SOSA", "Security of Supplies Agreement", "Supply Security Arrangement"}
    assert rows["SOSA"].paragraph == 20  # kept, with its citation
    assert rows["Supply Security Arrangement"].source is None  # cite it in the alias file
    assert AgreementAlias.history.model.objects.filter(
        name="Supply Security Arrangement", history_type="+"
    ).exists()


def test_a_new_agreement_gets_its_aliases_in_the_batch():
    text = (
        "slug,title,kind,parties,aliases,citations\n"
        "test-pact,Test Pact,agreement,IN; KR,Pact of Tests; TP,002_e5b3391f3894ea28 ¶ 3\n"
        "test-pact-two,Test Pact Two,agreement,IN,,002_e5b3391f3894ea28 ¶ 4\n"
    )
    resource, result = import_text(AgreementResource, text)
    assert result.totals["new"] == 2, resource.problems(result)
    assert names(AgreementAlias, agreement__slug="test-pact") == {"Pact of Tests", "TP"}
    assert not AgreementAlias.objects.filter(agreement__slug="test-pact-two").exists()


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("SOSA; " + "x" * 301, "is 301 characters long; an alias has at most 300"),
        ("SOSA; Security of Supplies Agreement; sosa", "'sosa' repeats 'SOSA'"),
    ],
)
def test_a_bad_aliases_cell_is_refused_naming_line_column_and_value(cell, message):
    before = names(AgreementAlias, agreement__slug=SOSA)
    text = f'slug,title,kind,aliases\n{SOSA},Security of Supply Arrangement,arrangement,"{cell}"\n'
    resource, result = import_text(AgreementResource, text)
    (problem,) = resource.problems(result)
    assert (problem.line, problem.column, problem.value) == (2, "aliases", cell)
    assert message in problem.message
    assert names(AgreementAlias, agreement__slug=SOSA) == before


def test_the_alias_file_carries_each_citation():
    head = "agreement,name,source,paragraph\n"
    text = head + f"{SOSA},Supplies Agreement,002_e5b3391f3894ea28,20\n"
    resource, result = import_text(AgreementAliasResource, text)
    assert result.totals["new"] == 1, resource.problems(result)
    alias = AgreementAlias.objects.get(agreement__slug=SOSA, name="Supplies Agreement")
    assert (alias.source.key, alias.paragraph) == ("002_e5b3391f3894ea28", 20)
    # A paragraph without its source is refused in its column.
    resource, result = import_text(AgreementAliasResource, head + f"{SOSA},Other Name,,20\n")
    (problem,) = resource.problems(result)
    assert problem.line == 2 and "A source needs its paragraph" in problem.message
    # The same name in another case is the same alias: refused.
    resource, result = import_text(AgreementAliasResource, head + f"{SOSA},sosa,,\n")
    (problem,) = resource.problems(result)
    assert "already has this alias" in problem.message


def test_the_initiative_aliases_cell_and_file():
    midcom = Initiative.objects.filter(slug="malaysia-india-defence-cooperation-committee")
    (row,) = export_rows(InitiativeResource, midcom)
    assert row["aliases"] == "Malaysia-India Defence Cooperation Committee; MIDCOM"
    midcom_alias = InitiativeAlias.objects.filter(initiative__in=midcom, name="MIDCOM")
    (row,) = export_rows(InitiativeAliasResource, midcom_alias)
    assert row == {
        "initiative": "malaysia-india-defence-cooperation-committee",
        "name": "MIDCOM",
        "source": "004_e4c198bf3751682f",
        "paragraph": "2",
    }


# --- partnership levels -------------------------------------------------------------------

LEVELS_HEAD = "initiative,level,date,attested,source,paragraph,reference,note\n"


def test_partnership_levels_export_and_import():
    rows = export_rows(PartnershipLevelResource, PartnershipLevel.objects.order_by("pk"))
    korea = next(r for r in rows if r["initiative"] == "india-rok-special-strategic-partnership")
    assert (korea["level"], korea["date"], korea["attested"], korea["paragraph"]) == (
        "special_strategic",
        "2024-11-22",
        "no",
        "5",
    )
    uk = next(r for r in rows if r["initiative"].startswith("india-uk"))
    assert (uk["level"], uk["date"]) == ("strategic", "")
    text = (
        LEVELS_HEAD + "india-malaysia-enhanced-strategic-partnership,strategic,2010,yes,,,"
        "A joint statement (reference knowledge),\n"
    )
    resource, result = import_text(PartnershipLevelResource, text)
    assert result.totals["new"] == 1, resource.problems(result)
    level = PartnershipLevel.objects.get(level="strategic", date__year=2010)
    assert (level.precision, level.attested) == ("year", True)


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("maitri,strategic,2010,no,,,Somewhere,", "initiative", "is not a partnership framework"),
        (
            "india-malaysia-enhanced-strategic-partnership,strategic,2010,no,,,,",
            "source",
            "Cite a source paragraph, or say in the reference",
        ),
        (
            "india-malaysia-enhanced-strategic-partnership,best_friends,2010,no,,,x,",
            "level",
            "best_friends",
        ),
    ],
)
def test_a_bad_level_row_is_refused_with_a_clear_error(line, column, message):
    resource, result = import_text(PartnershipLevelResource, LEVELS_HEAD + line + "\n")
    problems = resource.problems(result)
    assert problems and all(p.line == 2 for p in problems)
    assert any(message in p.message and p.column == column for p in problems), problems
    assert PartnershipLevel.objects.count() == 4
