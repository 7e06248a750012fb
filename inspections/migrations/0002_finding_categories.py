from django.db import migrations

from inspections.standard import ensure_categories


def create_categories(apps, schema_editor):
    ensure_categories(apps)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
