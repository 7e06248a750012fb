"""Every existing period gets its county: the county of the villages its rounds scored, or, for a period
with no score yet, the installation's only county. An installation that already holds several counties
and a period that scored nothing cannot be guessed: the migration stops and says which."""

from django.db import migrations


def give_each_period_its_county(apps, schema_editor):
    Period = apps.get_model("scoring", "Period")
    Score = apps.get_model("scoring", "Score")
    VillageResult = apps.get_model("scoring", "VillageResult")
    District = apps.get_model("villages", "District")
    only = list(District.objects.order_by("code").values_list("pk", flat=True)[:2])
    for period in Period.objects.filter(district__isnull=True):
        found = set()
        for model in (VillageResult, Score):
            found |= set(
                model.objects.filter(round__period=period)
                .values_list("village__township__district_id", flat=True)
                .distinct()
            )
        if len(found) > 1:
            raise RuntimeError(
                f"Period {period.code} holds villages of several counties: split it by hand before migrating."
            )
        if not found and len(only) == 1:
            found = {only[0]}
        if not found:
            raise RuntimeError(f"Period {period.code} scored no village and the county it belongs to is unknown.")
        period.district_id = found.pop()
        period.save(update_fields=["district"])


class Migration(migrations.Migration):
    dependencies = [("scoring", "0014_period_and_scheme_belong_to_a_county")]

    operations = [migrations.RunPython(give_each_period_its_county, migrations.RunPython.noop)]
