"""The role groups of DESIGN.md section 1. Their permissions are synced after every migrate
(accounts.roles.sync_role_permissions), because permissions exist only once migrate has finished."""

from django.db import migrations

ROLE_NAMES = [
    "township_secretary",
    "commission_staff",
    "commission_leader",
    "petition_officer",
    "system_admin",
    "security_admin",
    "audit_admin",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
