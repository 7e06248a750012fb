"""Petition notices move to the one inbox of every module (accounts.Notice): each is copied, unread
ones stay unread, then the petition-only model goes."""

import re

from django.db import migrations

# The occasions the old notices were sent for, read back from their text, so that the daily job (which
# now names its occasions) does not send them again.
OCCASIONS = [
    (re.compile(r"^信访件(\d+)已超过办理时限（(\d{4}-\d{2}-\d{2})）$"), "petition-{0}-overdue-{1}"),
    (re.compile(r"^信访件(\d+)已挂牌"), "petition-{0}-listed"),
]


def occasion(notice) -> str:
    for pattern, key in OCCASIONS:
        match = pattern.match(notice.text)
        if match:
            return key.format(*match.groups())
    return f"petition-notice-{notice.pk}"


def copy_notices(apps, schema_editor) -> None:
    old = apps.get_model("petitions", "Notice")
    new = apps.get_model("accounts", "Notice")
    new.objects.bulk_create(
        (
            new(
                user_id=notice.user_id,
                text=notice.text,
                link=f"/petitions/{notice.petition_id}/" if notice.petition_id else "",
                key=occasion(notice),
                created_at=notice.created_at,
                read_at=notice.read_at,
            )
            for notice in old.objects.iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,  # two old notices of one occasion become one
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
