"""Made-up petitions for the demo, one county at a time: three years of cases in every state, repeats,
extensions, listed and struck-off cases, with made-up petitioners (names and 11-digit mobile numbers).
Deterministic and idempotent."""

import random
from datetime import date, timedelta

from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from villages.models import District, Township, Village

from . import services, visits
from .models import Petition, PetitionClass, Visit, VisitIssue
from .standard import ensure_classes

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡"
GIVEN = "建国明华海军丽芳强伟静敏"
POSTS = ["村党支部书记", "村委会主任", "村报账员", "村委委员", "镇农办主任"]
SUMMARIES = {
    "sanzi": "反映村集体山林承包款去向不明",
    "project": "反映村道工程未公开招标，由村干部亲属承包",
    "subsidy": "反映低保名单中有村干部亲属",
    "openness": "反映村务公开栏半年未更新",
    "conduct": "反映村干部办事吃拿卡要",
    "election": "反映换届中有拉票行为",
}
# The state each demo case ends in, in turn.
STATES = [
    "registered",
    "accepted",
    "in_progress",
    "concluded",
    "fed_back",
    "archived",
    "archived",
    "transferred",
    "in_progress",
]
PDF = b"%PDF-1.4 demo evidence"
# The channels of cases received at the office (下访 cases come from the demo visits, with their issue).
INTAKE_CHANNELS = [channel for channel in Petition.Channel.values if channel != Petition.Channel.OUTREACH]


@transaction.atomic
def seed_petitions(*, district: District | None, officer, leader, staff, today: date | None = None) -> int:
    """The county's cases for the last three years, registered by its petition office (`officer`), with
    its `leader` and `staff`; nothing when the county has a case already. Returns the cases made."""
    today = today or timezone.localdate()
    if district is None or officer is None or leader is None or Petition.objects.filter(district=district).exists():
        return 0
    ensure_classes(django_apps)
    classes = list(PetitionClass.objects.all())
    villages = list(Village.objects.filter(active=True, township__district=district).select_related("township"))
    rng = random.Random("lianjie-petitions")
    hot = rng.sample(villages, 3)  # villages with many petitions, for the revisit's 信访多发村
    made = []
    for year in (today.year - 2, today.year - 1, today.year):
        for index in range(30):
            received_on = date(year, 1, 5) + timedelta(days=rng.randint(0, 350))
            if received_on > today - timedelta(days=2):
                continue
            village = rng.choice(hot) if index % 4 == 0 else rng.choice(villages)
            category = rng.choice(list(SUMMARIES))
            named = rng.random() < 0.6
            petition = services.petition_register(
                acting_user=officer,
                identity=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}" if named else "",
                contact=f"13{rng.randint(100000000, 999999999)}" if named else "",
                received_on=received_on,
                channel=rng.choice(INTAKE_CHANNELS),
                named=named,
                subject_name=f"{rng.choice(SURNAMES)}某",
                subject_post=rng.choice(POSTS),
                subject_is_township_official=index % 9 == 0,
                township=village.township,
                village=village,
                rural=True,
                category=category,
                summary=SUMMARIES[category],
            )
            # Earlier years are handled to the end; this year's cases stand in every state.
            state = (
                STATES[index % len(STATES)] if year == today.year else ("transferred" if index % 9 == 7 else "archived")
            )
            _advance(petition, state, received_on, today, rng, classes, officer, leader)
            made.append(petition)
    _repeats_and_listings(made, officer, leader, staff, today)
    seed_visits(district=district, officer=officer, staff=staff, today=today)
    services.overdue_mark(today, district=district)
    return len(made)


# 主动下访: (days before today, township's position, officials, issues as (subject, summary, settled)).
VISITS = [
    (
        400,
        0,
        "区纪委 第一监督检查室 陈某、路桥街道纪工委 林某",
        [("openness", "村务公开栏内容陈旧", True), ("subsidy", "询问残疾人补贴发放标准", True)],
    ),
    (
        45,
        0,
        "区纪委 信访室 周某、路桥街道纪工委 林某",
        [
            ("sanzi", "反映村集体厂房出租价格偏低，租金去向不明", False),
            ("openness", "村务公开栏未公布上半年财务", True),
            ("conduct", "反映村干部办事拖拉", True),
        ],
    ),
    (20, 3, "区纪委 第二监督检查室 吴某、螺洋街道纪工委 徐某", [("project", "询问村道硬化工程招标情况", True)]),
    (6, 6, "区纪委 信访室 周某、新桥镇纪委 黄某", []),
]


