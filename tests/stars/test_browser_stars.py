"""In a real browser, the whole star-rating path: the township secretary applies for four stars with
evidence and gives the township's opinion, the commission leader (with the second factor) decides, and
the public list shows the level in publicity; and the pilot (试点先行): staff bring one township in first,
the other township's secretary is told it is not in the pilot yet."""

import pytest
from django.utils import timezone

from ..browser_helpers import screenshot, sign_in
from ..star_helpers import criteria

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_four_stars_from_application_to_publicity(cast, live_server, page, tmp_path):
    year = timezone.localdate().year
    criteria(year)
    evidence = tmp_path / "三资台账.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, live_server, "secretary_a")
    page.goto(f"{live_server.url}/star-rating/")
    page.get_by_role("link", name=f"为{cast.village_a.name}申报").click()
    page.locator("select[name=level_applied]").select_option("4")
    for row in page.locator("form table tbody tr").all():
        maximum = row.locator("td.num").inner_text()
        row.locator("input[name^=item_]").fill(maximum)
    page.locator("input[name=files]").set_input_files(str(evidence))
    page.get_by_role("button", name="保存并提交申报").click()
    page.get_by_text("待乡镇评定").first.wait_for()
    assert "三资台账.pdf" in page.content()

    page.locator("textarea[name=opinion]").first.fill("经实地核查，建议评为四星级")
    page.locator("input[name=points]").fill("100")
    page.locator("select[name=level]").select_option("4")
    page.get_by_role("button", name="报区纪委评审").click()
    page.get_by_text("待区纪委评审").first.wait_for()
    application_url = page.url

    sign_in(page, live_server, "leader")
    page.goto(application_url)
    page.locator("textarea[name=opinion]").first.fill("同意评为四星级")
    page.locator("input[name=points]").fill("98")
    page.locator("select[name=level]").select_option("4")
    page.get_by_role("button", name="评定并公示").click()
    page.get_by_text("公示中").first.wait_for()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/stars/")
    row = page.locator("tbody tr", has_text=cast.village_a.name)
    assert "★★★★" in row.inner_text() and "公示中" in row.inner_text()
    assert "同意评为四星级" not in page.content()


def test_staff_start_the_pilot_and_a_township_left_out_is_told(cast, live_server, page):
    year = timezone.localdate().year
    criteria(year)

    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/star-rating/")
    assert "全县推开" in page.locator(".county-stars").inner_text()
    page.get_by_role("link", name="标准与试点").click()
    page.get_by_label(cast.township_a.name).check()
    page.locator("textarea[name=note]").fill("先在路桥街道试点")
    page.get_by_role("button", name="记录").click()
    page.get_by_text("已保存").first.wait_for()
    assert "试点镇街：路桥街道" in page.locator("#taking-part").inner_text()
    screenshot(page, "stars", "pilot-page")

    sign_in(page, live_server, "secretary_b")
    page.goto(f"{live_server.url}/star-rating/apply/{cast.village_b.code}/")
    assert "路南街道尚未纳入" in page.locator("#not-in-pilot").inner_text()
    assert page.locator("input[name^=item_]").count() == 0
    page.goto(f"{live_server.url}/star-rating/")
    screenshot(page, "stars", "list-outside-the-pilot")
