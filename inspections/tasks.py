from celery import shared_task

from .services import overdue_mark


@shared_task
def mark_overdue() -> int:
    """Daily: open findings past their due date are marked overdue (整改逾期)."""
    return overdue_mark()
