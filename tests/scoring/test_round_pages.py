"""The round's pages: creating, the workflow buttons, the import preview and confirmation, and the
spreadsheet-like entry grid with its cell saves."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from scoring.models import Period, Round, Score

from ..factories import VillageFactory
from ..scoring_helpers import confirmed, default_scheme, fill_scores, make_round


def test_staff_create_a_round_for_a_new_period(cast, client_for):
    response = client_for("staff").post(reverse("scoring:rounds"), {"period": "2027", "scheme": default_scheme().pk})
    round_ = Round.objects.get(period__code="2027")
    assert response["Location"] == reverse("scoring:round", args=[round_.pk])
    assert Period.objects.get(code="2027").scheme == default_scheme()


def test_a_bad_period_keeps_what_was_typed(cast, client_for):
    page = client_for("staff").post(reverse("scoring:rounds"), {"period": "27", "scheme": default_scheme().pk})
    assert page.status_code == 200 and page.context["form"]["period"].value() == "27"
    assert "2025H1" in str(page.context["form"].errors["period"])


def test_submitting_with_a_missing_score_shows_why(cast, client_for):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "90")
    page = client_for("staff").post(reverse("scoring:round_transition", args=[round_.pk, "submit"]), follow=True)
    assert "分数不全" in page.content.decode() and cast.village_b.name in page.content.decode()


def test_the_workflow_through_the_buttons(cast, client_for):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "90")
    fill_scores(round_, cast.village_b, "80")
    staff, leader = client_for("staff"), client_for("leader")
    staff.post(reverse("scoring:round_transition", args=[round_.pk, "submit"]))
    assert staff.post(reverse("scoring:round_transition", args=[round_.pk, "approve"])).status_code == 403
    assert Round.objects.get(pk=round_.pk).status == Round.Status.SUBMITTED  # staff cannot approve
    leader.post(reverse("scoring:round_transition", args=[round_.pk, "approve"]))
    leader.post(reverse("scoring:round_transition", args=[round_.pk, "publish"]), confirmed(round_))
    assert Round.objects.get(pk=round_.pk).status == Round.Status.PUBLISHED
    response = staff.post(reverse("scoring:round_transition", args=[round_.pk, "correct"]), {"reason": "更正BZ1"})
    correction = Round.objects.get(period=round_.period, revision=2)
    assert response["Location"] == reverse("scoring:round", args=[correction.pk])


def xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("scores.xlsx", buffer.getvalue())


def test_import_preview_then_confirm(cast, client_for):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "100")
    client = client_for("staff")
    preview = client.post(
        reverse("scoring:round_import", args=[round_.pk]),
        {"file": xlsx([["code", "name", "MF4", "MF4 理由"], [cast.village_a.code, "石曲村", 3, "大操大办2件"]])},
    )
    changes = [(c.row, c.before, c.after, c.reason) for c in preview.context["preview"].changes]
    assert changes == [(2, Decimal("5"), Decimal("3"), "大操大办2件")] and "大操大办2件" in preview.content.decode()
    assert Score.objects.get(round=round_, village=cast.village_a, indicator__code="MF4").points == Decimal("5")
    confirmed = client.post(
        reverse("scoring:round_import_confirm", args=[round_.pk]), {"token": preview.context["token"]}
    )
    assert confirmed.status_code == 302
    assert Score.objects.get(round=round_, village=cast.village_a, indicator__code="MF4").points == Decimal("3")


def test_an_import_with_errors_lists_them_and_offers_no_confirmation(cast, client_for):
    round_ = make_round()
    page = client_for("staff").post(
        reverse("scoring:round_import", args=[round_.pk]), {"file": xlsx([["code", "name", "MF4"], ["1", "x", 9]])}
    )
    html = page.content.decode()
    assert "没有代码为“1”的村居" in html and "确认导入" not in html


def test_a_hostile_file_is_refused_on_the_form(cast, client_for):
    round_ = make_round()
    upload = SimpleUploadedFile("scores.xlsm", b"PK\x03\x04 not really")
    page = client_for("staff").post(reverse("scoring:round_import", args=[round_.pk]), {"file": upload})
    assert "宏" in str(page.context["form"].errors["file"])


def cell_url(round_, village, code="MF4"):
    return reverse("scoring:entry_cell", args=[round_.pk, village.code, code])


def test_a_cell_saves_and_the_row_total_and_grade_come_back(grid_round, cast, client_for):
    score = Score.objects.get(round=grid_round, village=cast.village_a, indicator__code="MF4")
    response = client_for("staff").post(
        cell_url(grid_round, cast.village_a),
        {"points": "1", "reason": "红白喜事大操大办", "version": score.version, "source": "township_check"},
    )
    html = response.content.decode()
    assert 'id="total-331004001201"' in html and "91.00" in html and "grade-A" in html
    assert Score.objects.get(pk=score.pk).points == Decimal("1")


def test_a_deduction_without_reason_keeps_the_typed_value_and_asks_for_it(grid_round, cast, client_for):
    score = Score.objects.get(round=grid_round, village=cast.village_a, indicator__code="MF4")
    html = (
        client_for("staff")
        .post(
            cell_url(grid_round, cast.village_a),
            {"points": "2.5", "version": score.version, "source": "township_check"},
        )
        .content.decode()
    )
    assert "扣分必须填写理由" in html and 'value="2.5"' in html
    assert Score.objects.get(pk=score.pk).points == Decimal("5")


def test_a_stale_cell_is_not_overwritten_and_shows_the_current_value(grid_round, cast, client_for):
    score = Score.objects.get(round=grid_round, village=cast.village_a, indicator__code="MF4")
    client = client_for("staff")
    client.post(
        cell_url(grid_round, cast.village_a),
        {"points": "4", "reason": "甲", "version": score.version, "source": "township_check"},
    )
    html = client.post(
        cell_url(grid_round, cast.village_a),
        {"points": "3", "reason": "乙", "version": score.version, "source": "township_check"},
    ).content.decode()
    assert "已被他人修改" in html and "4.00" in html
    assert Score.objects.get(pk=score.pk).points == Decimal("4")


def test_the_grid_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    round_ = make_round()
    for village in [cast.village_a, *VillageFactory.create_batch(40, township=cast.township_a)]:
        fill_scores(round_, village, "88")
    client = client_for("staff")
    client.get(reverse("scoring:entry", args=[round_.pk, cast.township_a.code]))  # warm caches, as in real use
    with django_assert_max_num_queries(10):
        page = client.get(reverse("scoring:entry", args=[round_.pk, cast.township_a.code]))
    assert len(page.context["rows"]) == 41 and page.content.decode().count("data-grid-cell") == 41 * 23
