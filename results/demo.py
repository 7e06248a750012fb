"""A made-up use of results for the demo, one county at a time: the member departments and the city-wide
eligibility rules, last year's assessment points of a few dozen rated villages and a handful of project
funds, two 示范村 approved by the province or the city (one paid its 500,000 yuan reward, the other
revoked when 摘星 took its village below four stars: stars.services.stars_strip, so the signal path runs)
and six filings of the departments with the office's opinions. Through the services, so each write is
audited. Deterministic; nothing is made when the county has filings already."""

from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from stars import services as star_services
from stars.models import DemonstrationNomination, StarApplication, StarStrip
from stars.selectors import DECIDED, with_current_stars
from villages.models import District, Village

from . import services
from .models import Assessment, DemonstrationAward, Filing, MemberDepartment

POINTS_VILLAGES = 30
POINTS_BY_STARS = {5: Decimal("3"), 4: Decimal("2"), 3: Decimal("1"), 2: Decimal("-1"), 1: Decimal("-2")}
FILINGS = [
    # department, kind, title, content, amount, opinion, opinion text
    (
        "组织部",
        Filing.Kind.POLICY,
        "村干部评先评优与星级挂钩办法",
        "四星级以上村党组织书记优先推荐评先评优；一、二星级村不得推荐。",
        None,
        Filing.Opinion.AGREED,
        "符合结果运用要求，同意备案。",
    ),
    (
        "财政局",
        Filing.Kind.FUND,
        "清廉村居建设以奖代补资金",
        "对四、五星级村分别给予10万元、20万元以奖代补资金。",
        Decimal("1500000"),
        Filing.Opinion.AGREED_IF,
        "请补充资金使用监管条款后实施。",
    ),
    (
        "农业农村局",
        Filing.Kind.PROJECT,
        "美丽乡村精品村项目",
        "申报村须为三星级以上且清廉指数B档以上。",
        Decimal("3000000"),
        Filing.Opinion.AGREED,
        "同意备案。",
    ),
    (
        "民政局",
        Filing.Kind.AWARD,
        "民主法治村推荐",
        "推荐对象从四星级以上村中产生。",
        None,
        Filing.Opinion.DISAGREED,
        "推荐条件未排除当年摘星村，请修改后重新备案。",
    ),
    ("农办", Filing.Kind.POLICY, "强村富民项目安排意见", "项目安排向星级高的村倾斜。", None, None, ""),
    ("宣传部", Filing.Kind.AWARD, "清廉文化示范点评选", "评选对象为清廉指数A档村。", None, None, ""),
]


def _rated(district: District, year: int) -> list[tuple[Village, int]]:
    ratings = with_current_stars(
        StarApplication.objects.filter(
            criteria__year=year, village__township__district=district, status__in=DECIDED
        ).select_related("village__township")
    ).order_by("village__code")
    return [(cast(Village, rating.village), cast(int, rating.stars)) for rating in ratings[:POINTS_VILLAGES]]


def _awards(district: District, staff: User, last_year: int, today: date) -> None:
    nominations = list(
        # A nomination whose village lost its fourth star in the star demo is revoked already.
        DemonstrationNomination.objects.filter(application__village__township__district=district, award__isnull=True)
        .select_related("application__criteria", "application__village")
        .order_by("pk")
    )
    for index, nomination in enumerate(nominations[:2]):
        paid = index == 0
        services.award_save(
            nomination=nomination,
            text=services.AwardText(
                status=DemonstrationAward.Status.APPROVED,
                approved_by_body="省纪委省监委" if nomination.level == "provincial" else "市纪委市监委",
                decided_on=date(last_year, 12, 28),
                decision_reference=f"浙纪〔{last_year}〕{31 + index}号",
                reward_amount=Decimal("500000") if paid else Decimal("200000"),
                reward_paid_on=date(last_year + 1, 1, 20) if paid and date(last_year + 1, 1, 20) <= today else None,
            ),
            version=None,
            acting_user=staff,
        )
    if len(nominations) > 1:
        application = nominations[1].application
        stars = application.current_stars() or 0
        if stars >= 4:
            star_services.stars_strip(
                application=application,
                acting_user=staff,
                stars_after=3,
                trigger=StarStrip.Trigger.CASE_FILED,
                reason="村监委会主任因优亲厚友被立案审查",
                stripped_on=max(date(last_year + 1, 1, 2), today - timedelta(days=7)),
            )


@transaction.atomic
def seed_results(*, district: District, staff: User, today: date | None = None) -> int:
    """Returns the uses recorded (0 when the county has filings already)."""
    today = today or timezone.localdate()
    if Filing.objects.filter(district=district).exists():
        return 0
    last_year = today.year - 1
    services.departments_seed(staff)
    for year in (last_year, today.year):
        services.default_rule_seed(year, staff)
    made = 0
    for village, stars in _rated(district, last_year):
        points = POINTS_BY_STARS.get(stars, Decimal("0"))
        services.points_record(
            district=district,
            year=last_year,
            text=services.PointsText(village, Assessment.CLEAN_GOVERNANCE, points, "按星级结果计入考核"),
            acting_user=staff,
        )
        made += 1
    departments = {department.name: department for department in MemberDepartment.objects.all()}
    high = [village for village, stars in _rated(district, last_year) if stars >= 4][:5]
    for number, village in enumerate(high, start=1):
        services.fund_record(
            district=district,
            year=last_year,
            text=services.FundText(
                village=village,
                department=departments["财政局" if number % 2 else "农业农村局"],
                project="清廉村居建设以奖代补" if number % 2 else "美丽乡村精品村建设",
                amount=Decimal("100000") * (1 + number % 2),
                decided_on=date(last_year, 11, 10 + number),
                conditions="限四星级以上村",
            ),
            acting_user=staff,
        )
        made += 1
    _awards(district, staff, last_year, today)
    for number, (name, kind, title, content, amount, opinion, opinion_text) in enumerate(FILINGS, start=1):
        filing = services.filing_record(
            district=district,
            text=services.FilingText(
                department=departments[name],
                number=f"备〔{last_year}〕{number}号",
                year=last_year,
                kind=kind,
                title=title,
                content=content,
                amount=amount,
                filed_on=date(last_year, 3, 1) + timedelta(days=30 * number),
                villages=high[:2] if kind == Filing.Kind.FUND else [],
            ),
            acting_user=staff,
        )
        if opinion:
            services.filing_opinion(
                filing=filing,
                version=filing.version,
                opinion=opinion,
                text=opinion_text,
                given_on=filing.filed_on + timedelta(days=7),
                acting_user=staff,
            )
        made += 1
    return made
