from celery import shared_task

from .services import overdue_mark


@shared_task
def mark_overdue() -> int:
    """Daily: cases past their legal deadline are marked overdue and their handler notified. The task
    takes no argument and returns a count: nothing about a petitioner travels through the broker."""
    return overdue_mark()
