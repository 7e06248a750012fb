"""The public index: only published results, the same rows in the page and the open data, grades on the
thresholds, competition ranks, formula-safe files, a cache that publishing clears, constant queries."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from scoring.models import Round
from scoring.services import round_approve, round_compute_results, round_publish, round_submit

from ..conftest import CANARY
from ..factories import VillageFactory
from ..scoring_helpers import fill_scores, make_round

PUBLIC_URLS = [
    "public:index",
    "public:period",
    "public:village",
    "public:notice",
    "public:open_data_csv",
    "public:open_data_json",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def publish(cast, code, totals):
    round_ = make_round(code)
    for village, total in totals.items():
        fill_scores(round_, village, total)
    round_submit(round_=round_, acting_user=cast.users["staff"])
    round_approve(round_=round_, acting_user=cast.users["leader"])
    return round_publish(round_=round_, acting_user=cast.users["leader"])


def public_url(name, period="2025", code=None):
    if name == "public:index":
        return reverse(name)
    if name in ("public:village", "public:notice"):
        return reverse(name, args=[period, code])
    return reverse(name, args=[period])


def test_an_unpublished_round_shows_nowhere(cast, client, django_capture_on_commit_callbacks):
    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "91")
    fill_scores(round_, cast.village_b, "81")
    round_compute_results(round_)
    for status in [Round.Status.DRAFT, Round.Status.SUBMITTED, Round.Status.APPROVED]:
        Round.objects.filter(pk=round_.pk).update(status=status)
        assert "石曲村" not in client.get(reverse("public:index")).content.decode()
        for name in PUBLIC_URLS[1:]:
            assert client.get(public_url(name, code=cast.village_a.code)).status_code == 404, (status, name)


def test_publishing_shows_the_round_at_once(cast, client, django_capture_on_commit_callbacks):
    assert "尚未公布" in client.get(reverse("public:index")).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast, "2025", {cast.village_a: "91", cast.village_b: "81"})
    html = client.get(reverse("public:index")).content.decode()
    assert "石曲村" in html and "91.00" in html


def test_a_published_correction_replaces_the_page_and_says_why(cast, client, django_capture_on_commit_callbacks):
    from scoring.services import round_correct

    with django_capture_on_commit_callbacks(execute=True):
        first = publish(cast, "2025", {cast.village_a: "91", cast.village_b: "81"})
    client.get(reverse("public:index"))
    with django_capture_on_commit_callbacks(execute=True):
        correction = round_correct(round_=first, acting_user=cast.users["staff"], reason="石曲村得分录入有误")
        round_submit(round_=correction, acting_user=cast.users["staff"])
        round_approve(round_=correction, acting_user=cast.users["leader"])
        round_publish(round_=correction, acting_user=cast.users["leader"])
    html = client.get(reverse("public:index")).content.decode()
    assert "石曲村得分录入有误" in html


@pytest.fixture
def published(cast, django_capture_on_commit_callbacks):
    extra = VillageFactory(township=cast.township_a, name='=HYPERLINK("http://x","村")')
    tied = VillageFactory(township=cast.township_b, name="并列村")
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast, "2024", {cast.village_a: "85", cast.village_b: "70", extra: "80", tied: "70"})
        return publish(cast, "2025", {cast.village_a: "90", cast.village_b: "79.99", extra: "80", tied: "79.99"})


def test_open_data_agrees_with_the_page_and_the_rules(published, cast, client):
    page_rows = list(client.get(reverse("public:period", args=["2025"])).context["page"])
    data = json.loads(client.get(reverse("public:open_data_json", args=["2025"])).content)
    text = client.get(reverse("public:open_data_csv", args=["2025"])).content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["code"] for r in rows] == [r["code"] for r in data] == [r.code for r in page_rows]
    by_code = {r["code"]: r for r in data}
    assert by_code[cast.village_a.code]["grade"] == "A" and by_code[cast.village_a.code]["change"] == "5.00"
    assert by_code[cast.village_b.code]["grade"] == "C" and by_code[cast.village_b.code]["total"] == "79.99"
    ranks = sorted((Decimal(r["total"]), r["district_rank"]) for r in data)
    assert [rank for _total, rank in sorted(ranks, reverse=True)] == [1, 2, 3, 3]
    assert set(rows[0]) == {
        "code",
        "name",
        "township_code",
        "township",
        "period",
        "total",
        "grade",
        "township_rank",
        "district_rank",
        "stars",
        "change",
        "veto",
        "comparable",  # issue 19: added after the contract's columns
    }


def test_a_name_starting_with_equals_is_exported_safely(published, client):
    text = client.get(reverse("public:open_data_csv", args=["2025"])).content.decode("utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_no_person_no_petition_no_indicator_reason_on_public_pages(published, cast, client):
    html = (
        "".join(client.get(public_url(name, code=cast.village_a.code)).content.decode() for name in PUBLIC_URLS)
        + client.get(reverse("public:methodology")).content.decode()
    )
    assert "测试扣分" not in html  # indicator-level reasons
    assert "用户" not in html and cast.users["staff"].username not in html


def test_the_village_page_has_history_categories_and_a_qr_notice(published, cast, client):
    page = client.get(reverse("public:village", args=["2025", cast.village_a.code]))
    assert [line.period for line in page.context["history"]] == ["2025", "2024"]
    assert [name for name, *_ in page.context["categories"]] == ["班子清廉", "干部清正", "村务清爽", "民风清朗"]
    notice = client.get(reverse("public:notice", args=["2025", cast.village_a.code]))
    assert notice.context["qr"].startswith("data:image/svg+xml")
    assert notice.context["url"].endswith(reverse("public:village", args=["2025", cast.village_a.code]))


def test_the_methodology_shows_the_scheme(published, client):
    html = client.get(reverse("public:methodology")).content.decode()
    assert "班子清廉" in html and "BZ1" in html and "12388" in html


def test_filter_search_and_sort(published, cast, client):
    url = reverse("public:period", args=["2025"])
    only_b = client.get(url, {"t": cast.township_b.code}).context["page"]
    assert {row.code for row in only_b} == {cast.village_b.code, *[r.code for r in only_b if r.name == "并列村"]}
    assert [row.name for row in client.get(url, {"q": "石曲"}).context["page"]] == ["石曲村"]
    assert CANARY in client.get(url).content.decode()  # public: every township


def test_public_pages_are_cacheable(published, client):
    response = client.get(reverse("public:index"))
    assert response["Cache-Control"] == "public, max-age=120"


@pytest.mark.parametrize("extra", [0, 150])
def test_the_page_runs_the_same_number_of_queries_at_any_size(
    cast, client, django_assert_max_num_queries, extra, django_capture_on_commit_callbacks
):
    villages = {cast.village_a: "91", cast.village_b: "85"}
    for village in VillageFactory.create_batch(extra, township=cast.township_a):
        villages[village] = "88"
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast, "2024", villages)
        publish(cast, "2025", villages)
    cache.clear()
    client.get(reverse("villages:list"))  # warm the per-process caches (demo flag)
    with django_assert_max_num_queries(9):  # 9th: the open data licence (issue 19)
        assert client.get(reverse("public:index") + "?nocache=" + str(extra)).status_code == 200


def test_the_methodology_says_how_to_object_during_the_publicity_period(published, client):
    html = client.get(reverse("public:methodology")).content.decode()
    assert "公示与异议" in html and reverse("objection:receipt") in html  # tests/public/test_publicity_window.py
    assert "结果经核实有误的予以更正，更正的原因和日期在本页公布。" in html
