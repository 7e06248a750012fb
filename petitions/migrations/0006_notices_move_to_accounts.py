"""Petition notices move to the one inbox of every module (accounts.Notice): each is copied, unread
ones stay unread, then the petition-only model goes."""

from django.db import migrations


def copy_notices(apps, schema_editor) -> None:
    old = apps.get_model("petitions", "Notice")
    new = apps.get_model("accounts", "Notice")
    new.objects.bulk_create(
        (
            new(
                user_id=notice.user_id,
                text=notice.text,
                link=f"/petitions/{notice.petition_id}/" if notice.petition_id else "",
                key=f"petition-notice-{notice.pk}",
                created_at=notice.created_at,
                read_at=notice.read_at,
            )
            for notice in old.objects.iterator()
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0005_class_targets_and_versions"),
        ("accounts", "0005_notices"),
    ]

    operations = [
        migrations.RunPython(copy_notices, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notice"),
    ]
