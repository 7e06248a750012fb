"""A petition's conclusion (属实 / 部分属实 / 不属实) was stored as `finding`, the word the inspections use
for something else: the column is renamed, its values kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("petitions", "0007_history_reasons_kept_whole")]

    operations = [
        migrations.RenameField(model_name="petition", old_name="finding", new_name="conclusion"),
        migrations.RenameField(model_name="historicalpetition", old_name="finding", new_name="conclusion"),
    ]
