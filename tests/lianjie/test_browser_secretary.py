"""In a real browser: a township secretary signs in and sees only the own township, in Chinese."""

import pytest

from ..conftest import CANARY
from ..factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_secretary_signs_in_and_sees_only_the_own_township_in_chinese(cast, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_label("用户名").fill("secretary_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    assert "路桥街道" in page.locator("main").inner_text()
    assert "路南街道" not in page.locator("main").inner_text()

    page.get_by_role("navigation").get_by_role("link", name="村居", exact=True).click()
    page.wait_for_url(f"{live_server.url}/villages/")
    table = page.locator("table").inner_text()
    assert "石曲村" in table
    assert CANARY not in page.content()

    response = page.goto(f"{live_server.url}/villages/{cast.village_b.code}/")
    assert response.status == 404
    assert "页面不存在" in page.locator("main").inner_text()


def test_the_layout_fits_a_phone(cast, live_server, page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
