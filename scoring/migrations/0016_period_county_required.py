import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("scoring", "0015_each_period_gets_its_county")]

    operations = [
        migrations.AlterField(
            model_name="period",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="periods",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.AddConstraint(
            model_name="period",
            constraint=models.UniqueConstraint(fields=("district", "code"), name="period_code_unique_in_county"),
        ),
    ]
