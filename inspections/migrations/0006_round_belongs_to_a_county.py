"""An inspection round belongs to one county (区/县): the county of the villages it visited, else the
county of the staff member who made it, else the installation's only district."""

import django.db.models.deletion
from django.db import migrations, models


def county_of_each_round(apps, schema_editor):
    District = apps.get_model("villages", "District")
    InspectionRound = apps.get_model("inspections", "InspectionRound")
    InspectionTarget = apps.get_model("inspections", "InspectionTarget")
    Finding = apps.get_model("inspections", "Finding")
    User = apps.get_model("accounts", "User")
    districts = list(District.objects.order_by("code").values_list("pk", flat=True)[:2])
    only = districts[0] if len(districts) == 1 else None
    for round_ in InspectionRound.objects.filter(district__isnull=True).order_by("pk"):
        visited = InspectionTarget.objects.filter(round=round_).values_list("village__township__district", flat=True)
        found = Finding.objects.filter(round=round_).values_list("village__township__district", flat=True)
        creator = User.objects.filter(pk=round_.created_by_id).values_list("district", flat=True)
        district = next((pk for pk in [*visited[:1], *found[:1], *creator, only] if pk is not None), None)
        if district is None:
            raise RuntimeError(
                f"Inspection round {round_.pk} ({round_.name}) names no village, and neither its maker nor the "
                "installation says its county: bind its maker to a county, then migrate again."
            )
        InspectionRound.objects.filter(pk=round_.pk).update(district=district)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_city_and_county_binding"),
        ("inspections", "0005_finding_steps_are_transitions"),
        ("villages", "0003_city_and_county_binding"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspectionround",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="villages.district",
                verbose_name="county",
            ),
        ),
        migrations.AddField(
            model_name="historicalinspectionround",
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
        migrations.RunPython(county_of_each_round, migrations.RunPython.noop),
    ]
