"""The admin's *Export* is streamed through the reading room's CSV export (COPY on
PostgreSQL): the same cells, quoting and escaping as django-import-export's own export,
which it replaced, for every model, for a ticked subset of the columns and for a filtered
change list; and the file reads back as the CSV import reads it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from engagements.admin.exporting import StreamedExportMixin
from engagements.models import Meeting
from engagements.resources import RESOURCES
from engagements.scale.synthesizer import synthesize

pytestmark = pytest.mark.django_db


def export(client, model: str, fields=None, query: str = "") -> tuple[object, bytes]:
    resource = RESOURCES[model]
    names = fields or list(resource().get_export_order())
    data = {"format": "0", **{f"{resource.__name__.lower()}_{f}": "on" for f in names}}
    response = client.post(reverse(f"admin:engagements_{model}_export") + query, data)
    assert response.status_code == 200, response.content[:300]
    return response, (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8").removeprefix("\ufeff"))))


def old_export(client, monkeypatch, model, fields=None, query=""):
    """The same export through django-import-export's own path (tablib, in memory)."""
    monkeypatch.setattr(StreamedExportMixin, "_streamed_body", lambda *args: None)
    response, body = export(client, model, fields, query)
    monkeypatch.undo()
    assert not response.streaming
    return rows(body)


@pytest.mark.parametrize("model", sorted(m for m in RESOURCES if m != "meetingcitation"))
def test_every_models_export_is_streamed_with_the_old_cells(editor, monkeypatch, model):
    response, body = export(editor, model)
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff".encode())
    assert rows(body) == old_export(editor, monkeypatch, model)


def test_synthetic_meetings_with_tricky_cells_export_as_before(editor, monkeypatch):
    synthesize(150, seed=3)
    tricky = Meeting.objects.filter(slug__startswith="syn-").order_by("pk")
    Meeting.objects.filter(pk=tricky[0].pk).update(
        title='=cmd|"x" /C', summary='They said "yes", then\nleft;\r\nagain', city=""
    )
    _, body = export(editor, "meeting")
    new = rows(body)
    assert new == old_export(editor, monkeypatch, "meeting")
    assert len(new) == Meeting.objects.count() + 1 > 150
    assert any(row[1] == '\'=cmd|"x" /C' for row in new)


def test_a_subset_of_columns_and_a_filtered_list(editor, monkeypatch):
    fields = ["slug", "title", "countries", "dates"]
    response, body = export(editor, "meeting", fields, "?kind__exact=visit")
    assert response.streaming
    new = rows(body)
    assert new[0] == ["slug", "title", "dates", "countries"]  # in the export's order
    assert new == old_export(editor, monkeypatch, "meeting", fields, "?kind__exact=visit")
    assert len(new) - 1 == Meeting.objects.filter(kind="visit").count() > 0


def test_an_export_without_the_view_permission_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", is_staff=True)
    client.force_login(user)
    response = client.post(reverse("admin:engagements_meeting_export"), {"format": "0"})
    assert response.status_code == 403