def seed_visits(*, district: District, officer, staff, today: date) -> int:
    """A few visits of the county's commission to its villages (主动下访), recorded by its staff; the petition
    office registers one issue as a petition. Nothing when the county has a visit already."""
    if Visit.objects.filter(district=district).exists():
        return 0
    townships = list(Township.objects.filter(district=district).order_by("code"))
    made = []
    for days, position, officials, issues in VISITS:
        township = townships[position % len(townships)]
        village = Village.objects.filter(township=township, active=True).order_by("code").first()
        if village is None:
            continue
        made.append(
            visits.visit_record(
                acting_user=staff or officer,
                village=village,
                visited_on=today - timedelta(days=days),
                officials=officials,
                issues=[visits.IssueReceived(*issue) for issue in issues],
            )
        )
    unsettled = VisitIssue.objects.filter(visit__in=made, settled_on_spot=False).order_by("pk").first()
    if unsettled is not None:
        visits.visit_issue_register(
            issue=unsettled,
            acting_user=officer,
            identity="郑建华",
            contact="13900000000",
            named=True,
            subject_name="郑某",
            subject_post="村报账员",
            subject_is_township_official=False,
            rural=True,
            category=unsettled.category,
            summary=unsettled.summary + "，请求核查",
        )
    return len(made)


def _advance(petition, state, received_on, today, rng, classes, officer, leader) -> None:
    if state == "registered":
        return
    accepted_on = min(received_on + timedelta(days=rng.randint(1, 6)), today)
    if state == "transferred":
        services.petition_transfer(
            petition=petition,
            acting_user=officer,
            to_unit="镇纪委",
            to_township=None,
            opinion="按管辖转办",
            on=accepted_on,
        )
        return
    services.petition_accept(
        petition=petition,
        acting_user=officer,
        petition_class=rng.choice(classes),
        disposal=rng.choice(Petition.Disposal.values),
        opinion="予以受理",
        on=accepted_on,
    )
    if petition.named:
        services.petitioner_notified(
            petition=petition, acting_user=officer, on=min(accepted_on + timedelta(days=5), today)
        )
    if state == "accepted":
        return
    services.petition_start(petition=petition, acting_user=officer, opinion="成立核查组")
    if rng.random() < 0.2:
        services.extension_approve(
            petition=petition, acting_user=leader, days=30, reason="涉及多年账目，需调取银行流水"
        )
    if state == "in_progress":
        return
    concluded_on = min(accepted_on + timedelta(days=rng.randint(20, 75)), today)
    services.petition_conclude(
        petition=petition,
        acting_user=officer,
        conclusion=rng.choice(Petition.Conclusion.values),
        result="经核查，已责令整改并对相关人员谈话提醒",
        on=concluded_on,
    )
    if state == "concluded":
        return
    services.petition_feed_back(petition=petition, acting_user=officer, on=min(concluded_on + timedelta(days=7), today))
    if state == "archived":
        services.petition_archive(petition=petition, acting_user=officer)


def _repeats_and_listings(made, officer, leader, staff, today) -> None:
    repeated = []  # the cases as the service returns them: `made` holds them as registered
    for petition in made:
        candidates = list(services.repeat_candidates(petition))
        if candidates and len(repeated) < 8:
            repeated.append(services.repeat_link(petition=petition, earlier=candidates[-1], acting_user=officer))
    for index, petition in enumerate(repeated[:4]):
        listed_on = today - timedelta(days=60)
        if index == 0:  # a backlog case (积案), listed a month after it came in, struck off only now
            listed_on = min(petition.received_on + timedelta(days=30), listed_on)
        services.case_list(
            petition=petition,
            acting_user=staff,
            leader=leader,
            unit=f"{petition.township.name}党委",
            measures="包案领导约访信访人，联合镇纪委核查账目，公开核查结果",
            deadline=today + timedelta(days=30 * (index + 1)),
            on=listed_on,
        )
        if index < 2:
            services.case_strike_off(
                petition=petition,
                acting_user=staff,
                resolution="问题已查清，退还款项并公开",
                verification="实地回访信访人，表示满意",
                uploads=[SimpleUploadedFile("销号佐证.pdf", PDF)],
                on=today - timedelta(days=5),
            )
