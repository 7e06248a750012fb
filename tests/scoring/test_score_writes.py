"""The writes of the integrity index's scores: a grid save changes only what its editor sent, a save on a
stale version shows the conflict before anything else and writes nothing, the reason shown is the reason
of the current value, and a round covers its own villages even after villages merge."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from inspections.services import finding_cite
from petitions.services import petition_cite
from scoring.models import Indicator, Round, Score, VillageResult
from scoring.selectors import round_villages
from scoring.services import (
    DEDUCTION_REASON_UNCHANGED,
    ScoreInput,
    round_approve,
    round_compute_results,
    round_correct,
    round_publish,
    round_submit,
    score_save,
    villages_lacking_scores,
)

from ..conftest import sign_in
from ..factories import UserFactory, VillageFactory
from ..inspection_helpers import finding
from ..petition_helpers import concluded, register
from ..scoring.test_round_pages import cell_url
from ..scoring_helpers import fill_scores, make_round
from ..villages.test_organisation_import import import_villages

STALE = "此分数已被他人修改"
NEEDS_REASON = "扣分必须填写理由。"
REASON_UNCHANGED = "扣分已变更：请填写新扣分的理由，不能沿用原扣分的理由。"


def score_of(round_, village, code) -> Score:
    return Score.objects.get(round=round_, village=village, indicator__code=code)


def save_cell(client, round_, village, points, reason="", *, version, code="MF4") -> str:
    data = {"points": points, "reason": reason, "version": version}
    return client.post(cell_url(round_, village, code), data).content.decode()


def publish(round_, cast) -> Round:
    round_submit(round_=round_, acting_user=cast.users["staff"])
    round_approve(round_=round_, acting_user=cast.users["leader"])
    return round_publish(round_=round_, acting_user=cast.users["leader"])


# --- 1. A grid edit changes only what the grid sends -------------------------------------------------


def test_editing_a_cited_deduction_in_the_grid_keeps_its_finding_evidence_source_and_scoring_unit(
    grid_round, cast, client_for
):
    item = finding(cast, description="惠农补贴台账不符")
    indicator = Indicator.objects.get(scheme=grid_round.period.scheme, code="CW5")
    finding_cite(
        finding=item, round_=grid_round, indicator=indicator, points=Decimal("2"), acting_user=cast.users["staff"]
    )
    # 片区联动: the neighbouring township scored this village, in the district's check.
    Score.objects.filter(round=grid_round, village=cast.village_a, indicator=indicator).update(
        scoring_unit=cast.township_b, source=Score.Source.DISTRICT_CHECK
    )
    cited = score_of(grid_round, cast.village_a, "CW5")
    save_cell(
        client_for("staff"), grid_round, cast.village_a, "1.5", "台账不符且补贴迟发", version=cited.version, code="CW5"
    )
    edited = score_of(grid_round, cast.village_a, "CW5")
    assert (edited.points, edited.reason) == (Decimal("1.50"), "台账不符且补贴迟发")
    assert (edited.finding, edited.evidence, edited.source, edited.scoring_unit) == (
        item,
        f"巡察问题#{item.pk}",
        Score.Source.DISTRICT_CHECK,
        cast.township_b,
    )


def test_editing_a_deduction_citing_a_petition_keeps_the_petition(grid_round, cast, client_for):
    petition = concluded(cast, register(cast))
    indicator = Indicator.objects.get(scheme=grid_round.period.scheme, code="CW2")
    petition_cite(
        petition=petition, round_=grid_round, indicator=indicator, points=Decimal("3"), acting_user=cast.users["staff"]
    )
    cited = score_of(grid_round, cast.village_a, "CW2")
    staff = client_for("staff")
    save_cell(staff, grid_round, cast.village_a, "2", "三资管理问题2件", version=cited.version, code="CW2")
    edited = score_of(grid_round, cast.village_a, "CW2")
    assert (edited.points, edited.petition, edited.evidence) == (Decimal("2"), petition, f"信访件#{petition.pk}")


def test_citing_a_finding_for_an_indicator_that_already_has_another_deduction_is_refused_and_keeps_it(grid_round, cast):
    staff = cast.users["staff"]
    indicator = Indicator.objects.get(scheme=grid_round.period.scheme, code="CW5")
    petition = concluded(cast, register(cast))
    petition_cite(petition=petition, round_=grid_round, indicator=indicator, points=Decimal("3"), acting_user=staff)
    item = finding(cast, description="惠农补贴台账不符")
    with pytest.raises(ValidationError) as refused:
        finding_cite(finding=item, round_=grid_round, indicator=indicator, points=Decimal("2"), acting_user=staff)
    assert refused.value.code == "deduction_exists"
    assert refused.value.messages[0].startswith("CW5已有扣分（")
    kept = score_of(grid_round, cast.village_a, "CW5")
    assert (kept.petition, kept.finding, kept.points) == (petition, None, Decimal("3"))
    # The record it cites already may be cited again, for another amount.
    petition_cite(petition=petition, round_=grid_round, indicator=indicator, points=Decimal("2.5"), acting_user=staff)
    assert score_of(grid_round, cast.village_a, "CW5").points == Decimal("2.5")


def test_a_new_score_is_scored_by_the_villages_own_township_unless_another_is_named(cast):
    round_ = make_round()
    indicator = Indicator.objects.get(scheme=round_.period.scheme, code="MF4")
    score = score_save(
        round_=round_,
        village=cast.village_b,
        indicator=indicator,
        data=ScoreInput(Decimal("5")),
        expected_version=0,
        acting_user=cast.users["staff"],
    )
    assert (score.scoring_unit, score.source, score.finding) == (cast.township_b, Score.Source.TOWNSHIP_CHECK, None)
    neighbour = score_save(
        round_=round_,
        village=cast.village_b,
        indicator=Indicator.objects.get(scheme=round_.period.scheme, code="CW2"),
        data=ScoreInput(Decimal("4"), reason="片区联动查实1笔", scoring_unit_id=cast.township_a.pk),
        expected_version=0,
        acting_user=cast.users["staff"],
    )
    assert neighbour.scoring_unit == cast.township_a


# --- 4. Lost update: the conflict first ---------------------------------------------------------------


@pytest.fixture
def two_editors(cast, client_for):
    cast.users["staff"].full_name = "甲科员"
    cast.users["staff"].save()
    other = UserFactory(username="staff_b", full_name="乙科员", role=cast.users["staff"].role)
    return client_for("staff"), sign_in(client_for("anonymous"), other)


def test_a_stale_deduction_without_reason_shows_the_conflict_and_what_was_typed(grid_round, cast, two_editors):
    editor_a, editor_b = two_editors
    seen = score_of(grid_round, cast.village_a, "MF4").version
    save_cell(editor_a, grid_round, cast.village_a, "4", "甲：红白喜事大操大办", version=seen)
    saved = score_of(grid_round, cast.village_a, "MF4")

    html = save_cell(editor_b, grid_round, cast.village_a, "3", version=seen)
    when = timezone.localtime(saved.updated_at).strftime("%Y-%m-%d %H:%M")
    assert f"{STALE}（现为4.00），请核对后重新保存。" in html
    assert f"由甲科员于{when}保存，理由：甲：红白喜事大操大办。" in html
    assert "您输入的（3，—）未保存。" in html and NEEDS_REASON not in html
    assert f'name="version" value="{saved.version}"' in html  # the next save overwrites knowingly
    assert score_of(grid_round, cast.village_a, "MF4").points == Decimal("4")

    again = save_cell(editor_b, grid_round, cast.village_a, "3", "乙：另查实1件", version=seen)
    assert STALE in again and "您输入的（3，乙：另查实1件）未保存。" in again
    assert score_of(grid_round, cast.village_a, "MF4").reason == "甲：红白喜事大操大办"

    save_cell(editor_b, grid_round, cast.village_a, "3", "乙：另查实1件", version=saved.version)
    overwritten = score_of(grid_round, cast.village_a, "MF4")
    assert (overwritten.points, overwritten.reason, overwritten.updated_by.username) == (
        Decimal("3"),
        "乙：另查实1件",
        "staff_b",
    )


def test_a_stale_cell_with_an_entry_that_is_not_a_number_shows_the_conflict(grid_round, cast, two_editors):
    editor_a, editor_b = two_editors
    seen = score_of(grid_round, cast.village_a, "MF4").version
    save_cell(editor_a, grid_round, cast.village_a, "4", "甲：红白喜事", version=seen)
    html = save_cell(editor_b, grid_round, cast.village_a, "四", version=seen)
    assert f"{STALE}（现为4.00）" in html and "您输入的（四，—）未保存。" in html
    assert "请输入一个数字" not in html


def test_a_stale_save_is_refused_before_the_missing_reason(grid_round, cast):
    indicator = Indicator.objects.get(scheme=grid_round.period.scheme, code="MF4")
    kwargs = {"round_": grid_round, "village": cast.village_a, "indicator": indicator}
    kwargs["acting_user"] = cast.users["staff"]
    seen = score_of(grid_round, cast.village_a, "MF4").version
    score_save(data=ScoreInput(Decimal("4"), reason="甲的扣分"), expected_version=seen, **kwargs)
    with pytest.raises(ValidationError) as stale:
        score_save(data=ScoreInput(Decimal("3")), expected_version=seen, **kwargs)
    assert stale.value.code == "stale" and "现为4.00" in stale.value.messages[0]


# --- 5. The reason shown is the reason of the current value -------------------------------------------


def test_resetting_a_cited_deduction_to_full_marks_clears_its_reason_evidence_and_finding(grid_round, cast, client_for):
    item = finding(cast)
    indicator = Indicator.objects.get(scheme=grid_round.period.scheme, code="CW5")
    cited = finding_cite(
        finding=item, round_=grid_round, indicator=indicator, points=Decimal("2"), acting_user=cast.users["staff"]
    )
    # The reason input still holds the old reason when the editor types full marks.
    save_cell(client_for("staff"), grid_round, cast.village_a, "4", cited.reason, version=cited.version, code="CW5")
    full = score_of(grid_round, cast.village_a, "CW5")
    assert (full.points, full.reason, full.evidence, full.finding) == (Decimal("4"), "", "", None)
    assert full.history.all()[1].reason == cited.reason  # the history keeps what the deduction rested on


def test_changing_the_amount_of_a_deduction_with_its_old_reason_is_refused(grid_round, cast, client_for):
    staff = client_for("staff")
    seen = score_of(grid_round, cast.village_a, "MF4").version
    save_cell(staff, grid_round, cast.village_a, "4.5", "扣0.5分：红白喜事", version=seen)
    html = save_cell(staff, grid_round, cast.village_a, "3.5", "扣0.5分：红白喜事", version=seen + 1)
    assert REASON_UNCHANGED in html and 'value="3.5"' in html
    assert score_of(grid_round, cast.village_a, "MF4").points == Decimal("4.5")
    with pytest.raises(ValidationError) as refused:
        score_save(
            round_=grid_round,
            village=cast.village_a,
            indicator=Indicator.objects.get(scheme=grid_round.period.scheme, code="MF4"),
            data=ScoreInput(Decimal("3.5"), reason=" 扣0.5分：红白喜事 "),
            expected_version=seen + 1,
            acting_user=cast.users["staff"],
        )
    assert refused.value.message_dict == {"reason": [str(DEDUCTION_REASON_UNCHANGED)]}


def test_the_check_up_sheet_shows_the_reason_of_the_current_value(cast, client_for):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "100")
    fill_scores(round_, cast.village_b, "100")
    staff = client_for("staff")
    mf4, cw2 = score_of(round_, cast.village_a, "MF4").version, score_of(round_, cast.village_a, "CW2").version
    save_cell(staff, round_, cast.village_a, "4.5", "扣0.5分：红白喜事", version=mf4)
    save_cell(staff, round_, cast.village_a, "3.5", "扣0.5分：红白喜事", version=mf4 + 1)  # refused
    save_cell(staff, round_, cast.village_a, "3.5", "扣1.5分：红白喜事3件", version=mf4 + 1)
    save_cell(staff, round_, cast.village_a, "4", "扣1分：坐收坐支", version=cw2, code="CW2")
    save_cell(staff, round_, cast.village_a, "5", "扣1分：坐收坐支", version=cw2 + 1, code="CW2")
    # A full mark saved with a reason before reasons were cleared: the sheet does not show it either.
    Score.objects.filter(round=round_, village=cast.village_a, indicator__code="BZ2").update(reason="扣2分：旧理由")
    publish(round_, cast)

    page = client_for("secretary_a").get(reverse("scoring:checkup", args=[cast.village_a.code]))
    lines = {line.indicator.code: line for block in page.context["blocks"] for line in block.lines}
    assert (lines["MF4"].lost, lines["MF4"].reason) == (Decimal("1.50"), "扣1.5分：红白喜事3件")
    assert (lines["CW2"].lost, lines["CW2"].reason) == (Decimal("0"), "")
    assert (lines["BZ2"].lost, lines["BZ2"].reason) == (Decimal("0"), "")
    html = page.content.decode()
    assert "扣1.5分：红白喜事3件" in html and "扣0.5分" not in html and "扣1分" not in html and "扣2分" not in html


# --- 11. A round covers its own villages ---------------------------------------------------------------


def test_a_correction_of_a_round_published_before_two_villages_merged_covers_the_old_villages(cast, client_for):
    merged = VillageFactory(township=cast.township_a, code="331004001202", name="桥头村")
    round_ = make_round()
    for village in (cast.village_a, merged, cast.village_b):
        fill_scores(round_, village, "90")
    publish(round_, cast)
    old_villages = [cast.village_a.code, merged.code, cast.village_b.code]
    merge = import_villages([(merged.code, merged.name, "village", cast.township_a.code, "0", cast.village_a.code)])
    assert not merge.has_validation_errors()

    round_compute_results(Round.objects.get(pk=round_.pk))
    assert sorted(VillageResult.objects.filter(round=round_).values_list("village__code", flat=True)) == old_villages
    correction = round_correct(round_=round_, acting_user=cast.users["staff"], reason="桥头村MF4录入错误")
    assert [village.code for village in round_villages(correction)] == old_villages
    assert villages_lacking_scores(correction) == []

    staff = client_for("staff")
    progress = staff.get(reverse("scoring:round", args=[correction.pk])).context["progress"]
    assert [(line.township.code, line.complete, line.villages) for line in progress] == [
        (cast.township_a.code, 2, 2),  # the merged village still counts in its own round
        (cast.township_b.code, 1, 1),
    ]
    grid = staff.get(reverse("scoring:entry", args=[correction.pk, cast.township_a.code]))
    assert [row["village"].code for row in grid.context["rows"]] == [cast.village_a.code, merged.code]
    export = staff.get(reverse("scoring:round_export", args=[correction.pk]))
    sheet = load_workbook(BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == old_villages
    save_cell(staff, correction, merged, "4", "扣1分：大操大办", version=score_of(correction, merged, "MF4").version)
    assert score_of(correction, merged, "MF4").points == Decimal("4")

    round_submit(round_=correction, acting_user=cast.users["staff"])
    results = VillageResult.objects.filter(round=correction)
    assert sorted(results.values_list("village__code", flat=True)) == old_villages
    assert results.get(village=merged).total == Decimal("89")


def test_a_fresh_draft_covers_the_villages_active_today(cast):
    merged = VillageFactory(township=cast.township_a, code="331004001202", name="桥头村")
    import_villages([(merged.code, merged.name, "village", cast.township_a.code, "0", cast.village_a.code)])
    fresh = make_round("2026")
    assert [village.code for village in round_villages(fresh)] == [cast.village_a.code, cast.village_b.code]
