"""Indexes the million-meeting benchmark showed were missing (PostgreSQL only).

``meeting_start_desc_nulls_last`` serves ``ORDER BY start_date DESC NULLS LAST, id DESC``:
the admin's meeting changelist and the researchers' CSV export read meetings newest first
with undated ones last. A plain ``(start_date, id)`` index read backwards gives NULLS FIRST,
so PostgreSQL sorted the whole table instead (0.5 s at a million rows). SQLite puts NULLs
last in a descending order anyway and uses ``meeting_start_id``, so it needs nothing here.

Created through the schema editor, like 0002, so that SQLite never sees them.
"""

from django.db import migrations, models
from django.db.models import F


def _indexes(apps):
    meeting = apps.get_model("engagements", "Meeting")
    yield (
        meeting,
        models.Index(
            F("start_date").desc(nulls_last=True),
            F("id").desc(),
            name="meeting_start_desc_nulls_last",
        ),
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("engagements", "0003_orderings_by_id")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
