"""Made-up star ratings for the demo, one county at a time: last year's levels fixed for most of its
villages (with a few stripped, demonstration nominations and improvement plans, one overdue), and this
year's applications in every state of the flow, made through the services by the county's own people as
they would. Each county is rated on the city-wide criteria. Deterministic and idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from scoring.models import Grade, Round, VillageResult
from villages.models import District, Station, Township, Village

from . import services
from .criteria_services import star_criteria_default
from .models import (
    DemonstrationNomination,
    ImprovementPlan,
    SelfAssessment,
    StarApplication,
    StarCriteria,
    StarItem,
    StarReviewStep,
    StarStrip,
    Subject,
)
from .selectors import veto_hits

# Index total → the level a village of that standing applies for (demo only).
LEVEL_FROM_TOTAL = [(Decimal("95"), 5), (Decimal("92"), 4), (Decimal("88"), 3), (Decimal("84"), 2)]


def spread_points(items: list[StarItem], total: Decimal) -> dict[int, tuple[Decimal, str]]:
    """Self-assessed points per item summing to `total`: each item loses its share of the points lost,
    the last item the rounding rest (as long as it can)."""
    lost = Decimal("100") - total
    full = sum((item.max_points for item in items), Decimal("0"))
    scores, rest = {}, lost
    for index, item in enumerate(items):
        share = rest if index == len(items) - 1 else (item.max_points * lost / full).quantize(Decimal("0.01"))
        taken = min(share, item.max_points, rest)
        rest -= taken
        scores[item.pk] = (item.max_points - taken, "已落实" if not taken else "基本落实")
    return scores


def _level(result: VillageResult | None) -> int:
    if result is None:
        return 1
    level = next((level for minimum, level in LEVEL_FROM_TOTAL if result.total >= minimum), 1)
    return min(level, 3) if result.grade == Grade.C else level


def _points(criteria: StarCriteria, level: int, rng: random.Random) -> Decimal:
    needed = criteria.thresholds()[level]
    ceiling = criteria.thresholds().get(level + 1, Decimal("100"))
    return min(needed + Decimal(rng.randint(0, 300)) / 100, ceiling - Decimal("0.5"), Decimal("100"))


def _results(year: int) -> dict[int, VillageResult]:
    results = VillageResult.objects.filter(round__period__year=year, round__status=Round.Status.PUBLISHED)
    return {result.village_id: result for result in results.order_by("round__revision")}


@transaction.atomic
def seed_stars(*, district: District | None, staff, leader, secretaries, today: date | None = None) -> int:
    """Two years of star ratings of the county's villages, by its staff, leader and township secretaries
    (township id → secretary); nothing when the county has applications of this year already."""
    today = today or timezone.localdate()
    villages = list(Village.objects.filter(active=True, township__district=district).order_by("code"))
    this_year = StarApplication.objects.filter(criteria__year=today.year, village__in=villages)
    if district is None or staff is None or leader is None or this_year.exists():
        return 0
    count = _seed_last_year(villages, today.year - 1, staff, secretaries)
    return count + _seed_this_year(villages, today, leader, secretaries)


def _seed_last_year(villages, year: int, staff, secretaries) -> int:
    """Fixed levels written in bulk (a few hundred villages), then the year's dynamic management."""
    criteria = star_criteria_default(year)
    items = list(StarItem.objects.filter(dimension__criteria=criteria).order_by("dimension__position", "position"))
    results = _results(year)
    rng = random.Random(f"lianjie-stars-{year}")
    decided_on = date(year, 11, 20)
    applications = []
    for village in villages:
        if rng.random() < 0.12:  # not every village applies
            continue
        level = _level(results.get(village.pk))
        if level > criteria.veto_max_level and veto_hits(village, criteria):
            level = criteria.veto_max_level
        points = _points(criteria, level, rng)
        applications.append(
            StarApplication(
                criteria=criteria,
                village=village,
                township_id=village.township_id,  # bulk: save() does not run to set it
                level_applied=level,
                status=StarApplication.Status.FIXED,
                self_points=points,
                summary="对照七个方面逐项自评",
                decided_level=level,
                decided_points=points,
                decided_at=timezone.now().replace(year=year, month=11, day=20),
                publicity_ends_on=decided_on + timedelta(days=criteria.publicity_days),
                fixed_at=timezone.now().replace(year=year, month=11, day=26),
                filed_by=secretaries.get(village.township_id, staff),
            )
        )
    StarApplication.objects.bulk_create(applications, batch_size=500)
    SelfAssessment.objects.bulk_create(
        (
            SelfAssessment(application=application, item_id=item_id, points=points, note=note)
            for application in applications
            for item_id, (points, note) in spread_points(items, application.self_points).items()
        ),
        batch_size=2000,
    )
    steps = []
    for application in applications:
        secretary = secretaries.get(application.village.township_id, staff)
        steps.append(
            StarReviewStep(application=application, action="submit", actor=secretary, level=application.level_applied)
        )
        steps.append(
            StarReviewStep(
                application=application,
                action="decide",
                actor=secretary,
                opinion="经乡镇评定小组实地核查，同意评定",
                points=application.decided_points,
                level=application.decided_level,
            )
        )
        steps.append(StarReviewStep(application=application, action="fix", level=application.decided_level))
    StarReviewStep.objects.bulk_create(steps, batch_size=2000)
    _manage_last_year(applications, year, staff, secretaries)
    return len(applications)


