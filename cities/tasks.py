from celery import shared_task

from .services import overdue_mark


@shared_task
def mark_overdue() -> int:
    """Daily: 五个一 steps not done past their due date are marked overdue (逾期)."""
    return overdue_mark()
