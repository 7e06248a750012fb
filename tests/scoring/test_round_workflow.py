"""A round moves draft → submitted → approved → published; publication freezes it; a correction is a
new revision kept beside the old; every score change is in the history."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent, EventType
from scoring.models import Indicator, Round, Score, VillageResult
from scoring.services import (
    ABOVE_MAXIMUM,
    DEDUCTION_NEEDS_REASON,
    ROUND_NOT_EDITABLE,
    ScoreInput,
    round_approve,
    round_correct,
    round_publish,
    round_return,
    round_submit,
    score_save,
)

from ..scoring_helpers import fill_scores, make_round


@pytest.fixture
def full_round(cast):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "92.5")
    fill_scores(round_, cast.village_b, "78")
    return round_


def test_submit_is_refused_while_a_village_lacks_a_score(cast):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "95")
    fill_scores(round_, cast.village_b, "90", skip=1)
    with pytest.raises(ValidationError) as refused:
        round_submit(round_=round_, acting_user=cast.users["staff"])
    assert refused.value.code == "lacking_scores"
    assert refused.value.messages == [f"还有1个村居分数不全，包括{cast.village_b.name}。"]
    assert Round.objects.get(pk=round_.pk).status == Round.Status.DRAFT


def test_the_whole_path_to_publication(full_round, cast):
    round_submit(round_=full_round, acting_user=cast.users["staff"])
    round_approve(round_=full_round, acting_user=cast.users["leader"])
    published = round_publish(round_=full_round, acting_user=cast.users["leader"])
    assert published.status == Round.Status.PUBLISHED and published.published_by == cast.users["leader"]
    assert VillageResult.objects.get(round=full_round, village=cast.village_a).grade == "A"
    assert AuditEvent.objects.filter(event_type=EventType.UPDATED, target_type="scoring.Round").count() == 3


def test_only_the_leader_approves_and_publishes(full_round, cast):
    round_submit(round_=full_round, acting_user=cast.users["staff"])
    for who in ["staff", "secretary_a", "sysadmin"]:
        with pytest.raises(PermissionDenied):
            round_approve(round_=full_round, acting_user=cast.users[who])
    with pytest.raises(PermissionDenied):
        round_submit(round_=full_round, acting_user=cast.users["secretary_a"])


def test_the_leader_can_return_a_submitted_round(full_round, cast):
    round_submit(round_=full_round, acting_user=cast.users["staff"])
    round_return(round_=full_round, acting_user=cast.users["leader"], reason="请核对金清镇数据")
    assert Round.objects.get(pk=full_round.pk).status == Round.Status.DRAFT


def publish(round_, cast):
    round_submit(round_=round_, acting_user=cast.users["staff"])
    round_approve(round_=round_, acting_user=cast.users["leader"])
    return round_publish(round_=round_, acting_user=cast.users["leader"])


def test_publication_freezes_the_scores(full_round, cast):
    publish(full_round, cast)
    indicator = Indicator.objects.filter(scheme=full_round.period.scheme).first()
    frozen = ROUND_NOT_EDITABLE % {"round": full_round, "status": Round.Status.PUBLISHED.label}
    with pytest.raises(ValidationError, match=re.escape(frozen)):
        score_save(
            round_=full_round,
            village=cast.village_a,
            indicator=indicator,
            data=ScoreInput(indicator.max_points),
            expected_version=1,
            acting_user=cast.users["staff"],
        )


def test_a_correction_is_a_new_revision_kept_beside_the_old(full_round, cast):
    publish(full_round, cast)
    correction = round_correct(round_=full_round, acting_user=cast.users["staff"], reason="石曲村BZ1分数录入错误")
    assert correction.revision == 2 and correction.status == Round.Status.DRAFT
    assert Score.objects.filter(round=correction).count() == Score.objects.filter(round=full_round).count()
    indicator = Indicator.objects.get(scheme=full_round.period.scheme, code="BZ1")
    score = Score.objects.get(round=correction, village=cast.village_a, indicator=indicator)
    score_save(
        round_=correction,
        village=cast.village_a,
        indicator=indicator,
        data=ScoreInput(Decimal("5")),
        expected_version=score.version,
        acting_user=cast.users["staff"],
    )
    publish(correction, cast)
    old = VillageResult.objects.get(round=full_round, village=cast.village_a)
    new = VillageResult.objects.get(round=correction, village=cast.village_a)
    assert (old.total, new.total) == (Decimal("92.5"), Decimal("97.5"))


def test_a_correction_needs_a_reason(full_round, cast):
    publish(full_round, cast)
    with pytest.raises(ValidationError, match="更正必须填写理由。"):
        round_correct(round_=full_round, acting_user=cast.users["staff"], reason="  ")


def test_every_score_change_is_in_the_history_with_who_and_why(cast):
    round_ = make_round()
    indicator = Indicator.objects.get(scheme=round_.period.scheme, code="CW2")
    staff = cast.users["staff"]
    first = score_save(
        round_=round_,
        village=cast.village_a,
        indicator=indicator,
        data=ScoreInput(Decimal("5")),
        expected_version=None,
        acting_user=staff,
    )
    score_save(
        round_=round_,
        village=cast.village_a,
        indicator=indicator,
        data=ScoreInput(Decimal("3.5"), reason="集体资金坐收坐支2笔"),
        expected_version=first.version,
        acting_user=staff,
    )
    latest, earliest = first.history.all()[:2]
    assert (earliest.points, latest.points) == (Decimal("5"), Decimal("3.5"))
    assert latest.history_user == staff and latest.history_change_reason == "集体资金坐收坐支2笔"
    event = AuditEvent.objects.filter(event_type=EventType.UPDATED, target_type="scoring.Score").get()
    assert event.data["changes"]["points"] == {"before": "5.00", "after": "3.50"}


def test_a_deduction_needs_a_reason_and_the_maximum_holds(cast):
    round_ = make_round()
    indicator = Indicator.objects.get(scheme=round_.period.scheme, code="CW2")
    kwargs = {
        "round_": round_,
        "village": cast.village_a,
        "indicator": indicator,
        "expected_version": None,
        "acting_user": cast.users["staff"],
    }
    with pytest.raises(ValidationError) as no_reason:
        score_save(data=ScoreInput(Decimal("4")), **kwargs)
    assert no_reason.value.error_dict["reason"][0].code == "reason_needed"
    assert no_reason.value.message_dict == {"reason": [str(DEDUCTION_NEEDS_REASON)]}
    with pytest.raises(ValidationError) as too_high:
        score_save(data=ScoreInput(Decimal("5.5")), **kwargs)
    too_high_text = ABOVE_MAXIMUM % {"points": Decimal("5.50"), "max": indicator.max_points, "indicator": "CW2"}
    assert too_high.value.message_dict == {"points": [too_high_text]}


def test_two_people_saving_the_same_score_do_not_overwrite_each_other(cast):
    round_ = make_round()
    indicator = Indicator.objects.get(scheme=round_.period.scheme, code="CW2")
    kwargs = {"round_": round_, "village": cast.village_a, "indicator": indicator}
    seen = score_save(data=ScoreInput(Decimal("5")), expected_version=None, acting_user=cast.users["staff"], **kwargs)
    score_save(
        data=ScoreInput(Decimal("4"), reason="甲的扣分"),
        expected_version=seen.version,
        acting_user=cast.users["staff"],
        **kwargs,
    )
    with pytest.raises(ValidationError) as stale:
        score_save(
            data=ScoreInput(Decimal("3"), reason="乙的扣分"),
            expected_version=seen.version,
            acting_user=cast.users["staff"],
            **kwargs,
        )
    assert stale.value.code == "stale" and "4.00" in stale.value.messages[0]
    assert Score.objects.get(round=round_, village=cast.village_a, indicator=indicator).points == Decimal("4")
