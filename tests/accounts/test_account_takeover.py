"""Nobody takes over an account unseen (issue 15, item 2, 4 and 9): every password set for someone else
is audited and temporary, its owner is told who set it; no administrator manages another's account
(break-glass only, audited); the session id changes once the second factor is verified."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Notice, User
from accounts.roles import Role
from audit.models import AuditEvent, EventType

from ..accounts.test_second_factor import password_only
from ..factories import PASSWORD, current_code

NEW_PASSWORD = "Qingfeng#2026x"


def reset_in_the_admin(client: Client, user: User):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    return client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_a_password_reset_in_the_admin_is_audited_and_expires_at_once(cast, client_for):
    secretary = cast.users["secretary_a"]
    response = reset_in_the_admin(client_for("sysadmin"), secretary)
    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type=EventType.PASSWORD_RESET)
    assert (event.actor_username, event.target_id) == ("sysadmin", str(secretary.pk))
    secretary.refresh_from_db()
    assert secretary.check_password(NEW_PASSWORD)
    assert secretary.password_expired and secretary.password_reset_by == cast.users["sysadmin"]
    assert NEW_PASSWORD not in str(list(AuditEvent.objects.values()))


def test_the_owner_of_a_reset_password_must_replace_it_and_is_told_who_set_it_and_when(cast, client_for):
    secretary = cast.users["secretary_a"]
    sysadmin = cast.users["sysadmin"]
    sysadmin.full_name = "王管理"
    sysadmin.save()
    reset_in_the_admin(client_for("sysadmin"), secretary)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "secretary_a", "password": NEW_PASSWORD})
    page = client.get(reverse("workspace"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("accounts:password_change")
    text = page.content.decode()
    assert "王管理" in text and "设置了你的密码" in text
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)

    client.post(
        reverse("accounts:password_change"),
        {"old_password": NEW_PASSWORD, "new_password1": "Lianqing#2027y", "new_password2": "Lianqing#2027y"},
    )
    secretary.refresh_from_db()
    assert not secretary.password_expired and secretary.password_reset_by is None
    assert client.get(reverse("workspace")).status_code == 200
    changed = AuditEvent.objects.get(event_type=EventType.PASSWORD_CHANGED)
    assert (changed.actor_username, changed.target_id) == ("secretary_a", str(secretary.pk))


def test_an_account_created_in_the_admin_has_a_temporary_password_set_by_its_creator(cast, client_for):
    response = client_for("sysadmin").post(
        reverse("admin:accounts_user_add"),
        {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.password_expired and newcomer.password_reset_by == cast.users["sysadmin"]


def test_an_administrators_own_password_is_changed_only_on_the_audited_page(cast, client_for):
    client = client_for("sysadmin")
    body = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    own_reset = reverse("admin:auth_user_password_change", args=[cast.users["sysadmin"].pk])
    for url in ["/admin/password_change/", own_reset]:
        response = client.post(url, body)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert cast.users["sysadmin"].check_password(PASSWORD)  # nothing changed there

    assert client.post(reverse("accounts:password_change"), body).status_code == 302
    event = AuditEvent.objects.get(event_type=EventType.PASSWORD_CHANGED)
    assert event.actor_username == "sysadmin"


@pytest.mark.parametrize("other", ["secadmin", "auditor"])
def test_the_system_administrator_cannot_deactivate_edit_or_reset_another_administrator(cast, client_for, other):
    account = cast.users[other]
    client = client_for("sysadmin")
    change_url = reverse("admin:accounts_user_change", args=[account.pk])
    response = client.post(change_url, {"username": other, "full_name": "x", "email": "", "is_active": ""})
    assert response.status_code == 403
    assert reset_in_the_admin(client, account).status_code == 403
    account.refresh_from_db()
    assert account.is_active and account.full_name != "x" and account.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(event_type=EventType.PASSWORD_RESET).exists()


def test_the_system_administrator_still_manages_other_accounts(cast, client_for):
    staff = cast.users["staff"]
    response = client_for("sysadmin").post(
        reverse("admin:accounts_user_change", args=[staff.pk]),
        {"username": "staff", "full_name": "离职干部", "email": "", "is_active": ""},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active


@pytest.mark.parametrize("other", ["sysadmin", "auditor"])
def test_the_security_administrator_cannot_re_role_or_reset_another_administrator(cast, client_for, other):
    account = cast.users[other]
    client = client_for("secadmin")
    assert client.get(reverse("accounts:role_edit", args=[account.pk])).status_code == 403
    assert client.post(reverse("accounts:role_edit", args=[account.pk]), {"role": ""}).status_code == 403
    assert client.post(reverse("accounts:otp_reset", args=[account.pk])).status_code == 403
    assert User.objects.get(pk=account.pk).role == account.role
    assert TOTPDevice.objects.filter(user=account).exists()
    listing = client.get(reverse("accounts:role_list")).content.decode()
    assert f'href="{reverse("accounts:role_edit", args=[account.pk])}"' not in listing
    assert reverse("accounts:otp_reset", args=[account.pk]) not in listing
    assert f'href="{reverse("accounts:role_edit", args=[cast.users["staff"].pk])}"' in listing


def test_break_glass_reactivates_an_administrator_with_a_temporary_password_and_is_audited(cast, capsys):
    auditor = cast.users["auditor"]
    User.objects.filter(pk=auditor.pk).update(is_active=False)
    call_command("break_glass", "auditor", reason="工单 2026-118：审计管理员被停用")
    password = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    auditor.refresh_from_db()
    assert auditor.is_active and auditor.check_password(password) and auditor.password_expired
    event = AuditEvent.objects.get(event_type=EventType.BREAK_GLASS)
    assert event.target_id == str(auditor.pk) and event.data == {"reason": "工单 2026-118：审计管理员被停用"}
    assert event.actor_username.startswith("server:")


def test_the_session_id_is_renewed_once_the_second_factor_is_verified(cast):
    client = password_only("leader")
    before = client.session.session_key
    device = TOTPDevice.objects.get(user=cast.users["leader"])
    assert client.post(reverse("accounts:otp_verify"), {"token": current_code(device)}).status_code == 302
    assert client.session.session_key != before
    # The cookie seen before the code opens nothing now.
    stale = Client()
    stale.cookies["sessionid"] = before
    assert stale.get(reverse("workspace")).status_code == 302


def test_an_administrator_back_through_break_glass_signs_in_with_the_code_then_chooses_a_password(cast, capsys):
    call_command("break_glass", "secadmin", reason="工单 2026-120：忘记密码")
    password = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "secadmin", "password": password})
    assert client.get(reverse("workspace"))["Location"] == reverse("accounts:otp_verify")
    device = TOTPDevice.objects.get(user=cast.users["secadmin"])
    response = client.post(reverse("accounts:otp_verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("workspace"))["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_break_glass_can_remove_a_lost_authenticator(cast, capsys):
    call_command("break_glass", "auditor", "--reset-authenticator", reason="手机丢失")
    assert not TOTPDevice.objects.filter(user=cast.users["auditor"]).exists()
    event = AuditEvent.objects.get(event_type=EventType.BREAK_GLASS)
    assert event.data == {"reason": "手机丢失", "authenticators_removed": 1}


def test_the_owner_of_a_reset_password_keeps_a_notice_of_it(cast, client_for):
    reset_in_the_admin(client_for("sysadmin"), cast.users["secretary_a"])
    notice = Notice.objects.get(user=cast.users["secretary_a"])
    assert notice.text.startswith(f"{cast.users['sysadmin']}于") and "为你的账号设置了临时密码" in notice.text


def test_a_role_with_a_second_factor_waits_until_the_owner_chose_their_own_password(cast, client_for):
    client_for("sysadmin").post(
        reverse("admin:accounts_user_add"),
        {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    newcomer = User.objects.get(username="newcomer")
    edit = reverse("accounts:role_edit", args=[newcomer.pk])
    response = client_for("secadmin").post(edit, {"role": Role.AUDIT_ADMIN})
    assert response.status_code == 200
    error = f"newcomer仍在使用{cast.users['sysadmin']}设置的临时密码"
    assert error in str(response.context["form"].non_field_errors())
    assert User.objects.get(pk=newcomer.pk).role is None
    # A secretary (no second factor by default) may be granted at once.
    response = client_for("secadmin").post(edit, {"role": Role.TOWNSHIP_SECRETARY, "township": cast.township_a.pk})
    assert response.status_code == 302


def test_the_security_administrator_cannot_unlock_another_administrator(cast, client_for):
    response = client_for("secadmin").post(reverse("accounts:user_unlock", args=[cast.users["sysadmin"].pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event_type=EventType.UNLOCKED).exists()
