"""CSV import and export through the admin: every page answers, every bad file is named."""

from __future__ import annotations

import csv
import io
import os

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin

from engagements.models import Country, CountryAlias
from engagements.permissions import EDITORS

pytestmark = pytest.mark.django_db

ENGAGEMENT_ADMINS = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label == "engagements"
}


def url(model, action, *args):
    return reverse(f"admin:engagements_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def upload(client, model, content: str | bytes, name="upload.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        url(model, "import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, data, "text/csv")},
    )


@pytest.mark.parametrize(
    "model",
    [m for m, a in ENGAGEMENT_ADMINS.items() if isinstance(a, ImportMixin | ExportMixin)],
    ids=lambda m: m.__name__,
)
def test_every_import_and_export_page_answers(editor, model):
    model_admin = ENGAGEMENT_ADMINS[model]
    if isinstance(model_admin, ImportMixin):
        assert editor.get(url(model, "import")).status_code == 200
    if isinstance(model_admin, ExportMixin):
        page = editor.get(url(model, "export"))
        assert page.status_code == 200
        form = page.context["form"]
        boxes = {
            name: "on"
            for name, field in form.fields.items()
            if isinstance(field, forms.BooleanField)
        }
        assert boxes, model
        for index, _ in enumerate(model_admin.get_export_formats()):
            response = editor.post(url(model, "export"), {"format": str(index), **boxes})
            assert response.status_code == 200, (model, index)
            assert response["Content-Disposition"].startswith("attachment")
            text = response.content.decode("utf-8-sig")
            header, *rows = list(csv.reader(io.StringIO(text)))
            assert header and len(rows) == model._default_manager.count(), model


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(
        url(model, "process_import"), {name: form[name].value() for name in form.fields}
    )


KR_ALIASES = {"Korea", "Korea, Republic of", "ROK", "Republic of Korea"}


def korea_row(aliases: str) -> str:
    return (
        f'iso2,iso3,name,official_name,aliases\nKR,KOR,South Korea,Republic of Korea,"{aliases}"\n'
    )


def kr_aliases() -> set[str]:
    return set(CountryAlias.objects.filter(country__iso2="KR").values_list("name", flat=True))


def test_an_editor_cannot_remove_aliases_by_import(editor):
    assert kr_aliases() == KR_ALIASES
    response = upload(editor, Country, korea_row("ROK; Republic of Korea"))
    assert response.status_code == 200 and "confirm_form" not in response.context
    (problem,) = response.context["problems"]
    assert (problem.line, problem.column, problem.value) == (2, "aliases", "ROK; Republic of Korea")
    assert "remove the aliases 'Korea', 'Korea, Republic of'" in problem.message
    assert "may not delete country aliases" in problem.message
    assert kr_aliases() == KR_ALIASES
    # Adding a name keeps the others: allowed.
    preview = upload(editor, Country, korea_row("; ".join([*KR_ALIASES, "Hanguk"])))
    assert preview.context["totals"]["update"] == 1
    assert confirm(editor, Country, preview).status_code == 302
    assert kr_aliases() == KR_ALIASES | {"Hanguk"}


def test_the_preview_says_which_aliases_an_import_removes(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("boss", password="x")
    client.force_login(admin_user)
    preview = upload(client, Country, korea_row("ROK; Republic of Korea"))
    (row,) = preview.context["preview_rows"]
    assert row["note"] == "Removes the aliases 'Korea', 'Korea, Republic of'."
    assert "Removes the aliases" in preview.content.decode()
    assert kr_aliases() == KR_ALIASES  # the preview writes nothing
    assert confirm(client, Country, preview).status_code == 302
    assert kr_aliases() == {"ROK", "Republic of Korea"}


def test_admin_line_numbers_count_blank_lines(editor):
    from engagements.models import Meeting

    header = "slug,title,kind,status,dates,country,countries"
    good = "\n".join(
        [header, "", "2026-07-a,A,call,held,2026,IN,IN", "", "", "2026-07-b,B,call,held,2026,IN,IN"]
    )
    preview = upload(editor, Meeting, good + "\n")
    assert [row["line"] for row in preview.context["preview_rows"]] == [3, 6]
    bad = good.replace("2026-07-b,B,call,held,2026,", "2026-07-b,B,call,held,2026-13,")
    response = upload(editor, Meeting, bad + "\n")
    (problem,) = response.context["problems"]
    assert (problem.line, problem.column, problem.value) == (6, "dates", "2026-13")


@pytest.mark.parametrize("name", ["India", "sgp", "US", "Republic of Singapore"])
def test_an_alias_may_not_name_another_country(editor, name):
    korea = Country.objects.get(iso2="KR")
    response = editor.post(url(CountryAlias, "add"), {"name": name, "country": korea.pk})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["name"]
    assert "an alias may not name another country" in errors[0] and f"“{name}”" in errors[0]
    preview = upload(editor, CountryAlias, f"name,country\n{name},KR\n")
    (problem,) = preview.context["problems"]
    assert (problem.line, problem.column, problem.value) == (2, "name", name)
    assert "an alias may not name another country" in problem.message
    assert not CountryAlias.objects.filter(name__iexact=name).exists()
    # A name no other country has is fine.
    assert (
        editor.post(url(CountryAlias, "add"), {"name": "Hanguk", "country": korea.pk}).status_code
        == 302
    )


MEETING_HEADER = "slug,title,kind,status,dates,country,countries"
GOOD = "2026-05-good-talks,Good talks,bilateral,held,2026-05-04,IN,IN; SG"


def test_admin_header_only_file_is_zero_rows_like_the_command(editor):
    from engagements.models import Meeting

    response = upload(editor, Meeting, MEETING_HEADER + "\n")
    assert response.status_code == 200
    assert response.context["total_rows"] == 0 and response.context["problems"] == []
    html = response.content.decode()
    assert "No valid data to import" not in html
    assert "The file has no rows after its header: there is nothing to import." in html


def test_admin_file_without_a_header_line_names_the_header_problems(editor):
    from engagements.models import Meeting

    response = upload(editor, Meeting, GOOD + "\n")
    html = response.content.decode()
    assert "No valid data to import" not in html and "confirm_form" not in response.context
    problems = response.context["problems"]
    assert (problems[0].line, problems[0].column) == (1, "2026-05-good-talks")
    assert "Unknown column" in problems[0].message
    assert any("Missing required column(s): slug, title, kind" in p.message for p in problems)


@pytest.fixture
def uploads_dir(monkeypatch, tmp_path):
    """Uploads kept for confirmation go to a folder of this test's own."""
    from engagements.admin.base import ImportTempStorage

    monkeypatch.setattr(ImportTempStorage, "directory", tmp_path / "imports")
    return ImportTempStorage.directory


def stored_uploads() -> set[str]:
    from engagements.admin.base import ImportTempStorage

    directory = ImportTempStorage.directory
    return {p.name for p in directory.glob("upload-*.csv")} if directory.is_dir() else set()


def test_a_file_over_the_size_limit_is_refused(editor, settings, uploads_dir):
    from engagements.models import Meeting

    settings.DEFREL_IMPORT_MAX_BYTES = 1_048_576
    before = stored_uploads()
    big = MEETING_HEADER + "\n" + (GOOD + "\n") * 20_000  # about 1.3 MB
    response = upload(editor, Meeting, big)
    errors = response.context["form"].errors["import_file"]
    assert "the most the admin imports at once is 1 MB" in errors[0]
    assert "confirm_form" not in response.context
    assert stored_uploads() == before


def test_uploads_are_not_left_behind(editor, uploads_dir):
    from engagements.admin.base import ImportTempStorage
    from engagements.models import Meeting

    before = stored_uploads()
    assert before == set()
    # A preview with problems keeps no copy.
    response = upload(
        editor, Meeting, MEETING_HEADER + "\n" + GOOD.replace("2026-05-04", "x") + "\n"
    )
    assert response.context["problems"] and stored_uploads() == before
    # A good preview keeps one until it is confirmed.
    preview = upload(editor, Meeting, MEETING_HEADER + "\n" + GOOD + "\n")
    (kept,) = stored_uploads() - before
    assert confirm(editor, Meeting, preview).status_code == 302
    assert stored_uploads() == before
    # One never confirmed is swept away a day later.
    upload(editor, Meeting, MEETING_HEADER + "\n" + GOOD + "\n")
    (kept,) = stored_uploads() - before
    path = ImportTempStorage.directory / kept
    old = path.stat().st_mtime - 2 * 24 * 3600
    os.utime(path, (old, old))
    assert ImportTempStorage.sweep() >= 1
    assert not path.exists()
