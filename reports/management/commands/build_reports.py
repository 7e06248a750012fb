import uuid

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import Role
from reports.content import NoPublishedIndex
from reports.tasks import QueueUnavailable, build_report, enqueue
from villages.models import District, Township


class Command(BaseCommand):
    help = (
        "Build the yearly analysis reports through Celery (in process when no REDIS_URL is set) and print "
        "each PDF's path: every county's townships' and each county's summary, or one county's with "
        "--county, or one township's with --township."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--township", help="A township's 9-digit code; the county's summary when 'district' (with --county)."
        )
        parser.add_argument("--county", help="A county's 6-digit code: its townships' reports and its summary.")
        parser.add_argument("--timeout", type=int, default=600, help="Seconds to wait for each report.")

    def handle(self, *args, year: int, township: str | None, county: str | None, timeout: int, **options) -> None:
        targets = self._targets(year, township, county)
        requesters = {county_id: self._requester(county_id) for county_id in {_county_id(t) for t in targets}}
        try:
            jobs = [
                enqueue(
                    build_report,
                    uuid.uuid4().hex,
                    year,
                    target.pk if isinstance(target, Township) else None,
                    requesters[_county_id(target)].pk,
                    None,
                    _county_id(target),
                )
                for target in targets
            ]
        except QueueUnavailable as error:
            raise CommandError("The job queue (Redis) cannot be reached; no report was queued after that.") from error
        for target, job in zip(targets, jobs, strict=True):
            try:
                path = job.get(timeout=timeout)
            except NoPublishedIndex as missing:
                raise CommandError(f"{year} has no published integrity index for {target.name}.") from missing
            self.stdout.write(f"{target.name}\t{path}")

    def _targets(self, year: int, township: str | None, county: str | None) -> list[Township | District]:
        counties = District.objects.order_by("code")
        if county:
            counties = counties.filter(code=county)
            if not counties:
                raise CommandError(f"No county with the code {county}.")
        if township == "district":
            if len(counties) > 1:
                raise CommandError("Name the county whose summary to build: --county CODE.")
            return list(counties)
        if township:
            found = Township.objects.filter(code=township, district__in=counties).first()
            if found is None:
                raise CommandError(f"No township with the code {township}" + (f" in {county}." if county else "."))
            return [found]
        targets: list[Township | District] = []
        for district in counties:
            with_results = Township.objects.filter(
                district=district, villages__results__round__period__code=str(year)
            ).distinct()
            if with_results:
                targets += [*with_results.order_by("code"), district]
        return targets

    def _requester(self, county_id: int) -> User:
        """The county's staff member recorded as the one who asked (the first active one)."""
        staff = User.objects.filter(groups__name=Role.COMMISSION_STAFF, is_active=True, district_id=county_id)
        requester = staff.order_by("pk").first()
        if requester is None:
            county = District.objects.get(pk=county_id)
            raise CommandError(f"No active commission staff account of {county.name} to record as the one asking.")
        return requester


def _county_id(target: Township | District) -> int:
    return target.district_id if isinstance(target, Township) else target.pk
