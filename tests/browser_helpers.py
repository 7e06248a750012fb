"""Signing in as a person does, in the browser: the password, then (for a role that needs it) the code
the user's authenticator shows now; and the screenshots a journey leaves for a person to look at."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

from .conftest import ARTIFACTS
from .factories import PASSWORD, current_code


def screenshot(page, folder: str, name: str) -> None:
    """The whole page, saved under test-artifacts/<folder>/ (ignored by git) to be looked at."""
    (ARTIFACTS / folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / folder / f"{name}.png"), full_page=True)


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    user = User.objects.get(username=username)
    if user.needs_second_factor:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        page.locator("input[name=token]").fill(current_code(device))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
