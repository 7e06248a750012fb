"""Made-up inspections for the demo, one county at a time: three years of rounds of every kind, findings in
every state (some overdue, some reopened, re-checks on a revisit), leads and persons handled with made-up
names. Deterministic and idempotent."""

import random
from datetime import date, timedelta

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from villages.models import District, Village

from . import services
from .models import Finding, FindingCategory, FindingEvidence, InspectionRound, PersonHandled
from .selectors import revisit_candidates
from .standard import ensure_categories

PROBLEMS = {
    "sanzi": ("集体资金坐收坐支，未纳入村账镇代理", "全面清理收支，纳入代理记账"),
    "project": ("村道硬化工程未经公开招标直接发包", "补办招投标手续，开展竣工审计"),
    "openness": ("村务公开栏财务信息未按月更新", "每月10日前公开上月财务收支"),
    "subsidy": ("惠农补贴发放台账与实发名单不符", "逐户核对，追回多发补贴"),
    "conduct": ("村干部违规接受宴请", "开展警示教育，责令退还"),
    "party": ("“三会一课”记录不全", "补齐记录，建立月度检查"),
}
SURNAMES = "王李张刘陈杨黄赵吴周"
POSTS = ["村党支部书记", "村委会主任", "村报账员", "村委委员", "村监会主任"]
# The state each demo finding ends in, in turn.
STATES = ["open", "rectifying", "submitted", "closed", "closed", "reopened", "rectifying", "closed"]


def _evidence(finding: Finding, uploaded_by) -> None:
    record = FindingEvidence(
        finding=finding,
        original_name="整改佐证.pdf",
        content_type="application/pdf",
        size=len(b"%PDF-1.4 demo evidence"),
        sha256=f"{finding.pk:064d}",
        uploaded_by=uploaded_by,
    )
    record.file.save(f"demo-{finding.pk}.pdf", ContentFile(b"%PDF-1.4 demo evidence"), save=False)
    record.save()


@transaction.atomic
def seed_inspections(*, district: District | None, staff, secretaries: dict, today: date | None = None) -> int:
    """The county's rounds for the last three years, run by its `staff`; nothing when the county has a
    round already. Returns the findings made. Findings are followed by the township's secretary (of
    `secretaries`, township id → user) and closed by `staff`."""
    today = today or timezone.localdate()
    if district is None or staff is None or InspectionRound.objects.filter(district=district).exists():
        return 0
    ensure_categories(django_apps)
    categories = {category.code: category for category in FindingCategory.objects.all()}
    villages = list(Village.objects.filter(active=True, township__district=district).order_by("code"))
    rng = random.Random("lianjie-inspections")
    count = 0
    for year in (today.year - 2, today.year - 1, today.year):
        plans = [
            (InspectionRound.Kind.DISTRICT, f"{year}年区委第一轮延伸巡察", "", date(year, 3, 10)),
            (InspectionRound.Kind.THEMATIC, f"{year}年惠农资金专项巡察", "惠农资金", date(year, 5, 12)),
            (InspectionRound.Kind.TOWNSHIP, f"{year}年镇街交叉巡查", "", date(year, 8, 20)),
        ]
        for kind, name, theme, starts_on in plans:
            if starts_on > today:
                continue
            chosen = rng.sample(villages, min(12, len(villages)))
            round_ = services.round_create(
                acting_user=staff,
                villages=chosen,
                kind=kind,
                name=name,
                theme=theme,
                team=f"区委第{rng.randint(1, 4)}巡察组",
                team_leader=f"{rng.choice(SURNAMES)}组长",
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=30),
            )
            count += _findings(round_, chosen, categories, rng, today, staff, secretaries)
            _leads_and_persons(round_, chosen[:2], rng, staff)
    if count:
        _revisit(district, today, staff)
        services.overdue_mark(today, district=district)
    return count


def _findings(round_, villages, categories, rng, today, staff, secretaries) -> int:
    count = 0
    for index, village in enumerate(village for village in villages[:8] if village.township_id in secretaries):
        code = rng.choice(list(PROBLEMS))
        description, measure = PROBLEMS[code]
        found_on = round_.starts_on + timedelta(days=rng.randint(1, 20))
        owner = secretaries[village.township_id]
        finding = services.finding_record(
            round_=round_,
            acting_user=staff,
            village=village,
            category=categories[code],
            description=description,
            severity=rng.choice(Finding.Severity.values),
            immediate=code == "openness",
            measure=measure,
            responsible_person=f"{rng.choice(SURNAMES)}某（{rng.choice(POSTS)}）",
            owner=owner,
            found_on=found_on,
            due_on=found_on + timedelta(days=rng.choice([30, 60, 90])),
        )
        _advance(finding, STATES[index % len(STATES)], owner, staff, today)
        count += 1
    return count


def _advance(finding: Finding, state: str, owner, approver, today: date) -> None:
    if state == "open":
        return
    services.progress_record(finding=finding, acting_user=owner, note="已制定整改方案，正在推进")
    if state == "rectifying":
        return
    _evidence(finding, owner)
    services.closure_submit(finding=finding, acting_user=owner)
    if state == "submitted":
        return
    closed_on = min(finding.due_on + timedelta(days=-5 if finding.pk % 3 else 10), today)
    services.finding_close(finding=finding, acting_user=approver, verification="经实地核查，整改到位", today=closed_on)
    if state == "reopened":
        services.finding_reopen(
            finding=finding,
            acting_user=approver,
            reason="回访发现问题反弹",
            due_on=max(finding.due_on, today) + timedelta(days=30),
        )


def _leads_and_persons(round_, villages, rng, staff) -> None:
    for village in villages:
        lead = services.lead_record(
            round_=round_,
            acting_user=staff,
            village=village,
            summary="反映村干部在工程发包中收受好处费",
            handed_to="区纪委第二审查调查室",
            handed_on=round_.ends_on,
            outcome="已初核，予以立案" if rng.random() < 0.5 else "",
        )
        handling = rng.choice(PersonHandled.Handling.values)
        services.person_record(
            round_=round_,
            acting_user=staff,
            village=village,
            lead=lead,
            name=f"{rng.choice(SURNAMES)}{rng.choice('建国明华海军')}",
            post=rng.choice(POSTS),
            village_cadre=True,
            handling=handling,
            case_filed=handling in PersonHandled.SANCTIONS,
            decided_on=round_.ends_on + timedelta(days=20),
        )


def _revisit(district: District, today: date, staff) -> None:
    """A revisit this year of the villages with overdue or reopened rectification."""
    starts_on = today - timedelta(days=10)
    round_ = services.round_create(
        acting_user=staff,
        kind=InspectionRound.Kind.REVISIT,
        name=f"{today.year}年巡察整改“回头看”",
        team="区委第1巡察组",
        team_leader="周组长",
        starts_on=starts_on,
        ends_on=today + timedelta(days=20),
    )
    candidates = revisit_candidates(today, district).prominent_problems[:4]
    services.revisit_targets_add(
        round_=round_,
        choices={candidate.village: "；".join(candidate.reasons) for candidate in candidates},
        acting_user=staff,
        today=today,
    )
