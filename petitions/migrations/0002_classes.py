from django.db import migrations

from petitions.standard import ensure_classes


def create_classes(apps, schema_editor):
    ensure_classes(apps)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(create_classes, migrations.RunPython.noop)]
