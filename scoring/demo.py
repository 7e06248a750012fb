"""Made-up index data for the demo, one county at a time: yearly rounds with a spread like Luqiao's (many
B, some A, a tail of C), every period published but the current one, which stays a complete draft; one
period per county and year, on the default scheme. Deterministic."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from villages.models import District, Village

from .models import (
    BonusItem,
    BonusScore,
    Diagnosis,
    HelpVisit,
    IndexObjection,
    Indicator,
    Pairing,
    Period,
    Rectification,
    Round,
    Scheme,
    Score,
    VetoEvent,
    VetoItem,
)
from .objections import objection_answer, objection_correction_open, objection_submitted
from .selectors import follow_up, latest_published_round
from .services import (
    ScoreInput,
    publicity_ends_on,
    round_approve,
    round_compute_results,
    round_publish,
    round_submit,
    score_save,
)
from .standard import create_default_scheme

HALF = Decimal("0.5")


def default_scheme() -> Scheme:
    create_default_scheme(django_apps)  # idempotent: the data migration normally did it already
    return Scheme.objects.filter(is_example=True).order_by("version").first()


def _deductions(rng: random.Random, indicators: list[Indicator], lost: Decimal) -> dict[int, Decimal]:
    """Spread `lost` points over the indicators in half points, never beyond an indicator's maximum."""
    taken = {indicator.pk: Decimal("0") for indicator in indicators}
    while lost > 0:
        indicator = rng.choice(indicators)
        room = indicator.max_points - taken[indicator.pk]
        step = min(HALF if lost >= HALF else lost, room)
        if step > 0:
            taken[indicator.pk] += step
            lost -= step
    return taken


def _target_total(rng: random.Random, village_bias: float) -> Decimal:
    total = max(62.0, min(99.6, rng.gauss(85.0 + village_bias, 3.0)))
    return Decimal(str(round(total * 2) / 2))  # half points, like a paper check-up


@transaction.atomic
def seed_index(*, district: District, years: int, leader=None, today=None) -> list[Round]:
    """The county's rounds for the last `years` years (the current one a draft), published by its
    `leader`; the county's existing periods are left alone."""
    today = today or timezone.localdate()
    scheme = default_scheme()
    indicators = list(Indicator.objects.filter(scheme=scheme))
    bonus_item = BonusItem.objects.filter(scheme=scheme).first()
    veto_item = VetoItem.objects.filter(scheme=scheme).first()
    villages = list(Village.objects.filter(active=True, township__district=district).order_by("code"))
    # A district working alone keeps the figures its demo always had; a city's counties each get their own.
    county = f"-{district.code}" if district.city_id else ""
    bias_rng = random.Random(f"lianjie-village-bias{county}")
    biases = {village.pk: bias_rng.gauss(0, 3.5) for village in villages}
    created = []
    for year in range(today.year - years + 1, today.year + 1):
        period, _ = Period.objects.get_or_create(
            district=district, code=str(year), defaults={"year": year, "scheme": scheme}
        )
        if period.rounds.exists():
            continue
        rng = random.Random(f"lianjie-index{county}-{year}")
        round_ = Round.objects.create(period=period)
        scores, bonuses, vetoes = [], [], []
        for village in villages:
            total = _target_total(rng, biases[village.pk])
            taken = _deductions(rng, indicators, Decimal("100") - total)
            for indicator in indicators:
                lost = taken[indicator.pk]
                scores.append(
                    Score(
                        round=round_,
                        village=village,
                        indicator=indicator,
                        points=indicator.max_points - lost,
                        reason=f"{indicator.name}：{indicator.guidance}（扣{lost}分）" if lost else "",
                        scoring_unit_id=village.township_id,
                    )
                )
            if total >= 92 and rng.random() < 0.3:
                bonuses.append(
                    BonusScore(
                        round=round_,
                        village=village,
                        item=bonus_item,
                        points=Decimal("1.5"),
                        reason="创新做法获区级推广",
                    )
                )
            if rng.random() < 0.006:
                vetoes.append(VetoEvent(round=round_, village=village, item=veto_item, reason="村委委员受党内警告处分"))
        Score.objects.bulk_create(scores, batch_size=2000)
        BonusScore.objects.bulk_create(bonuses)
        VetoEvent.objects.bulk_create(vetoes)
        round_compute_results(round_)
        if year < today.year:
            moment = timezone.now().replace(year=year + 1, month=1, day=20)
            Round.objects.filter(pk=round_.pk).update(
                status=Round.Status.PUBLISHED,
                submitted_at=moment,
                approved_at=moment,
                approved_by=leader,
                published_at=moment,
                published_by=leader,
                publicity_ends_on=publicity_ends_on(moment.date(), scheme),
            )
        created.append(round_)
    return created


