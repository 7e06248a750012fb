"""The star-rating pages: the secretary's self-assessment form keeps what was typed and says what is
wrong in Chinese, evidence is checked by content and served only within scope, review steps go through
the page, and stars show in the secretary's list, the check-up sheet, the overview and open data."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Round
from scoring.services import round_compute_results
from stars.models import StarApplication, StarItem

from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import criteria, decided, filed

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(criteria_, total_points="97", level="5", **extra):
    items = list(StarItem.objects.filter(dimension__criteria=criteria_).order_by("dimension__position", "position"))
    data = {"level_applied": level, "summary": "自评说明", "file": "0"}
    lost = Decimal("100") - Decimal(total_points)
    for item in items:
        taken = min(lost, item.max_points)
        lost -= taken
        data[f"item_{item.pk}"] = str(item.max_points - taken)
        data[f"note_{item.pk}"] = "已落实"
    data.update(extra)
    return data, items


def test_the_secretary_files_an_application_with_evidence(cast, client_for):
    criteria_ = criteria()
    data, _items = form_data(criteria_, file="1")
    data["files"] = [SimpleUploadedFile("三资台账.pdf", PDF, content_type="application/pdf")]
    response = client_for("secretary_a").post(reverse("stars:apply", args=[cast.village_a.code]) + "?year=2025", data)
    application = StarApplication.objects.get(village=cast.village_a)
    assert response.status_code == 302
    assert application.status == StarApplication.Status.SUBMITTED
    assert application.self_points == Decimal("97")
    attachment = application.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("三资台账.pdf", "application/pdf")
    download = client_for("staff").get(reverse("stars:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_a_wrong_form_keeps_what_was_typed_and_says_why_in_chinese(cast, client_for):
    criteria_ = criteria()
    data, items = form_data(criteria_, total_points="85", level="5")
    data[f"note_{items[0].pk}"] = "每月公开一次"
    response = client_for("secretary_a").post(reverse("stars:apply", args=[cast.village_a.code]), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "只达到3星，达不到5星" in text
    assert "每月公开一次" in text
    assert not StarApplication.objects.exists()


def test_evidence_is_checked_by_content_not_by_name(cast, client_for):
    criteria_ = criteria()
    data, _items = form_data(criteria_)
    data["files"] = [SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")]
    response = client_for("secretary_a").post(reverse("stars:apply", args=[cast.village_a.code]), data)
    assert response.status_code == 400
    assert "伪装.pdf不是PDF、JPEG、PNG、Word或Excel文件" in response.content.decode()
    assert not StarApplication.objects.exists()  # all or nothing: the scores were not kept either


def test_evidence_above_the_size_limit_is_refused(cast, client_for, settings):
    settings.EVIDENCE_MAX_MB = 1
    criteria_ = criteria()
    data, _items = form_data(criteria_)
    data["files"] = [SimpleUploadedFile("大.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")]
    response = client_for("secretary_a").post(reverse("stars:apply", args=[cast.village_a.code]), data)
    assert "大.pdf超过1 MB" in response.content.decode()


def test_evidence_of_another_township_is_404(cast, client_for):
    application = filed(cast, 3, total="85")
    attachment = application.attachments.create(
        file=SimpleUploadedFile("x.pdf", PDF),
        original_name="x.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="1" * 64,
        uploaded_by=cast.users["secretary_a"],
    )
    url = reverse("stars:attachment", args=[attachment.pk])
    assert client_for("secretary_b").get(url).status_code == 404
    assert client_for("secretary_a").get(url).status_code == 200
    assert client_for("petition").get(url).status_code == 403


def test_the_leader_decides_a_forwarded_application_on_its_page(cast, client_for):
    application = filed(cast, 4, total="90")
    page = client_for("secretary_a").post(
        reverse("stars:action", args=[application.pk, "forward"]),
        {"opinion": "建议四星", "points": "90", "level": "4", "version": application.version},
    )
    assert page.status_code == 302
    application.refresh_from_db()
    decision = {"points": "90", "level": "4", "version": application.version}
    refused = client_for("secretary_a").post(
        reverse("stars:action", args=[application.pk, "decide"]), {"opinion": "x", **decision}
    )
    assert refused.status_code == 403
    decided_page = client_for("leader").post(
        reverse("stars:action", args=[application.pk, "decide"]), {"opinion": "同意四星", **decision}
    )
    assert decided_page.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decided_level) == ("publicity", 4)


def test_a_refused_step_comes_back_with_the_reason_and_the_typed_opinion(cast, client_for):
    application = filed(cast, 3, total="85")
    response = client_for("secretary_a").post(
        reverse("stars:action", args=[application.pk, "decide"]),
        {"opinion": "我的意见", "points": "70", "level": "3", "version": application.version},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "70分只达到2星" in text and "我的意见" in text


@pytest.fixture
def published_2025(cast):
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(round_, cast.village_a, "95")
    fill_scores(round_, cast.village_b, "85")
    round_compute_results(round_)
    return round_


def test_stars_show_in_the_lists_the_sheet_the_overview_and_open_data(cast, client_for, published_2025):
    decided(cast, 4, total="90")
    secretary = client_for("secretary_a")
    assert "★★★★" in secretary.get(reverse("scoring:results")).content.decode()
    assert "★★★★" in secretary.get(reverse("scoring:checkup", args=[cast.village_a.code])).content.decode()
    overview = client_for("staff").get(reverse("scoring:overview")).content.decode()
    assert "各镇（街道）星级村数量" in overview
    public = client_for("anonymous")
    assert "★★★★" in public.get(reverse("public:index")).content.decode()
    rows = json.loads(public.get(reverse("public:open_data_json", args=["2025"])).content)
    assert {row["code"]: row["stars"] for row in rows} == {cast.village_a.code: 4, cast.village_b.code: None}


def test_the_secretary_sees_only_the_own_townships_applications(cast, client_for):
    filed(cast, 2, total="75")
    filed(cast, 2, total="75", village=cast.village_b)
    text = client_for("secretary_a").get(reverse("stars:list")).content.decode()
    assert cast.village_a.name in text and cast.village_b.name not in text
    other = StarApplication.objects.get(village=cast.village_b)
    assert client_for("secretary_a").get(reverse("stars:application", args=[other.pk])).status_code == 404


def test_a_step_posted_without_the_version_its_form_carries_is_refused_as_a_conflict(cast, client_for):
    application = filed(cast, 3, total="85")
    response = client_for("secretary_a").post(
        reverse("stars:action", args=[application.pk, "decide"]),
        {"opinion": "同意", "points": "85", "level": "3"},
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.status == "submitted"
