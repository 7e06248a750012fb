"""Every inspection round has its county now (0006): the column becomes required. A migration of its own,
so that PostgreSQL alters the table after the rows' update is committed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_round_belongs_to_a_county")]

    operations = [
        migrations.AlterField(
            model_name="inspectionround",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="villages.district",
                verbose_name="county",
            ),
        ),
    ]
