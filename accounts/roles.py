"""The roles of DESIGN.md section 1, listed once. Groups carry them; tests import these lists."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TOWNSHIP_SECRETARY = "township_secretary", _("Township discipline secretary")  # 镇街纪委书记
    COMMISSION_STAFF = "commission_staff", _("Commission staff")  # 区纪委工作人员
    COMMISSION_LEADER = "commission_leader", _("Commission leader")  # 区纪委领导
    PETITION_OFFICER = "petition_officer", _("Petition officer")  # 信访室
    CITY_STAFF = "city_staff", _("City commission staff")  # 市纪委工作人员
    CITY_LEADER = "city_leader", _("City commission leader")  # 市纪委领导
    VILLAGE_SECRETARY = "village_secretary", _("Village Party secretary")  # 村党组织书记
    VILLAGE_SUPERVISOR = "village_supervisor", _("Head of the village supervision committee")  # 村监会主任
    SYSTEM_ADMIN = "system_admin", _("System administrator")  # 系统管理员
    SECURITY_ADMIN = "security_admin", _("Security administrator")  # 安全管理员
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")  # 审计管理员


def second_factor_roles() -> frozenset[Role]:
    """等保 2.0: the roles that sign in with a second factor (TOTP), a deployment setting
    (SECOND_FACTOR_ROLES): by default every role that reads non-public data but the secretaries, who may
    be added. A name that is not a role fails `check` (accounts.checks)."""
    return frozenset(Role(name) for name in settings.SECOND_FACTOR_ROLES if name in Role.values)


# 三员分立: the three administrators. None of them manages another's account (deactivate, edit, reset a
# password or an authenticator, change the role); that is a break-glass act (manage.py break_glass).
ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles bound to one county (区/县; in a one-district installation, the district) and acting there only.
COUNTY_ROLES = frozenset({Role.COMMISSION_STAFF, Role.COMMISSION_LEADER, Role.PETITION_OFFICER})
# Roles bound to one city: they read every county of the city and change none of its work.
CITY_ROLES = frozenset({Role.CITY_STAFF, Role.CITY_LEADER})
# Roles bound to one village: they see their own village's work and nothing of another village.
VILLAGE_ROLES = frozenset({Role.VILLAGE_SECRETARY, Role.VILLAGE_SUPERVISOR})
# Roles that work for one unit (village, township, county or city) and see nothing without it.
UNIT_ROLES = COUNTY_ROLES | CITY_ROLES | VILLAGE_ROLES | {Role.TOWNSHIP_SECRETARY}
# Roles that see the business data of every township of their county.
DISTRICT_WIDE_ROLES = frozenset({Role.COMMISSION_STAFF, Role.COMMISSION_LEADER})
# Roles that read the integrity index results (a secretary: the own township's only).
INDEX_ROLES = DISTRICT_WIDE_ROLES | {Role.TOWNSHIP_SECRETARY}
# Roles that see petition cases (never the petitioner, but for the petition office).
PETITION_CASE_ROLES = frozenset({Role.PETITION_OFFICER, Role.COMMISSION_STAFF, Role.COMMISSION_LEADER})
# Roles that see the organisation tree (places, not business data).
ORGANISATION_ROLES = DISTRICT_WIDE_ROLES | CITY_ROLES | {Role.TOWNSHIP_SECRETARY, Role.SYSTEM_ADMIN}
# 三员分立: only these roles use the Django admin, and none of them may grant roles there.
ADMIN_SITE_ROLES = frozenset({Role.SYSTEM_ADMIN})

# Django model permissions each role holds ("app_label.codename"), used by the admin site.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SYSTEM_ADMIN: [
        f"{app}.{action}_{model}"
        for app, model in [
            ("villages", "city"),
            ("villages", "district"),
            ("villages", "township"),
            ("villages", "village"),
            ("villages", "stationkind"),
            ("results", "memberdepartment"),
            ("results", "eligibilityrule"),
            ("decisions", "reportingrule"),
            ("accounts", "user"),
            ("scoring", "scheme"),
            ("scoring", "category"),
            ("scoring", "indicator"),
            ("scoring", "bonusitem"),
            ("scoring", "vetoitem"),
            ("scoring", "period"),
            ("scoring", "opendatalicence"),
            ("stars", "starcriteria"),
            ("stars", "stardimension"),
            ("stars", "staritem"),
            ("stars", "starvetoitem"),
            ("inspections", "findingcategory"),
            ("petitions", "workingdayoverride"),
            ("petitions", "petitionclass"),
            ("petitions", "petitionrules"),
        ]
        for action in ("view", "add", "change")
    ]
    + ["villages.delete_village", "villages.delete_township"]
    + [f"scoring.delete_{model}" for model in ("category", "indicator", "bonusitem", "vetoitem")]
    + [f"stars.delete_{model}" for model in ("stardimension", "staritem", "starvetoitem")],
}


def sync_role_permissions(**kwargs) -> None:
    """Make every role's group exist and hold exactly its permissions; idempotent (post_migrate)."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission:
                wanted.append(permission)
        group.permissions.set(wanted)
