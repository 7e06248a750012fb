from celery import shared_task

from .services import star_levels_fix, veto_hits_find


@shared_task
def fix_star_levels() -> int:
    """Daily: star levels whose publicity period (公示) ended without an open objection become fixed."""
    return star_levels_fix()


@shared_task
def find_star_veto_hits() -> int:
    """Daily: fixed stars now hit by a veto item are listed for staff to strip or dismiss (never stripped here)."""
    return veto_hits_find()
