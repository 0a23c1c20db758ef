"""The admin's import preview shows each row as it will be written, not the file's cells."""

from __future__ import annotations

import pytest

from engagements.models import Meeting, Participation
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def cells(row) -> dict:
    return {cell.column: cell for cell in row["cells"]}


def test_the_preview_shows_the_generated_slug_and_resolved_countries(editor):
    text = (
        "slug,title,kind,status,dates,country,countries,citations\n"
        ",Defence talks in Seoul,bilateral,held,2026-05-04,ROK,IN; ROK,002_e5b3391f3894ea28 # 3-5\n"
    )
    preview = upload(editor, Meeting, text)
    assert preview.context["preview_columns"][:3] == ["slug", "title", "kind"]
    (row,) = preview.context["preview_rows"]
    by_column = cells(row)
    assert by_column["slug"].value == "2026-05-04-defence-talks-in-seoul"
    assert by_column["slug"].raw == "" and by_column["slug"].changed
    assert (by_column["country"].value, by_column["country"].raw) == ("KR", "ROK")
    assert by_column["countries"].value == "IN; KR" and by_column["countries"].changed
    assert not by_column["title"].changed and not by_column["kind"].changed
    assert by_column["citations"].value == "002_e5b3391f3894ea28 ¶ 3–5"
    assert by_column["citations"].changed
    html = preview.content.decode()
    assert '<td class="changed" data-column="slug"><mark>2026-05-04-defence-talks-in-seoul' in html
    assert '<td class="changed" data-column="country"><mark>KR</mark>' in html
    assert "file: ROK" in html
    assert '<td data-column="title">Defence talks in Seoul</td>' in html
    assert not Meeting.objects.filter(slug="2026-05-04-defence-talks-in-seoul").exists()


def test_the_preview_names_the_official_an_alias_resolves_to(editor):
    meeting = Meeting.objects.filter(status="held").order_by("pk").first()
    text = (
        "meeting,official,official_country,description,country,posts,role,note\n"
        f"{meeting.slug},Lloyd J Austin,,,,,participant,\n"
    )
    preview = upload(editor, Participation, text)
    assert preview.context["problems"] == []
    (row,) = preview.context["preview_rows"]
    official = cells(row)["official"]
    assert (official.value, official.raw, official.changed) == (
        "Lloyd J. Austin",
        "Lloyd J Austin",
        True,
    )
    assert not cells(row)["meeting"].changed