@transaction.atomic
def seed_follow_up(*, district: District, staff, secretaries) -> int:
    """Diagnoses, partners, visits and rectification plans for the county's latest published round, by
    its staff and its townships' secretaries. Idempotent."""
    round_ = latest_published_round(district.pk)
    if round_ is None or staff is None or round_.diagnoses.exists():
        return 0
    year = round_.period.year + 1
    count = 0
    for secretary in secretaries:
        if secretary.township is None or secretary.township.district_id != district.pk:
            continue  # another county's secretary follows that county's round
        plan = follow_up(round_, secretary.township)
        for result in plan.bottom:
            Diagnosis.objects.create(
                round=round_,
                village=result.village,
                held_on=date(year, 3, 10),
                recorded_by=secretary,
                deductions_found="村务公开不及时、三资台账不全",
                measures="每月15日前公开村务；三个月内补齐台账",
                responsible_person="村党组织书记",
            )
            count += 1
        for result in plan.c_villages:
            if result.suggested_helper is None:
                continue
            pairing = Pairing.objects.create(
                round=round_, helper=result.suggested_helper, helped=result.village, confirmed_by=staff
            )
            HelpVisit.objects.create(
                pairing=pairing, visited_on=date(year, 4, 18), content="介绍小微权力清单运行经验", recorded_by=secretary
            )
            Rectification.objects.create(
                round=round_,
                village=result.village,
                goals="年底前达到B类",
                measures="规范三资管理，落实村务公开",
                responsible_person="村委会主任",
                due_on=date(year, 12, 31),
                recorded_by=secretary,
            )
            count += 1
    return count


# Two residents' objections to the latest published index (公示期异议): one answered not upheld, one upheld
# and answered by a correction, published two days ago: its publicity window (公示期) is open, so the demo's
# public index says "公示中" and takes a visitor's objection.
DEMO_OBJECTIONS = [
    (
        "村务公开栏上半年的财务公开缺了三个月，测评却给了满分。",
        "张先生 13800000001",
        False,
        "经核查，该村财务按季度公开，台账齐全，评分无误。",
    ),
    ("村里去年的工程招投标没有公示，村务清爽一项不应得满分。", "", True, "经核查属实，相关指标扣分，更正后公布。"),
]


@transaction.atomic
def seed_objections(*, district: District, staff, leader) -> int:
    """The objections of DEMO_OBJECTIONS against two villages of the county's latest published round,
    answered by its staff; the upheld one deducts a point in the correction, which the leader publishes.
    Idempotent."""
    # Seeded once per county: afterwards the latest published round is the correction, which has none.
    if IndexObjection.objects.filter(round__period__district=district).exists():
        return 0
    round_ = latest_published_round(district.pk)
    if round_ is None or staff is None:
        return 0
    results = list(round_.results.select_related("village").order_by("district_rank")[:2])
    for result, (content, contact, upheld, answer) in zip(results, DEMO_OBJECTIONS, strict=False):
        # The first came through the public form, the second by letter (staff recorded it).
        channel = IndexObjection.Channel.LETTER if upheld else IndexObjection.Channel.ONLINE
        objection = objection_submitted(
            round_=round_, village=result.village, content=content, contact=contact, channel=channel
        )
        # Received on the second day of the publicity period, as a resident reading the notice board would.
        IndexObjection.objects.filter(pk=objection.pk).update(received_at=round_.published_at + timedelta(days=1))
        objection = objection_answer(objection=objection, upheld=upheld, answer=answer, acting_user=staff)
        if upheld:
            correction = objection_correction_open(
                objection=objection, reason="群众异议经核查属实，更正相关指标得分", acting_user=staff
            )
            _publish_correction(correction, result.village, staff=staff, leader=leader)
    return len(results)


def _publish_correction(correction: Round, village: Village, *, staff, leader) -> None:
    """The correction takes a point off the village's best-scored indicator and goes through the four eyes
    (staff submit, the leader approves and publishes); published two days ago, its publicity is open."""
    score = correction.scores.filter(village=village, points__gte=1).select_related("indicator").first()
    if score is not None:
        data = ScoreInput(points=score.points - 1, reason="工程招投标未公示，扣1分")
        score_save(
            round_=correction,
            village=village,
            indicator=score.indicator,
            data=data,
            expected_version=None,
            acting_user=staff,
        )
    round_submit(round_=correction, acting_user=staff)
    round_approve(round_=correction, acting_user=leader)
    round_publish(round_=correction, acting_user=leader)
    published_at = timezone.now() - timedelta(days=2)
    Round.objects.filter(pk=correction.pk).update(
        published_at=published_at,
        publicity_ends_on=publicity_ends_on(timezone.localdate(published_at), correction.period.scheme),
    )
