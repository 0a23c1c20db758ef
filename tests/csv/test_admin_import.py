"""CSV import and export through the admin: every page answers, every bad file is named."""

from __future__ import annotations

import csv
import io
import os

import pytest
from django import forms
from django.contrib.messages import get_messages
from import_export.admin import ExportMixin, ImportMixin

from engagements.models import Country, CountryAlias
from tests.helpers import ENGAGEMENT_ADMINS, upload, url

pytestmark = pytest.mark.django_db


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
            assert response.streaming  # the rows are written as they are read
            text = b"".join(response.streaming_content).decode("utf-8-sig")
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

    header = CITED_HEADER
    good = "\n".join(
        [
            header,
            "",
            f"2026-07-a,A,call,held,2026,IN,IN,{CITE}",
            "",
            "",
            f"2026-07-b,B,call,held,2026,IN,IN,{CITE}",
        ]
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
#: A new meeting's sources (paragraph 1 of a seeded source), in its ``citations`` column.
CITE = "002_e5b3391f3894ea28 ¶ 1"
CITED_HEADER = f"{MEETING_HEADER},citations"
CITED_GOOD = f"{GOOD},{CITE}"


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


def stored_uploads() -> set[str]:
    from engagements.admin.importing import ImportTempStorage

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
    from engagements.admin.importing import ImportTempStorage
    from engagements.models import Meeting

    before = stored_uploads()
    assert before == set()
    # A preview with problems keeps no copy.
    response = upload(
        editor, Meeting, CITED_HEADER + "\n" + CITED_GOOD.replace("2026-05-04", "x") + "\n"
    )
    assert response.context["problems"] and stored_uploads() == before
    # A good preview keeps one until it is confirmed.
    preview = upload(editor, Meeting, CITED_HEADER + "\n" + CITED_GOOD + "\n")
    (kept,) = stored_uploads() - before
    assert confirm(editor, Meeting, preview).status_code == 302
    assert stored_uploads() == before
    # One never confirmed is swept away a day later.
    upload(editor, Meeting, CITED_HEADER + "\n" + CITED_GOOD + "\n")
    (kept,) = stored_uploads() - before
    path = ImportTempStorage.directory / kept
    old = path.stat().st_mtime - 2 * 24 * 3600
    os.utime(path, (old, old))
    assert ImportTempStorage.sweep() >= 1
    assert not path.exists()


# --- every bad input of the command, through the admin ---------------------------------------


def snapshot() -> dict[str, int]:
    from django.apps import apps

    return {m.__name__: m.objects.count() for m in apps.get_app_config("engagements").get_models()}


def admin_messages(response) -> str:
    """Everything the import page says is wrong: file errors and problems by line."""
    context = response.context
    parts = [str(p) for p in context.get("problems") or []]
    form = context.get("form")
    if form is not None:
        parts += [str(e) for errors in form.errors.values() for e in errors]
    return "\n".join(parts)


def rows_of(*rows: str) -> str:
    return "\n".join(rows) + "\n"


BAD_INPUTS = {
    "wrong header": (
        "meeting",
        rows_of("slug,titel,kind,status,dates", "x-talks,Talks,bilateral,held,2026"),
        ["Line 1, column 'titel': Unknown column", "Missing required column(s): title"],
    ),
    "missing header": (
        "meeting",
        rows_of(GOOD, GOOD.replace("good", "other")),
        ["Line 1, column '2026-05-good-talks': Unknown column", "Missing required column(s)"],
    ),
    "unknown country": (
        "meeting",
        rows_of(MEETING_HEADER, GOOD, "2026-05-bad,Bad,bilateral,held,2026-05-06,IN,IN; Narnia"),
        [
            "Line 3, column 'countries' (value 'IN; Narnia'): No country has the code, name or "
            "alias 'Narnia'."
        ],
    ),
    "unknown official": (
        "participation",
        rows_of(
            "meeting,official,role",
            "2025-09-lawrence-wong-visit-to-india,Nobody Atall,participant",
        ),
        [
            "Line 2, column 'official' (value 'Nobody Atall'): No official has the slug, name "
            "or alias 'Nobody Atall'."
        ],
    ),
    "malformed date": (
        "meeting",
        rows_of(MEETING_HEADER, "2026-bad,Talks,bilateral,held,05/01/2026,IN,IN"),
        ["Line 2, column 'dates' (value '05/01/2026'): '05/01/2026' is not a date we read"],
    ),
    "impossible date": (
        "meeting",
        rows_of(MEETING_HEADER, "2026-bad,Talks,bilateral,held,2026-02-30,IN,IN"),
        ["Line 2, column 'dates' (value '2026-02-30'): '2026-02-30' is not a real date"],
    ),
    "end before start": (
        "tenure",
        rows_of(
            "official,official_country,post,start,end",
            "Rajnath Singh,IN,in-minister-of-defence,2030-05-01,2030-04",
        ),
        ["Line 2, column 'end' (value '2030-04'): The end date is before the start date."],
    ),
    "duplicate rows": (
        "meeting",
        rows_of(MEETING_HEADER, GOOD, "2026-05-other,Other,call,held,2026,IN,IN", GOOD),
        ["Line 4: Duplicate of line 2"],
    ),
    "empty file": ("meeting", "", ["The file is empty: it needs a header line"]),
    "blank file": ("meeting", "\n\n  \n", ["The file is empty: it needs a header line"]),
    "non-UTF-8": (
        "meeting",
        rows_of(MEETING_HEADER, "2026-x,Réunion,bilateral,held,2026,IN,IN").encode("latin-1"),
        ["not UTF-8 text (byte 0xe9 on line 2)"],
    ),
    "semicolon-delimited": (
        "meeting",
        rows_of(MEETING_HEADER.replace(",", ";"), GOOD.replace(",", ";")),
        ["semicolon-delimited"],
    ),
    "extra column": (
        "meeting",
        rows_of(MEETING_HEADER + ",notes", GOOD + ",a note"),
        ["Line 1, column 'notes': Unknown column"],
    ),
    "huge cell": (
        "meeting",
        rows_of(MEETING_HEADER, f"2026-huge,{'x' * 30_000},bilateral,held,2026,IN,IN"),
        ["Line 2, column 'title': the cell has 30,000 characters"],
    ),
    "database rule": (
        "meeting",
        rows_of(CITED_HEADER + ",edition", CITED_GOOD + ",3"),
        ["Line 2, column 'edition' (value '3'): An edition number needs a mechanism"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_admin_import_names_each_bad_input_and_writes_nothing(editor, case):
    from django.apps import apps

    model_name, content, expected = BAD_INPUTS[case]
    model = apps.get_model("engagements", model_name)
    before = snapshot()
    response = upload(editor, model, content)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    said = admin_messages(response)
    for part in expected:
        assert part in said, said
    assert snapshot() == before


def test_admin_import_reads_a_bom(editor):
    from engagements.models import Meeting

    content = "\ufeff" + rows_of(CITED_HEADER, CITED_GOOD.replace("Good talks", "Réunion"))
    preview = upload(editor, Meeting, content.encode("utf-8"))
    assert preview.context["totals"]["new"] == 1
    assert confirm(editor, Meeting, preview).status_code == 302
    assert Meeting.objects.get(slug="2026-05-good-talks").title == "Réunion"


def test_data_changed_between_preview_and_confirm_writes_nothing(editor):
    from engagements.models import Official, Participation

    Official.objects.create(slug="kim-one", name="Kim Test", country=Country.objects.get(iso2="KR"))
    content = rows_of(
        "meeting,official,role",
        "2025-09-lawrence-wong-visit-to-india,Rajnath Singh,participant",
        "2025-09-lawrence-wong-visit-to-india,Kim Test,participant",
    )
    preview = upload(editor, Participation, content)
    assert preview.context["totals"]["new"] == 2 and "confirm_form" in preview.context
    # Meanwhile someone adds a namesake: "Kim Test" no longer names one official.
    Official.objects.create(slug="kim-two", name="Kim Test", country=Country.objects.get(iso2="KR"))
    before = snapshot()
    response = confirm(editor, Participation, preview)
    assert response.status_code == 302
    assert response["Location"] == url(Participation, "import")
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(
        "Line 3, column 'official' (value 'Kim Test'): 'Kim Test' names 2 officials" in m
        for m in said
    ), said
    assert any("Nothing was imported" in m for m in said)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("slug,title\n2026-x,Caf\xe9 talks\n".encode("latin-1"), "UTF-8"),
        (MEETING_HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";") + "\n", "semicolon"),
        (MEETING_HEADER + "\n" + GOOD.replace("Good talks", "x" * 200_000) + "\n", "field limit"),
        (MEETING_HEADER + "\n" + GOOD + ",extra,cells\n", "cells"),
        (b"", "empty"),
    ],
)
def test_a_file_refused_whole_leaves_no_copy(editor, uploads_dir, content, says):
    """Refused before any row is read (encoding, delimiter, a huge cell, ragged rows)."""
    from engagements.models import Meeting

    response = upload(editor, Meeting, content)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("import_file", []))
    problems = " ".join(p.message for p in response.context.get("problems") or [])
    assert says.lower() in (errors + problems).lower()
    assert "confirm_form" not in response.context
    assert stored_uploads() == set()
