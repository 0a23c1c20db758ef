"""Remove the seed's old "under review" step of the India–Singapore CECA.

The seed once recorded the CECA as under review from September 2025, but its source only says
the leaders agreed that work towards the next review should follow. The fixture now records it as
in operation with a review planned. ``seed`` loads by natural key and never deletes, so on a
database seeded before, the old step would stay and remain the latest status. This removes it
only if it is still exactly as the seed wrote it (a step edited by staff is left alone).
"""

import datetime as dt

from django.db import migrations

STALE = {
    "agreement__slug": "india-singapore-ceca",
    "status": "under_review",
    "date": dt.date(2025, 9, 1),
    "precision": "month",
    "source__key": "000_ea8d4ddbce561651",
    "paragraph": 9,
    "note": "The leaders agreed to work on the next review.",
}


def drop_stale_step(apps, schema_editor):
    status_change = apps.get_model("engagements", "AgreementStatusChange")
    status_change.objects.using(schema_editor.connection.alias).filter(**STALE).delete()


class Migration(migrations.Migration):
    dependencies = [("engagements", "0005_arrangement_kind_undated_uniques")]

    operations = [migrations.RunPython(drop_stale_step, migrations.RunPython.noop)]