def _manage_last_year(applications, year: int, staff, secretaries) -> None:
    high = [application for application in applications if application.decided_level >= 4]
    for application in high[:2]:
        services.stars_strip(
            application=application,
            acting_user=staff,
            stars_after=application.decided_level - 2,
            trigger=StarStrip.Trigger.CASE_FILED,
            reason="村主要负责人因违规发包工程被立案审查",
            stripped_on=date(year + 1, 3, 15),
        )
    for application, level in zip(high[2:5], DemonstrationNomination.Level.values * 2, strict=False):
        services.demonstration_nominate(application=application, level=level, acting_user=staff)
    low = [application for application in applications if application.decided_level <= 2]
    for index, application in enumerate(low):
        ImprovementPlan.objects.create(
            application=application,
            measures="与四星级村结对帮扶；规范三资管理和村务公开",
            responsible_person="村党组织书记",
            due_on=date(year + 1, 3, 31) if index == 0 else date(year + 1, 12, 31),
            recorded_by=secretaries.get(application.village.township_id, staff),
        )


# This year's applications, one in each state of the flow, in the first townships (a city-size demo
# would otherwise file a thousand applications one by one).
THIS_YEAR_TOWNSHIPS = 10
THIS_YEAR_STATES = ["draft", "submitted", "returned", "forwarded", "publicity", "objected", "reopened", "fixed"]


def _seed_this_year(villages, today: date, leader, secretaries) -> int:
    criteria = star_criteria_default(today.year)
    items = list(StarItem.objects.filter(dimension__criteria=criteria).order_by("dimension__position", "position"))
    rng = random.Random(f"lianjie-stars-{today.year}")
    by_township: dict[int, list[Village]] = {}
    for village in villages:
        by_township.setdefault(village.township_id, []).append(village)
    count = 0
    for township_id, township_villages in list(by_township.items())[:THIS_YEAR_TOWNSHIPS]:
        secretary = secretaries.get(township_id)
        if secretary is None:
            continue
        for village, planned in zip(township_villages, THIS_YEAR_STATES, strict=False):
            vetoed = bool(veto_hits(village, criteria))
            # A vetoed village cannot ask for four stars: its planned 4-star application stays at the township.
            state = "submitted" if planned == "forwarded" and vetoed else planned
            level = 4 if state == "forwarded" else rng.randint(1, 3)
            points = _points(criteria, level, rng)
            application = services.application_save(
                criteria=criteria,
                rated=village,
                level_applied=level,
                scores=spread_points(items, points),
                summary="对照七个方面逐项自评，附三资台账和村务公开照片",
                acting_user=secretary,
            )
            count += 1
            if state != "draft":
                _advance(application, state, points, today, secretary, leader)
    return count


