"""A new installation starts with the default kinds of grassroots station (villages/standard.py at the time
of writing), so that a county can register its stations before anyone edits the list in the admin."""

from django.db import migrations
from django.utils import timezone

KINDS = (
    "派出所",
    "自然资源所",
    "市场监管所",
    "司法所",
    "财政所",
    "供电所",
    "税务分局",
    "农业服务中心",
    "综合行政执法中队",
    "卫生院",
)


def default_kinds(apps, schema_editor):
    """Each kind with its first history row, as the services would write it: a later edit then shows in the
    audit log with its before and after."""
    StationKind = apps.get_model("villages", "StationKind")
    HistoricalStationKind = apps.get_model("villages", "HistoricalStationKind")
    for index, name in enumerate(KINDS, start=1):
        kind, created = StationKind.objects.get_or_create(name=name, defaults={"position": index * 10})
        if created:
            HistoricalStationKind.objects.create(
                id=kind.pk,
                name=kind.name,
                position=kind.position,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="默认类别",
            )


class Migration(migrations.Migration):
    dependencies = [("villages", "0004_grassroots_stations")]

    operations = [migrations.RunPython(default_kinds, migrations.RunPython.noop)]
