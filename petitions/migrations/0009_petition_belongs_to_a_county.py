"""A petition belongs to the county (区/县) of the petition office that registered it: for the cases
registered so far, the county of their township (a one-district installation's only district)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def county_of_each_petition(apps, schema_editor):
    Petition = apps.get_model("petitions", "Petition")
    Township = apps.get_model("villages", "Township")
    township_district = Township.objects.filter(pk=OuterRef("township_id")).values("district_id")[:1]
    Petition.objects.filter(district__isnull=True).update(district=Subquery(township_district))


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0008_petition_conclusion_is_called_so"),
        ("villages", "0003_city_and_county_binding"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="district",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.AddField(
            model_name="historicalpetition",
            name="district",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.RunPython(county_of_each_petition, migrations.RunPython.noop),
    ]
