"""Issue 18: a report belongs to a county (a township's report to the township's county; a county summary,
a draft and a batch to the county of whoever asked for it, or to the only district of a one-district
installation), and the city's yearly comparison of its counties is kept as versions of its own."""

from typing import Any

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import reports.models

COUNTY: dict[str, Any] = {
    "on_delete": django.db.models.deletion.PROTECT,
    "related_name": "+",
    "to": "villages.district",
    "verbose_name": "county",
}
HISTORICAL_COUNTY: dict[str, Any] = {
    "blank": True,
    "db_constraint": False,
    "null": True,
    "on_delete": django.db.models.deletion.DO_NOTHING,
    "related_name": "+",
    "to": "villages.district",
    "verbose_name": "county",
}
# (model, the user who asked for or wrote it): a row without a township takes that user's county.
REPORT_MODELS = [("reportversion", "requested_by"), ("reportbatch", "requested_by"), ("reportdraft", "edited_by")]


def each_report_to_its_county(apps, schema_editor):
    """A township's row takes the township's county; any other row its user's county, or the only
    district. A report row that can be placed nowhere (several districts, an unbound user) stops the
    migration: a report must never land in a county it does not belong to. History rows follow."""
    township_county = dict(apps.get_model("villages", "Township").objects.values_list("pk", "district_id"))
    user_county = dict(apps.get_model("accounts", "User").objects.values_list("pk", "district_id"))
    districts = list(apps.get_model("villages", "District").objects.values_list("pk", flat=True)[:2])
    only = districts[0] if len(districts) == 1 else None
    for name, user_field in REPORT_MODELS:
        for model, key in [
            (apps.get_model("reports", name), "pk"),
            (apps.get_model("reports", f"historical{name}"), "history_id"),
        ]:
            with_township = any(field.name == "township" for field in model._meta.fields)
            fields = [key, f"{user_field}_id", *(["township_id"] if with_township else [])]
            for row in model.objects.filter(district__isnull=True).values(*fields):
                county = township_county.get(row.get("township_id")) or user_county.get(row[f"{user_field}_id"]) or only
                if county is None and key == "pk":
                    raise RuntimeError(f"{name} {row['pk']}: no county to place it in; bind its user to a county first")
                model.objects.filter(**{key: row[key]}).update(district_id=county)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_notice_links_follow_the_pages"),
        ("villages", "0003_city_and_county_binding"),
        ("accounts", "0008_city_and_county_binding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *[
            migrations.AddField(model_name=name, name="district", field=models.ForeignKey(null=True, **COUNTY))
            for name, _user in REPORT_MODELS
        ],
        *[
            migrations.AddField(
                model_name=f"historical{name}", name="district", field=models.ForeignKey(**HISTORICAL_COUNTY)
            )
            for name, _user in REPORT_MODELS
        ],
        migrations.RunPython(each_report_to_its_county, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name=name, name="district", field=models.ForeignKey(**COUNTY))
            for name, _user in REPORT_MODELS
        ],
        migrations.RemoveConstraint(model_name="reportdraft", name="district_report_draft_once"),
        migrations.AddConstraint(
            model_name="reportdraft",
            constraint=models.UniqueConstraint(
                condition=models.Q(("township__isnull", True)),
                fields=("district", "year"),
                name="district_report_draft_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("township__isnull", True)),
                fields=("district", "year", "number"),
                name="district_report_version_unique",
            ),
        ),
        migrations.CreateModel(
            name="CityReportVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("job_id", models.CharField(max_length=64, unique=True)),
                ("file", models.FileField(upload_to=reports.models.report_path, verbose_name="file")),
                ("size", models.PositiveIntegerField(verbose_name="size")),
                ("data_checksum", models.CharField(max_length=64, verbose_name="data checksum")),
                ("built_at", models.DateTimeField(auto_now_add=True, verbose_name="built at")),
                ("seconds", models.DecimalField(decimal_places=2, max_digits=7, verbose_name="build seconds")),
                (
                    "city",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="villages.city",
                        verbose_name="city",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "verbose_name": "city report version",
                "verbose_name_plural": "city report versions",
                "ordering": ["-built_at", "-id"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(fields=("city", "year", "number"), name="city_report_version_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCityReportVersion",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("job_id", models.CharField(db_index=True, max_length=64)),
                ("file", models.TextField(max_length=100, verbose_name="file")),
                ("size", models.PositiveIntegerField(verbose_name="size")),
                ("data_checksum", models.CharField(max_length=64, verbose_name="data checksum")),
                ("built_at", models.DateTimeField(blank=True, editable=False, verbose_name="built at")),
                ("seconds", models.DecimalField(decimal_places=2, max_digits=7, verbose_name="build seconds")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "city",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="villages.city",
                        verbose_name="city",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical city report version",
                "verbose_name_plural": "historical city report versions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
