"""The demo's work plan: this year's plan with tasks done (with evidence), late ones marked overdue and
ones in progress, one of them reported by a township's secretary; seeding again makes nothing."""

from datetime import date

from workplan.demo import seed_work_plan
from workplan.models import PlanTask, ProgressEvidence, WorkPlan

MID_YEAR = date(2026, 7, 1)  # tasks due on days 60–350 of the year: five due before, seven after


def test_the_demo_plan_has_tasks_in_every_state_and_seeding_again_makes_nothing(cast):
    people = {"district": cast.township_a.district, "staff": cast.users["staff"], "today": MID_YEAR}
    assert seed_work_plan(secretaries=[cast.users["secretary_a"]], **people) == 12
    statuses = list(PlanTask.objects.order_by("number").values_list("status", "overdue_since"))
    done = [number for number, (status, _since) in enumerate(statuses, 1) if status == PlanTask.Status.DONE]
    overdue = [number for number, (_status, since) in enumerate(statuses, 1) if since]
    in_progress = PlanTask.objects.filter(status=PlanTask.Status.IN_PROGRESS)
    assert len(done) == 3
    assert len(overdue) == 2
    assert in_progress.count() == 2
    assert in_progress.filter(progress_reports__reported_by=cast.users["secretary_a"]).exists()
    assert ProgressEvidence.objects.count() == 3

    assert seed_work_plan(secretaries=[], **people) == 0
    assert WorkPlan.objects.count() == 1
    assert PlanTask.objects.filter(status=PlanTask.Status.DONE).count() == 3
