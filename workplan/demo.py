"""A made-up work plan for the demo: this year's plan copied from the default by the county's staff,
with the tasks due so far mostly done (progress with an evidence file), two of them late and so marked
overdue, and the next ones in progress, one reported by a township's secretary. Through the services,
so each write is audited. Deterministic; nothing is made when the county has this year's plan."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from villages.models import District

from . import services
from .models import WorkPlan

DEMO_PDF = b"%PDF-1.4\n% demo evidence\n"
LATE = 2  # of the tasks due so far, the last ones are left behind


def _evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("工作台账.pdf", DEMO_PDF, content_type="application/pdf")


@transaction.atomic
def seed_work_plan(*, district: District, staff: User, secretaries: list[User], today: date | None = None) -> int:
    """Returns the tasks made (0 when the county has this year's plan already)."""
    today = today or timezone.localdate()
    if WorkPlan.objects.filter(district=district, year=today.year).exists():
        return 0
    plan = services.plan_create(district=district, year=today.year, acting_user=staff)
    tasks = [task for area in plan.areas.order_by("position") for task in area.tasks.order_by("number")]
    due = [task for task in tasks if task.due_on < today]
    for task in due[: max(len(due) - LATE, 0)]:
        services.progress_record(
            task=task, note="已按期完成，台账齐全", done=True, uploads=[_evidence()], acting_user=staff
        )
    ahead = [task for task in tasks if task.due_on >= today]
    for task, reporter in zip(ahead[:2], [staff, *secretaries[:1]], strict=False):
        if reporter.township_id is None or task.townships.filter(pk=reporter.township_id).exists():
            services.progress_record(
                task=task, note="正在推进，已完成阶段性工作", done=False, uploads=[], acting_user=reporter
            )
    services.overdue_mark(today)
    return len(tasks)
