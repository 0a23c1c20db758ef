"""The curation desk for aliases and partnership levels: inlines, search, the level filter,
history."""

from __future__ import annotations

import pytest

from engagements.models import (
    Agreement,
    AgreementAlias,
    Initiative,
    Official,
    OfficialAlias,
    PartnershipLevel,
    Post,
    PostAlias,
)
from engagements.permissions import EDITORS
from tests.curation.test_admin import form_data
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, login):
    return login(EDITORS)


def found(response) -> set[str]:
    assert response.status_code == 200
    return {obj.slug for obj in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("model", "term", "slug"),
    [
        (
            Agreement,
            "Road map for Defence Industry Corporation",
            "india-rok-road-map-defence-industry-cooperation",
        ),
        (Agreement, "Supplies Agreement", "india-us-security-of-supply-arrangement"),
        (Agreement, "ASEAN-India Trade and Goods", "aitiga"),
        (Initiative, "Act-East", "act-east-policy"),
        (Post, "US Secretary of Defence", "us-secretary-of-defense"),
        (Post, "Raksha Mantri", "in-minister-of-defence"),
    ],
)
def test_changelist_search_finds_a_record_by_an_alias(editor, model, term, slug):
    got = found(editor.get(url(model, "changelist"), {"q": term}))
    assert slug in got
    # Not by an alias alone: a name nothing has finds nothing.
    assert not found(editor.get(url(model, "changelist"), {"q": term + " Zzyzx"}))


def test_alias_inlines_on_the_agreement_and_post_pages(editor):
    sosa = Agreement.objects.get(slug="india-us-security-of-supply-arrangement")
    page = editor.get(url(Agreement, "change", sosa.pk))
    assert page.status_code == 200
    assert "other names (aliases)" in page.content.decode().lower()
    data = form_data(page)
    data["aliases-TOTAL_FORMS"] = int(data["aliases-TOTAL_FORMS"]) + 1
    index = data["aliases-TOTAL_FORMS"] - 1
    data[f"aliases-{index}-name"] = "security of supplies AGREEMENT"  # the same, in another case
    response = editor.post(url(Agreement, "change", sosa.pk), data)
    assert response.status_code == 200  # the form again, with the error
    assert "This agreement already has this alias (“Security of Supplies Agreement”)" in (
        response.content.decode()
    )
    data[f"aliases-{index}-name"] = "Supply Security Pact"
    response = editor.post(url(Agreement, "change", sosa.pk), data)
    assert response.status_code == 302
    alias = AgreementAlias.objects.get(agreement=sosa, name="Supply Security Pact")
    assert alias.history.get().history_user.username == "editors"
    post = Post.objects.get(slug="us-secretary-of-defense")
    page = editor.get(url(Post, "change", post.pk))
    assert "US Secretary of Defence" in page.content.decode()
    assert PostAlias.objects.filter(post=post).count() == 2


def test_the_level_inline_is_on_partnership_pages_only(editor):
    korea = Initiative.objects.get(slug="india-rok-special-strategic-partnership")
    page = editor.get(url(Initiative, "change", korea.pk))
    html = page.content.decode()
    assert "partnership levels" in html.lower() and 'value="2024-11-22"' in html
    maitri = Initiative.objects.get(slug="maitri")
    assert (
        "partnership levels"
        not in editor.get(url(Initiative, "change", maitri.pk)).content.decode()
    )
    data = form_data(page)
    data["levels-TOTAL_FORMS"] = int(data["levels-TOTAL_FORMS"]) + 1
    index = data["levels-TOTAL_FORMS"] - 1
    data.update(
        {
            f"levels-{index}-level": "strategic",
            f"levels-{index}-when": "2010-13",
            f"levels-{index}-reference": "A joint statement (reference knowledge).",
        }
    )
    response = editor.post(url(Initiative, "change", korea.pk), data)
    assert response.status_code == 200
    assert "not a date" in response.content.decode() or "month" in response.content.decode()
    data[f"levels-{index}-when"] = "2010"
    data[f"levels-{index}-attested"] = "on"
    response = editor.post(url(Initiative, "change", korea.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    level = PartnershipLevel.objects.get(initiative=korea, level="strategic")
    assert (level.date.year, level.precision, level.attested) == (2010, "year", True)
    assert level.history.count() == 1


def test_the_initiative_changelist_filters_by_level(editor):
    got = found(editor.get(url(Initiative, "changelist"), {"level": "special_strategic"}))
    assert got == {"india-rok-special-strategic-partnership"}
    assert not found(editor.get(url(Initiative, "changelist"), {"level": "global_strategic"}))


def test_an_officials_alias_twice_in_another_case_is_a_form_error(editor):
    kim = Official.objects.get(slug="kim-yong-hyun")
    data = form_data(editor.get(url(Official, "change", kim.pk)))
    index = int(data["aliases-TOTAL_FORMS"])
    data["aliases-TOTAL_FORMS"] = index + 1
    data[f"aliases-{index}-name"] = "KIM YONG-HYUN"
    response = editor.post(url(Official, "change", kim.pk), data)
    assert response.status_code == 200
    assert "already has this alias (“Kim Yong-hyun”)" in response.content.decode()
    assert OfficialAlias.objects.filter(official=kim).count() == 1
