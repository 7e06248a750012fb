"""Demo 五有一化 reports: two decisions of each of the county's first four townships with a secretary,
reported through the services (numbered, due and flagged as a real report is), with a scanned page of
minutes each; most made public, some reported late, one left incomplete, one returned by the staff with
their opinion, the rest of the older ones accepted."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from villages.models import District, Township

from . import services
from .models import MajorDecision

TOWNSHIPS = 4
# (category, subject, amount, where it was made public or "" when not, days before today it was decided,
# working days late it was reported)
DECISIONS = [
    ("project", "村级道路硬化工程建设项目", Decimal("1860000"), "镇政务公开栏、镇政府网站", 40, 0),
    ("funds", "集体资产（老粮站仓库）公开出租", Decimal("320000"), "镇政务公开栏", 25, 4),
    ("funds", "农村生活污水治理设施运维经费安排", Decimal("450000"), "镇政府网站", 18, 0),
    ("appointment", "镇属事业单位中层干部调整", None, "", 12, 0),
    ("decision", "全镇村级小微权力清单修订", None, "镇政务公开栏、各村村务公开栏", 30, 2),
    ("project", "美丽乡村精品线景观提升工程", Decimal("2750000"), "镇政府网站", 9, 0),
    ("funds", "防汛抗旱应急物资采购", Decimal("86000"), "镇政务公开栏", 6, 0),
    ("decision", "镇村两级集体经济组织财务管理办法", None, "镇政务公开栏", 3, 0),
]
MINUTES_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _text(category: str, subject: str, amount: Decimal | None, where: str, decided_on, complete: bool):
    return services.DecisionText(
        category=category,
        subject=subject,
        amount=amount,
        decided_on=decided_on,
        rules_basis="《乡镇“三重一大”事项集体决策制度》《镇党委会议议事规则》" if complete else "",
        proposal="镇党委书记提议，经党政联席会议前征求班子成员意见",
        deliberation="分管领导牵头调研论证，征求人大代表和村民代表意见" if complete else "",
        vote="镇党委会议研究，应到9人、实到8人，8票同意",
        monitor="镇纪委" if complete else "",
        accountability="决策失误的，按《乡镇重大事项决策责任追究办法》追究相关人员责任",
        made_public=bool(where),
        public_where=where,
        public_summary=f"经镇党委会议集体研究，同意{subject}。" if where else "",
    )


def seed_decisions(*, district: District, staff: User, secretaries: dict[int, User], today=None) -> int:
    """The reports, made once (nothing when the county has some already). Returns how many were made."""
    today = today or timezone.localdate()
    if MajorDecision.objects.filter(township__district=district).exists():
        return 0
    townships = list(Township.objects.filter(district=district, pk__in=secretaries).order_by("code")[:TOWNSHIPS])
    made = []
    for index, (category, subject, amount, where, days_ago, late_by) in enumerate(DECISIONS):
        if not townships:
            break
        township = townships[index % len(townships)]
        decided_on = max(today.replace(month=1, day=1), today - timedelta(days=days_ago))
        due_on = services.due_date(decided_on, district.pk)
        reported_on = min(
            today, due_on + timedelta(days=late_by * 7 // 5) if late_by else decided_on + timedelta(days=1)
        )
        decision = services.decision_report(
            township=township,
            text=_text(category, subject, amount, where, decided_on, complete=index != 3),
            minutes=[] if index == 3 else [SimpleUploadedFile("党委会议纪要.pdf", MINUTES_PDF)],
            acting_user=secretaries[township.pk],
            now=timezone.make_aware(datetime.combine(reported_on, time(16, 30))),
        )
        made.append(decision)
    for index, decision in enumerate(made):
        if index == 2:
            services.decision_review(
                decision=decision,
                version=decision.version,
                accept=False,
                opinion="请补充决策前征求意见情况和资金来源依据。",
                acting_user=staff,
            )
        elif index in (0, 1, 4) and not services.missing_parts(decision):
            services.decision_review(
                decision=decision,
                version=decision.version,
                accept=True,
                opinion="程序规范，同意备案。",
                acting_user=staff,
            )
    if made:
        first = made[0]
        services.decision_evaluate(
            decision=first,
            version=MajorDecision.objects.get(pk=first.pk).version,
            evaluation="工程已按期完工并通过验收，群众满意度测评良好。",
            evaluated_on=today,
            acting_user=secretaries[first.township_id],
        )
    return len(made)
