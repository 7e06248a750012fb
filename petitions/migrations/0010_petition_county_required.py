"""Every petition has its county now (0009): the column becomes required. A migration of its own, so that
PostgreSQL alters the table after the rows' update is committed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("petitions", "0009_petition_belongs_to_a_county")]

    operations = [
        migrations.AlterField(
            model_name="petition",
            name="district",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="villages.district",
                verbose_name="county",
            ),
        ),
    ]
