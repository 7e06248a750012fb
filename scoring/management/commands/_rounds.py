from django.core.management.base import CommandError

from scoring.models import Period, Round
from villages.models import District


def add_county_argument(parser) -> None:
    parser.add_argument(
        "--county",
        metavar="CODE",
        help="The county's 6-digit division code; needed when the installation holds several counties.",
    )


def round_of_period(code: str, county: str | None = None) -> Round:
    """The latest revision of the county's period. With several counties holding periods a period code
    alone is ambiguous: the county must be named (a one-county installation need not)."""
    periods = Period.objects.filter(code=code).select_related("district")
    counties = District.objects.filter(periods__isnull=False).distinct().order_by("code")
    if not county and counties.count() > 1:
        named = ", ".join(f"{district.code} {district.name}" for district in counties)
        raise CommandError(
            f"Several counties grade their villages ({named}): a period code alone is ambiguous, "
            "name the county with --county CODE."
        )
    if county:
        if not District.objects.filter(code=county).exists():
            codes = ", ".join(District.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"No county {county!r}. Counties: {codes}")
        periods = periods.filter(district__code=county)
    found = list(periods.order_by("district__code"))
    if not found:
        where = f" in county {county}" if county else ""
        known = Period.objects.filter(district__code=county) if county else Period.objects.all()
        codes = ", ".join(dict.fromkeys(known.order_by("-year", "-half").values_list("code", flat=True)))
        raise CommandError(f"No period {code!r}{where}. Periods: {codes or 'none'}")
    period = found[0]
    round_ = period.rounds.select_related("period__scheme", "period__district").order_by("-revision").first()
    if round_ is None:
        raise CommandError(f"Period {code} has no scoring round yet.")
    return round_