def _advance(application, state: str, points: Decimal, today: date, secretary, leader) -> None:
    level = application.level_applied
    services.application_submit(application=application, acting_user=secretary)
    if state == "returned":
        services.application_return(application=application, acting_user=secretary, opinion="请补充集体资产台账")
        return
    if state == "forwarded":
        services.application_forward(
            application=application,
            acting_user=secretary,
            opinion="经实地核查，建议评为四星级",
            points=points,
            level=level,
        )
        return
    if state == "submitted":
        return
    decided_on = today - timedelta(days=10) if state == "fixed" else today - timedelta(days=1)
    services.application_decide(
        application=application, acting_user=secretary, opinion="同意评定", points=points, level=level, today=decided_on
    )
    if state in ("objected", "reopened"):
        objection = services.objection_record(
            application=application,
            acting_user=secretary,
            received_on=today,
            channel="phone",
            content="村民反映村务公开栏未按月更新",
        )
        if state == "reopened":
            services.objection_answer(
                objection=objection, acting_user=secretary, answer="经核实属实，重新评定", upheld=True
            )
    if state == "fixed":
        services.star_levels_fix(today=today)


# This year's township (勤廉双优示范乡镇) and station (群众满意基层站所) ratings, one state each, in turn.
SUBJECT_STATES = ["fixed", "publicity", "forwarded", "returned", "draft", "fixed"]


@transaction.atomic
def seed_subject_ratings(*, district: District | None, staff, leader, secretaries, today: date | None = None) -> int:
    """The year's ratings of the county's townships and grassroots stations on the same engine as the
    villages' stars, through the services by the same people; nothing when there are some already."""
    today = today or timezone.localdate()
    done = StarApplication.objects.filter(criteria__year=today.year, township__district=district).exclude(
        subject=Subject.VILLAGE
    )
    if district is None or staff is None or leader is None or done.exists():
        return 0
    townships = list(Township.objects.filter(district=district).order_by("code"))
    stations = list(Station.objects.filter(township__district=district, active=True).order_by("township__code", "pk"))
    rng = random.Random(f"lianjie-units-{today.year}")
    count = 0
    for subject, rated_list in ((Subject.TOWNSHIP, townships), (Subject.STATION, stations[:12])):
        criteria = star_criteria_default(today.year, subject)
        items = list(StarItem.objects.filter(dimension__criteria=criteria).order_by("dimension__position", "position"))
        for rated, state in zip(rated_list, SUBJECT_STATES * 3, strict=False):
            secretary = secretaries.get(rated.pk if subject == Subject.TOWNSHIP else rated.township_id)
            if secretary is None:
                continue
            points = criteria.min_points_1 + Decimal(rng.randint(100, 1000)) / 100
            application = services.application_save(
                criteria=criteria,
                rated=rated,
                level_applied=1,
                scores=spread_points(items, points),
                summary="对照标准逐项自评，附会议记录、制度文件和群众评议材料",
                acting_user=secretary,
            )
            count += 1
            if criteria.min_satisfaction is not None:
                services.satisfaction_record(
                    application=application,
                    acting_user=staff,
                    satisfaction=Decimal(rng.randint(8600, 9800)) / 100,
                    satisfaction_responses=rng.randint(60, 200),
                    satisfaction_source=f"{today.year}年{today.month}月区纪委委托第三方电话回访辖区村民",
                )
            if state != "draft":
                _advance_subject(application, state, points, today, secretary, leader)
    return count


def _advance_subject(application, state: str, points: Decimal, today: date, secretary, leader) -> None:
    services.application_submit(application=application, acting_user=secretary)  # straight to the county
    if state == "returned":
        services.application_return(application=application, acting_user=leader, opinion="请补充重大事项上报台账")
        return
    if state == "forwarded":
        return
    decided_on = today - timedelta(days=10) if state == "fixed" else today - timedelta(days=1)
    services.application_decide(
        application=application,
        acting_user=leader,
        opinion="经实地考评，达到创建标准",
        points=points,
        level=1,
        today=decided_on,
    )
    if state == "fixed":
        services.star_levels_fix(today=today)
