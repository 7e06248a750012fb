"""Demo logins (DESIGN.md section 9): one per role and one secretary per township. Demo data only."""

import base64

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from villages.models import District, Township

from .models import User
from .roles import COUNTY_ROLES, Role, second_factor_roles

DEMO_PASSWORD = "Lianjie-demo-2025"
DEMO_TOTP_SECRET = "LIANJIEDEMOTOTP2"  # base32; 30 s steps, 6 digits
DEMO_LOGINS = [
    ("staff", "区纪委工作人员（演示）", Role.COMMISSION_STAFF),
    ("leader", "区纪委领导（演示）", Role.COMMISSION_LEADER),
    ("petition", "信访室干部（演示）", Role.PETITION_OFFICER),
    ("sysadmin", "系统管理员（演示）", Role.SYSTEM_ADMIN),
    ("secadmin", "安全管理员（演示）", Role.SECURITY_ADMIN),
    ("auditor", "审计管理员（演示）", Role.AUDIT_ADMIN),
]


def demo_totp_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


@transaction.atomic
def seed_demo_users(townships) -> list[tuple[str, Role, str]]:
    """Create or refresh the demo logins; returns (username, role, township name) for printing."""
    hashed = make_password(DEMO_PASSWORD)  # hash once: PBKDF2 costs ~0.3 s, and there may be 118 secretaries
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    wanted = [(username, full_name, role, None) for username, full_name, role in DEMO_LOGINS]
    wanted += [
        (f"secretary-{township.code}", f"{township.name}纪委书记（演示）", Role.TOWNSHIP_SECRETARY, township)
        for township in townships
    ]
    now = timezone.now()
    logins = []
    # The district's logins work for the first demo district (路桥区 in the district demo).
    district = District.objects.filter(is_demo=True).order_by("code").first()
    for username, full_name, role, township in wanted:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "password": hashed,
                "password_changed_at": now,
                "township": township,
                "district": district if role in COUNTY_ROLES else None,
                "is_staff": role == Role.SYSTEM_ADMIN,
                "is_active": True,
            },
        )
        user.groups.set([groups[role]])
        if role in second_factor_roles():
            TOTPDevice.objects.update_or_create(
                user=user,
                name="demo",
                defaults={"key": demo_totp_key_hex(), "confirmed": True, "step": 30, "digits": 6},
            )
        logins.append((username, role, township.name if township else ""))
    return logins


def all_townships():
    return Township.objects.filter(district__is_demo=True).order_by("code")
