"""Rename the seed's India–UK partnership to what its source calls it.

The seed recorded it as the India–UK Comprehensive Strategic Partnership, but the source only
calls it a strategic partnership and says the 2030 roadmap aims at a comprehensive one. The
fixture now has ``india-uk-strategic-partnership``; ``seed`` loads by natural key and never
renames, so on a database seeded before, the old row would stay beside the new one. This
renames it if it is still there and the new one is not (an edited row keeps staff's name).
"""

from django.db import migrations

OLD, NEW = "india-uk-comprehensive-strategic-partnership", "india-uk-strategic-partnership"


def rename(apps, schema_editor):
    Initiative = apps.get_model("engagements", "Initiative")
    if Initiative.objects.filter(slug=NEW).exists():
        return
    Initiative.objects.filter(
        slug=OLD, name="India–UK Comprehensive Strategic Partnership"
    ).update(slug=NEW, name="India–UK Strategic Partnership")


class Migration(migrations.Migration):
    dependencies = [("engagements", "0016_source_texts")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
