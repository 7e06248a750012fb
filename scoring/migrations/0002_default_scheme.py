"""Loads the default "四清" scheme (scoring/standard.py holds its data)."""

from django.db import migrations

from scoring.standard import create_default_scheme


def create(apps, schema_editor):
    create_default_scheme(apps)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
