"""In a real browser, on a desk (1366 px) and on a phone (375 px): the petition officer chooses a township
and the village select narrows to its villages (htmx), each named with its township, picks one of two
namesakes and registers; the deadlines page then lists the cases by their working days."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from petitions.models import Petition

from ..browser_helpers import screenshot, sign_in
from ..factories import VillageFactory
from ..petition_helpers import register

pytestmark = pytest.mark.browser


def shoot(page, name: str) -> None:
    screenshot(page, "petition-registration", name.removesuffix(".png"))


@pytest.mark.parametrize("width", [1366, 375])
def test_the_officer_narrows_the_villages_by_township_and_registers(cast, live_server, page, width):
    VillageFactory(township=cast.township_a, code="331004001202", name="王家村")
    namesake = VillageFactory(township=cast.township_b, code="331004002202", name="王家村")
    today = timezone.localdate()
    register(cast, received_on=today - timedelta(days=30), summary="早已超期")
    register(cast, received_on=today, summary="刚刚收到")
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 740})
    sign_in(page, live_server, "petition")
    page.goto(f"{live_server.url}/petitions/new/")

    villages = page.locator("#id_village")
    expect(villages.locator("optgroup")).to_have_count(2)  # every village, by township, before a choice
    page.locator("#id_township").select_option(label="路南街道")
    expect(villages.locator("optgroup")).to_have_count(1)
    narrowed = villages.locator("option").all_inner_texts()
    assert narrowed == ["---------", "路南街道 · CANARY-金丝雀村", "路南街道 · 王家村"]
    villages.select_option(label="路南街道 · 王家村")
    page.locator("#id_channel").select_option(index=1)
    page.locator("#id_subject_name").fill("孙某")
    page.locator("#id_subject_post").fill("村党支部书记")
    page.locator("#id_category").select_option(index=1)
    page.locator("#id_summary").fill("反映村集体土地流转收益未公开")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"petition-register-{width}.png")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/petitions/*/")
    petition = Petition.objects.get(subject_name="孙某")
    assert (petition.township, petition.village) == (cast.township_b, namesake)

    page.goto(f"{live_server.url}/petitions/due/")
    overdue = page.locator("table.due-cases").first
    assert "逾期" in overdue.inner_text() and "个工作日" in overdue.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"petition-due-{width}.png")
