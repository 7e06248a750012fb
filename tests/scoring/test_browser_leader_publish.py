"""In a real browser, on a desk (1366 px) and on a phone (375 px): the leader signs in with a one-time
code, opens the round awaiting publication, reads the summary of what the public will see (A/B/C counts,
C and vetoed villages, biggest changes, the warning), confirms, and sees the round published. On a phone,
the leader returns a round: the reason's field is labelled and required, and staff open the round from
their notice and read it there."""

import re

import pytest

from scoring.models import Round
from scoring.services import round_submit

from ..browser_helpers import screenshot, sign_in
from ..scoring_helpers import fill_scores, make_round
from .test_publish_confirmation import REASON, approved_with_a_published_year_before

pytestmark = pytest.mark.browser


def shoot(page, name: str) -> None:
    screenshot(page, "leader-publish", name.removesuffix(".png"))


@pytest.mark.parametrize("width", [1366, 375])
def test_the_leader_confirms_the_publication_on_its_summary(cast, live_server, page, width):
    round_ = approved_with_a_published_year_before(cast)
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 740})
    sign_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/scoring/rounds/")
    page.get_by_role("link", name="2025", exact=True).click()
    page.wait_for_url(f"**/scoring/rounds/{round_.pk}/")

    summary = page.locator("#publish-summary")
    assert summary.get_by_role("heading", name="发布前核对：公众将看到的结果").is_visible()
    assert summary.locator("#publish-counts").inner_text().split() == ["A", "5", "B", "3", "C", "4"]
    assert "路南街道 · 否决村" in summary.locator("#publish-vetoed").inner_text()
    assert summary.locator("#publish-c-villages li").count() == 4
    assert summary.locator("#publish-risen li").first.inner_text().startswith("路桥街道 · 石曲村")
    assert summary.get_by_text("发布后不可撤回；更正将作为新的修订版发布").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing scrolls sideways
    confirm = summary.get_by_role("button", name="确认发布")
    box = confirm.bounding_box()
    assert box["height"] >= 40
    shoot(page, f"leader-publish-summary-{width}.png")

    confirm.click()
    page.get_by_text("本轮评分已发布。").wait_for()
    assert "已发布" in page.locator("h1 .status").inner_text()
    assert page.locator("#publish-summary").count() == 0
    assert Round.objects.get(pk=round_.pk).status == Round.Status.PUBLISHED
    shoot(page, f"leader-published-{width}.png")


def test_the_leader_returns_a_round_with_its_labelled_reason_and_staff_read_it(cast, live_server, page):
    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "92")
    fill_scores(round_, cast.village_b, "70")
    round_submit(round_=round_, acting_user=cast.users["staff"])
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/scoring/rounds/{round_.pk}/")
    reason = page.get_by_label("退回原因")
    page.get_by_role("button", name="退回修改").click()  # nothing typed
    page.get_by_text("退回轮次须说明理由：工作人员会在轮次页面看到。").wait_for()
    assert Round.objects.get(pk=round_.pk).status == Round.Status.SUBMITTED
    reason.fill(REASON)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "leader-return-375.png")
    page.get_by_role("button", name="退回修改").click()
    page.get_by_text("本轮评分已退回修改。").wait_for()

    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/accounts/notices/")
    page.get_by_role("link", name=re.compile(REASON)).click()
    page.wait_for_url(f"**/scoring/rounds/{round_.pk}/")
    assert page.locator("#returned").inner_text().endswith(REASON)
    shoot(page, "staff-returned-375.png")
