from celery import shared_task

from .star_services import star_levels_fix


@shared_task
def fix_star_levels() -> int:
    """Daily: star levels whose publicity period (公示) ended without an open objection become fixed."""
    return star_levels_fix()
