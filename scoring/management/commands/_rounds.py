from django.core.management.base import CommandError

from scoring.models import Period, Round


def round_of_period(code: str) -> Round:
    """The period's latest revision."""
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise CommandError(f"No period {code!r}. Periods: {', '.join(Period.objects.values_list('code', flat=True))}")
    round_ = period.rounds.order_by("-revision").first()
    if round_ is None:
        raise CommandError(f"Period {code} has no scoring round yet.")
    return round_
