"""Made-up city work for the demo (绍兴市): this year's 五个一 for every county, set by the city's staff
and reported by each county's staff, further along in some counties than in others, with a
督促检查 visit and its problems. Through the services, so each write is audited. Deterministic;
nothing is made when the city has this year's programme."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import CountyCast
from accounts.models import User
from villages.models import City

from . import services
from .models import CountyStep, Programme, Step, StepEvidence

# Days after 1 January each step is due: a report and a survey in the first quarter, the plan and the
# meeting before summer, the check in autumn.
DUE_AFTER = {Step.REPORT: 45, Step.SURVEY: 75, Step.PLAN: 120, Step.MOBILISATION: 150, Step.CHECK: 270}
PROGRESS = {
    Step.REPORT: "向区（县）委专题汇报清廉村居建设推进情况",
    Step.SURVEY: "走访乡镇（街道）和村（社区），形成调研报告",
    Step.PLAN: "制定清廉村居建设实施办法和考评标准",
    Step.MOBILISATION: "召开全区（县）清廉村居建设动员部署会",
    Step.CHECK: "对乡镇（街道）开展督促检查",
}
DEMO_PDF = b"%PDF-1.4\n% demo evidence\n"


def _document(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _report(step: CountyStep, staff: User, today: date) -> None:
    """The county's staff upload the evidence of a step and complete it on its due date (or today)."""
    if step.is_plan:
        for kind, name in ((StepEvidence.Kind.MEASURES, "实施办法.pdf"), (StepEvidence.Kind.STANDARDS, "考评标准.pdf")):
            services.evidence_attach(step=step, uploads=[_document(name)], kind=kind, acting_user=staff)
    else:
        services.evidence_attach(
            step=step, uploads=[_document("佐证材料.pdf")], kind=StepEvidence.Kind.DOCUMENT, acting_user=staff
        )
    services.step_complete(
        step=step, done_on=min(step.due_on, today), progress=PROGRESS[Step(step.step)], acting_user=staff
    )


@transaction.atomic
def seed_city_work(*, city: City, city_staff: User, casts: list[CountyCast], today: date | None = None) -> int:
    """This year's 五个一: the first county has done every step due so far, each next one a step less (the
    last ones are behind and marked overdue); one 督促检查 visit with a problem rectified and one open.
    Returns the steps made."""
    today = today or timezone.localdate()
    if Programme.objects.filter(city=city, year=today.year).exists():
        return 0
    new_year = date(today.year, 1, 1)
    programme = services.programme_create(
        city=city,
        year=today.year,
        due_dates={step.value: new_year + timedelta(days=days) for step, days in DUE_AFTER.items()},
        acting_user=city_staff,
    )
    steps = list(programme.steps.order_by("district__code", "position"))
    for behind, cast in enumerate(casts):
        own = [step for step in steps if step.district_id == cast.county.pk]
        due = [step for step in own if step.due_on <= today]
        done = due[: max(len(due) - behind, 0)]
        for step in done:
            _report(step, cast.staff, today)
        pending = own[len(done) :]
        if pending and behind % 2:  # every other county has started its next step
            services.progress_record(step=pending[0], progress=PROGRESS[Step(pending[0].step)], acting_user=cast.staff)
    if casts:
        visited_on = min(today, new_year + timedelta(days=DUE_AFTER[Step.PLAN] + 10))
        visit = services.visit_record(
            programme=programme,
            district=casts[-1].county,
            visited_on=visited_on,
            checked="查阅清廉村居建设工作台账，听取工作汇报",
            problems=[
                {"description": "工作方案未明确考评标准", "due_on": visited_on + timedelta(days=30)},
                {"description": "乡镇（街道）推进不平衡，部分村居未启动", "due_on": visited_on + timedelta(days=60)},
            ],
            acting_user=city_staff,
        )
        first = visit.problems.order_by("pk").first()
        if first is not None and first.due_on <= today:
            services.problem_rectified(problem=first, rectified_on=first.due_on, acting_user=city_staff)
    services.overdue_mark(today)
    return len(steps)
