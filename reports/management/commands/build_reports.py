import uuid

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import Role
from reports.content import NoPublishedIndex
from reports.tasks import QueueUnavailable, build_report, enqueue
from villages.models import Township


class Command(BaseCommand):
    help = (
        "Build the yearly analysis reports through Celery (in process when no REDIS_URL is set) and print "
        "each PDF's path: every township's and the district's, or one township's with --township."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--township", help="A township's 9-digit code; the district summary when 'district'.")
        parser.add_argument("--timeout", type=int, default=600, help="Seconds to wait for each report.")

    def handle(self, *args, year: int, township: str | None, timeout: int, **options) -> None:
        requested_by = User.objects.filter(groups__name=Role.COMMISSION_STAFF, is_active=True).order_by("pk").first()
        if requested_by is None:
            raise CommandError("No active commission staff account to record as the one who asked for the reports.")
        if township == "district":
            targets = [None]
        elif township:
            found = Township.objects.filter(code=township).first()
            if found is None:
                raise CommandError(f"No township with the code {township}.")
            targets = [found]
        else:
            targets = [*Township.objects.filter(villages__results__round__period__code=str(year)).distinct(), None]
        try:
            jobs = [
                enqueue(build_report, uuid.uuid4().hex, year, target.pk if target else None, requested_by.pk)
                for target in targets
            ]
        except QueueUnavailable as error:
            raise CommandError("The job queue (Redis) cannot be reached; no report was queued after that.") from error
        for target, job in zip(targets, jobs, strict=True):
            try:
                path = job.get(timeout=timeout)
            except NoPublishedIndex as missing:
                raise CommandError(f"{year} has no published integrity index.") from missing
            self.stdout.write(f"{target.name if target else '全区'}\t{path}")
