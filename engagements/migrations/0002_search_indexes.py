"""GIN full-text indexes, on PostgreSQL only (SQLite searches without them).

Created through the schema editor rather than ``Meta.indexes`` so that SQLite, which has no
GIN, never sees them (not even when it rebuilds a table).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from engagements.search import SEARCH_FIELDS, search_vector


def _indexes(apps):
    for model_name in SEARCH_FIELDS:
        model = apps.get_model("engagements", model_name)
        yield model, GinIndex(search_vector(model_name), name=f"{model_name}_search")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in _indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("engagements", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
