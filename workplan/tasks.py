from celery import shared_task

from .services import overdue_mark


@shared_task
def mark_overdue() -> int:
    """Daily: work plan tasks not done past their deadline are marked overdue (逾期)."""
    return overdue_mark()
