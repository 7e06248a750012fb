"""Issue 18: a period belongs to a county (two counties each have their 2025), a scheme to a county or to
nobody (the default every county may use). Added nullable here; 0015 gives every existing period its
county, 0016 makes it required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0013_round_steps_are_transitions"),
        ("villages", "0003_city_and_county_binding"),
    ]

    operations = [
        migrations.AddField(
            model_name="scheme",
            name="district",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for the default scheme every county may use; a county's own adjusted scheme names it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="schemes",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.AddField(
            model_name="historicalscheme",
            name="district",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Empty for the default scheme every county may use; a county's own adjusted scheme names it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.AddField(
            model_name="period",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="periods",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.AddField(
            model_name="historicalperiod",
            name="district",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.AlterField(
            model_name="period",
            name="code",
            field=models.CharField(help_text="2025, 2025H1 or 2025H2", max_length=6, verbose_name="period"),
        ),
        migrations.AlterField(
            model_name="historicalperiod",
            name="code",
            field=models.CharField(help_text="2025, 2025H1 or 2025H2", max_length=6, verbose_name="period"),
        ),
    ]
