"""The codebook: every exported table and column, with type, meaning and allowed values."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from engagements.models import AgreementStatus, OutcomeKind
from engagements.models.outcomes import OUTCOME_KINDS
from engagements.views.codebook import listings, markdown
from engagements.views.exports import schema
from engagements.views.lists import LIST_VIEWS

pytestmark = pytest.mark.django_db

TABLES = [
    (view.title, key, table) for view in LIST_VIEWS for key, table in view.export_tables().items()
]


@pytest.mark.parametrize(
    ("title", "key", "table"), TABLES, ids=[f"{t}-{k or 'rows'}" for t, k, _ in TABLES]
)
def test_every_exported_column_has_a_description(title, key, table):
    """The test that fails when a column is declared without saying what it holds."""
    for column in table.record.exported:
        about = column.description.strip()
        assert about, f"{title} table={key}: column {column.name} has no description."
        assert about.lower().rstrip(".") != column.label.lower(), column.name
        assert about.endswith((".", ")")), f"{column.name}: {about!r} is not a sentence."
    assert table.record.description, f"{title} table={key} has no description."
    # The JSON's own schema carries them too.
    assert all(field["description"] for field in schema(table)["fields"])


def test_the_codebook_lists_exactly_the_columns_each_table_exports(client):
    found = {table.anchor: table for listing in listings() for table in listing.tables}
    assert len(found) == len(TABLES)
    for view in LIST_VIEWS:
        for key in view.export_tables():
            params = {"format": "csv", **({"table": key} if key else {})}
            body = b"".join(
                client.get(
                    reverse(f"engagements:{view.model._meta.model_name}_list"), params
                ).streaming_content
            ).decode()
            header = body.removeprefix("\ufeff").split("\n", 1)[0].split(",")
            anchor = view.model._meta.verbose_name_plural.replace(" ", "-")
            entries = found[f"{anchor}-{key}" if key else anchor].entries
            assert [e.name for e in entries if e.type != "text (URL)"] == header


def test_the_codebook_page_explains_codes_dates_and_marks(client):
    response = client.get(reverse("engagements:codebook"))
    assert response.status_code == 200
    html = response.content.decode()
    # Allowed values with their labels: statuses, roles, precisions, outcome kinds.
    assert "<code>under_review</code></dt><dd>Under review" in html
    assert "<code>head</code></dt><dd>Head of delegation" in html
    for kind in OutcomeKind:
        plover = OUTCOME_KINDS[kind].plover
        assert re.search(
            rf"<code>{kind.value}</code></dt><dd>[^<]*<span class=\"muted\">"
            rf"\(PLOVER {plover}; CAMEO ",
            html,
        ), kind
    for status in AgreementStatus:
        assert f"<code>{status.value}</code></dt><dd>{status.label}" in html
    # How dates, precision and marks work, and every table linked from the contents.
    for anchor in ("files", "types", "dates", "marks"):
        assert f'<section id="{anchor}"' in html
    assert "precision <code>month</code>" in html and "<code>within</code>" in html
    assert "<code>inferred</code>: read from the sources" in html
    for listing in listings():
        for table in listing.tables:
            assert f'href="#{table.anchor}"' in html and f'id="{table.anchor}"' in html
            for item in table.entries:
                assert f'id="{table.anchor}--{item.name}"' in html
    # Derived columns say what they come from; shared vocabularies point to their section.
    assert "Derived from <code>dates</code>" in html
    assert 'see <a href="#dates">Dates</a>' in html


def test_every_page_links_to_the_codebook(client):
    body = client.get(reverse("engagements:meeting_list")).content.decode()
    assert 'href="/codebook/#meetings"' in body  # beside the export links
    assert 'href="/codebook/"' in client.get(reverse("engagements:overview")).content.decode()


def test_the_command_writes_the_codebook_as_markdown(tmp_path, capsys):
    target = tmp_path / "codebook.md"
    call_command("codebook", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert text == markdown()
    assert text.startswith("# defrel codebook\n")
    assert "\n## Dates and their precision\n" in text
    assert "\n### Who attended (table=participants)\n" in text
    assert "| `start_date` | date (ISO day) |" in text
    assert "| `edition` | integer |" in text
    assert "- `request` Requested or urged: PLOVER DEMAND; CAMEO 02 Appeal" in text
    # Every table's columns are rows of its Markdown table.
    for listing in listings():
        for table in listing.tables:
            assert f'<a id="{table.anchor}"></a>' in text
            for item in table.entries:
                assert f"| `{item.name}` |" in text
    capsys.readouterr()
    call_command("codebook")
    assert capsys.readouterr().out == text
