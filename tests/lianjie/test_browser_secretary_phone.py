"""In a real browser on a phone (375 px, as WeChat's browser): a township secretary follows the links of
every page of the own work — the colour-coded list, the check-up sheet, the follow-up and its forms, the
stars with the self-assessment, the application and the improvement plan, the inspections and the
ledger, the notices, the password page and the public pages. No page is wider than the screen (nothing
scrolls sideways, not even a table inside its own box) and every control is a touch target at least
44 px high; a failure names the page and the element. At 1366 px the same tables are tables again."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import resolve

from inspections.services import overdue_mark, progress_record
from scoring.models import Round
from scoring.services import (
    diagnosis_record,
    help_visit_record,
    pairing_confirm,
    rectification_save,
    round_compute_results,
)
from stars.services import improvement_plan_save

from ..browser_helpers import sign_in
from ..factories import VillageFactory
from ..inspection_helpers import closed, finding, inspection, pdf
from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import draft, filed, fixed

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
LONG_NAME = "螺洋街道下辖某某某社区居民委员会"
# Where a secretary's links are followed: the index and its follow-up, the stars, the inspections and the
# ledger, the notices, the password page and the public site. Downloads are not pages.
SECRETARY_PAGES = ("/scoring/", "/star-rating/", "/inspections/", "/accounts/notices/", "/accounts/password/")
PUBLIC_PAGES = ("/index/", "/stars/", "/methodology/")
DOWNLOADS = re.compile(r"\.xlsx\b|format=xlsx|/evidence/")
# Each page the crawl must have reached, so that a broken link cannot make the test pass by visiting less.
EXPECTED_PAGES = {
    "scoring:results",
    "scoring:checkup",
    "scoring:follow_up",
    "scoring:diagnosis_new",
    "scoring:rectification",
    "scoring:help_visit_new",
    "stars:list",
    "stars:apply",
    "stars:application",
    "stars:plan",
    "inspections:rounds",
    "inspections:round",
    "inspections:findings",
    "inspections:finding",
    "inspections:figures",
    "accounts:notices",
    "accounts:password_change",
    "public:index",
    "public:village",
    "public:stars_latest",
    "public:village_stars",
    "public:methodology",
}

# What the page shows wider than the screen (the outermost such element, a table scrolling inside its
# box included) and which visible controls are lower than a thumb; links in running text are exempt.
MEASURE = r"""() => {
  const name = (el) => {
    const text = (el.getAttribute("aria-label") || el.innerText || el.value || "").replace(/\s+/g, " ");
    const id = el.getAttribute("name") || el.id;
    const classes = el.className ? ` class="${el.className}"` : "";
    const tag = `${el.tagName.toLowerCase()}${classes}${id ? ` name="${id}"` : ""}`;
    return `<${tag}> ${text.trim().slice(0, 30)}`;
  };
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const sticksOut = (el) => el.getBoundingClientRect().right > window.innerWidth + 0.5;
  const wide = [...document.body.querySelectorAll("*")]
    .filter((el) => shown(el) && sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)))
    .map((el) => `${name(el)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
  const controls = "input:not([type=hidden]), select, textarea, button, a.button";
  const low = [...document.querySelectorAll(controls)]
    .filter((el) => shown(el) && el.getBoundingClientRect().height < 44)
    .map((el) => `${name(el)} (${Math.round(el.getBoundingClientRect().height)} px high)`);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide, low};
}"""


@pytest.fixture
def secretary_day(cast):
    """Township A as a secretary finds it: two published periods with a long-named C village (diagnosed,
    paired, visited, with rectification goals), star applications in each state a secretary acts on (a
    draft, one to decide, a 2-star one with its improvement plan, a village not yet filed), and the ledger
    with an overdue, an open and a closed finding (the overdue one has notices and evidence)."""
    long_named = VillageFactory(township=cast.township_a, name=LONG_NAME)
    middle = VillageFactory(township=cast.township_a, name="中游村")
    unfiled = VillageFactory(township=cast.township_a, name="东山村")
    totals = {
        "2024": {cast.village_a: "95", long_named: "79", middle: "86", unfiled: "90", cast.village_b: "85"},
        "2025": {cast.village_a: "94", long_named: "72.5", middle: "85", unfiled: "91", cast.village_b: "88"},
    }
    for code, villages in totals.items():
        index = make_round(code, status=Round.Status.PUBLISHED)
        for village, total in villages.items():
            fill_scores(index, village, total)
        round_compute_results(index)
    secretary, staff = cast.users["secretary_a"], cast.users["staff"]
    diagnosis_record(
        round_=index,
        village=long_named,
        acting_user=secretary,
        held_on=date(2026, 3, 10),
        deductions_found="村务公开不及时，三资台账不全",
        measures="每月15日前公开村务；三个月内补齐台账",
        responsible_person="村党组织书记",
    )
    pairing = pairing_confirm(round_=index, helper=cast.village_a, helped=long_named, acting_user=staff)
    help_visit_record(pairing=pairing, acting_user=secretary, visited_on=date(2026, 4, 18), content="介绍小微权力清单")
    rectification_save(
        round_=index,
        village=long_named,
        acting_user=secretary,
        goals="年底前达到B类",
        measures="规范三资管理",
        responsible_person="村党组织书记",
        due_on=date(2026, 12, 31),
    )

    draft(cast, 3, "81", village=cast.village_a)
    filed(cast, 3, village=middle, total="82")
    two_stars = fixed(cast, 2, village=long_named, total="72")
    improvement_plan_save(
        application=two_stars,
        acting_user=secretary,
        measures="与四星级村结对帮扶；规范三资管理和村务公开",
        responsible_person="村党组织书记",
        due_on=date(2026, 12, 31),
    )

    round_ = inspection(cast, villages=[cast.village_a, long_named])
    late = finding(cast, round_, village=long_named, due_on=date(2025, 5, 10), description="村务公开栏未按月更新")
    evidence = pdf("整改照片_村务公开栏.pdf")
    progress_record(finding=late, acting_user=secretary, note="已补录三月至五月财务信息", uploads=[evidence])
    finding(cast, round_, due_on=date(2025, 9, 1), description="惠农补贴发放台账与实发名单不符")
    done = finding(cast, round_, due_on=date(2025, 4, 1), description="村道硬化工程未经公开招标")
    closed(cast, done, on=date(2025, 4, 20))
    overdue_mark(today=date(2025, 6, 1))
    return long_named


def _is_followed(url: str) -> bool:
    path = urlsplit(url).path
    return (path == "/" or path.startswith(SECRETARY_PAGES + PUBLIC_PAGES)) and not DOWNLOADS.search(url)


def _visit_every_page(page, base: str) -> tuple[dict[str, dict], list[str]]:
    """Each page reached from the navigation and from the pages' links, measured; and what is wrong."""
    page.goto(f"{base}/workspace/")
    links = page.locator("#site-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    queue = [*links, "/", "/accounts/password/"]
    measured: dict[str, dict] = {}
    problems = []
    while queue:
        path = queue.pop(0)
        if path in measured or not _is_followed(path):
            continue
        response = page.goto(base + path)
        measured[path] = found = page.evaluate(MEASURE)
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
        if found["scrollWidth"] > found["innerWidth"]:
            problems.append(f"{path}: the page is {found['scrollWidth']} px wide on a {found['innerWidth']} px screen")
        problems += [f"{path}: wider than the screen: {element}" for element in found["wide"]]
        problems += [f"{path}: too low to tap: {element}" for element in found["low"]]
        hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        for href in hrefs:
            parts = urlsplit(urljoin(base + path, href))
            if parts.netloc == urlsplit(base).netloc and not parts.fragment:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return measured, problems


def test_on_a_phone_no_page_of_the_secretary_is_wider_than_the_screen_and_every_control_is_a_touch_target(
    cast, secretary_day, live_server, page
):
    sign_in(page, live_server, "secretary_a")
    page.set_viewport_size(PHONE)
    measured, problems = _visit_every_page(page, live_server.url)

    reached = {resolve(urlsplit(path).path).view_name for path in measured}
    assert reached >= EXPECTED_PAGES, f"not reached: {sorted(EXPECTED_PAGES - reached)}"
    assert problems == []

    # The menu opened on the phone fits as well, each of its links a thumb high.
    page.goto(f"{live_server.url}/scoring/")
    page.get_by_role("button", name="菜单").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = page.locator("#site-nav a").evaluate_all("links => links.map(a => a.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44

    # The check-up sheet is a card per indicator: its name across the card, each figure under its heading.
    page.goto(f"{live_server.url}/scoring/village/{secretary_day.code}/?period=2025")
    assert not page.locator("table.checkup-table thead").is_visible()
    card = page.locator("table.checkup-table tr", has_text="CW1")
    label = card.locator("td[data-label]").first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"满分"'

    # The self-assessment: a card per item, the points and what was done a thumb high across the card.
    page.goto(f"{live_server.url}/star-rating/apply/{cast.village_a.code}/")
    item = page.locator("table.self-assessment tbody tr").first
    points, note = item.locator("input[type=number]"), item.locator("td.note input")
    assert Decimal(points.input_value()) > 0 and points.bounding_box()["height"] >= 44
    assert note.bounding_box()["width"] > 250  # not a sliver of a table column

    # The ledger: the overdue finding heads it, the closed one ends it.
    page.goto(f"{live_server.url}/inspections/findings/")
    cards = page.locator("table.findings tbody tr").all_inner_texts()
    problems = ("村务公开栏", "惠农补贴", "村道硬化")
    assert [next(problem for problem in problems if problem in card) for card in cards] == list(problems)

    # At 1366 px the sheet, the follow-up, the self-assessment and the ledger are tables with their heads.
    page.set_viewport_size({"width": 1366, "height": 800})
    for path, table in (
        (f"/scoring/village/{secretary_day.code}/?period=2025", "table.checkup-table"),
        (f"/scoring/follow-up/{cast.township_a.code}/?period=2025", "table.cards"),
        (f"/star-rating/apply/{cast.village_a.code}/", "table.self-assessment"),
        ("/inspections/findings/", "table.findings"),
    ):
        page.goto(live_server.url + path)
        assert page.locator(f"{table} thead").first.is_visible(), path
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366, path
