"""Made-up index data for the demo: yearly rounds with a spread like Luqiao's (many B, some A, a tail of
C), every period published but the current one, which stays a complete draft. Deterministic."""

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from villages.models import Village

from .models import BonusItem, BonusScore, Indicator, Period, Round, Scheme, Score, VetoEvent, VetoItem
from .services import round_compute_results

HALF = Decimal("0.5")


def default_scheme() -> Scheme:
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
def seed_index(*, years: int, leader=None, today=None) -> list[Round]:
    """Rounds for the last `years` years (the current one a draft); existing periods are left alone."""
    today = today or timezone.localdate()
    scheme = default_scheme()
    indicators = list(Indicator.objects.filter(scheme=scheme))
    bonus_item = BonusItem.objects.filter(scheme=scheme).first()
    veto_item = VetoItem.objects.filter(scheme=scheme).first()
    villages = list(Village.objects.filter(active=True, township__district__is_demo=True).order_by("code"))
    bias_rng = random.Random("lianjie-village-bias")
    biases = {village.pk: bias_rng.gauss(0, 3.5) for village in villages}
    created = []
    for year in range(today.year - years + 1, today.year + 1):
        period, _ = Period.objects.get_or_create(code=str(year), defaults={"year": year, "scheme": scheme})
        if period.rounds.exists():
            continue
        rng = random.Random(f"lianjie-index-{year}")
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
            )
        created.append(round_)
    return created
