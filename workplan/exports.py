"""The 任务清单 as a sheet, headed in the user's language: each task with its area, units, deadline and
status (逾期 beside the status of a late one)."""

from datetime import date

from django.utils.translation import gettext as _

from core.spreadsheets import xlsx_bytes

from .models import PlanTask
from .selectors import PlanPage


def task_status(task: PlanTask, today: date) -> str:
    """未开始 / 进行中 / 已完成, and 逾期 for a task past its deadline."""
    status = str(task.get_status_display())
    return _("%(status)s, overdue") % {"status": status} if task.is_overdue(today) else status


def headings() -> list[str]:
    return [
        _("No."),
        _("Area"),
        _("Task"),
        _("Lead unit"),
        _("Responsible units"),
        _("Responsible townships"),
        _("Deadline"),
        _("Status"),
        _("Done on"),
    ]


def task_row(area: str, task: PlanTask, today: date) -> list[object]:
    # Dates as text: the sheet's cells keep the General format, which would show a date as its serial.
    return [
        task.number,
        area,
        task.title,
        task.lead_unit,
        task.responsible_units,
        "、".join(township.name for township in task.townships.all()),
        f"{task.due_on:%Y-%m-%d}",
        task_status(task, today),
        f"{task.done_on:%Y-%m-%d}" if task.done_on else "",
    ]


def task_list_sheet(page: PlanPage, today: date) -> bytes:
    rows = [task_row(area.name, task, today) for area in page.areas for task in area.tasks.all()]
    return xlsx_bytes(headings(), rows, title=_("%(year)s task list") % {"year": page.plan.year}, frozen_columns=1)
