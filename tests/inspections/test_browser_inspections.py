"""In a real browser: a township secretary records rectification progress with evidence and submits it;
commission staff close the finding (对账销号)."""

from datetime import date

import pytest

from ..browser_helpers import sign_in
from ..inspection_helpers import PDF, finding

pytestmark = pytest.mark.browser


def test_a_secretary_records_progress_and_staff_close_the_finding(cast, live_server, page, tmp_path):
    item = finding(cast, found_on=date(2025, 3, 1), description="村务公开栏财务信息未按月更新")
    photo = tmp_path / "公开栏照片.pdf"
    photo.write_bytes(PDF)

    sign_in(page, live_server, "secretary_a")
    page.goto(f"{live_server.url}/inspections/findings/")
    page.get_by_role("link", name="村务公开栏财务信息未按月更新").click()
    page.locator("textarea[name=note]").fill("已补公开1至6月财务收支")
    page.locator("input[name=files]").set_input_files(str(photo))
    page.get_by_role("button", name="保存").click()
    page.get_by_text("公开栏照片.pdf").wait_for()
    page.get_by_role("button", name="申请销号").click()
    page.get_by_text("待销号审核").first.wait_for()

    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/inspections/findings/{item.pk}/")
    page.locator("textarea[name=verification]").fill("实地查看公开栏，已按月公开")
    page.get_by_role("button", name="销号", exact=True).click()
    page.get_by_text("已销号").first.wait_for()
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_by == cast.users["staff"]
