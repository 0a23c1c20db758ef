"""Full-text search over a stored ``search_document`` column (PostgreSQL only).

0002 indexed the expression ``to_tsvector(title || summary …)``. The planner takes that
function for cheap, so on a table of a few thousand rows (initiatives) it preferred a
sequential scan that parses every summary on every search (a second at a million meetings).
A stored generated column is parsed once, when a row is written: a scan then reads ready
vectors, and the GIN index sits on the column. Django does not know the column (SQLite has no
``tsvector``); ``engagements.search`` names it in queries on PostgreSQL.
"""

from django.db import migrations

from engagements.search import DOCUMENT_COLUMN, SEARCH_FIELDS, document_sql


def _table(apps, model_name: str) -> str:
    return apps.get_model("engagements", model_name)._meta.db_table


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        table = _table(apps, model_name)
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({document_sql(model_name)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {model_name}_search_document ON {table} USING gin ({DOCUMENT_COLUMN})"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {model_name}_search")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        table = _table(apps, model_name)
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {DOCUMENT_COLUMN}")
        schema_editor.execute(
            f"CREATE INDEX {model_name}_search ON {table} USING gin ({document_sql(model_name)})"
        )


class Migration(migrations.Migration):
    dependencies = [("engagements", "0006_drop_stale_ceca_review_status")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
