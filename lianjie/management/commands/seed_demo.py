from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, all_townships, seed_demo_users
from accounts.models import User
from accounts.roles import second_factor_roles
from inspections.demo import seed_inspections
from petitions.demo import seed_petitions
from scoring.demo import seed_follow_up, seed_index
from stars.demo import seed_stars
from villages.demo import demo_data_changed, seed_places

MAX_PRINTED = 30


class Command(BaseCommand):
    help = (
        "Load made-up demo data: the ten Luqiao townships with about 300 villages (district size) or "
        "118 townships with 2,195 villages (city size), the demo logins and N years of integrity-index "
        "rounds, all published but the current year's draft. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--size", choices=["district", "city"], default="district")
        parser.add_argument("--years", type=int, default=3, help="Years of integrity-index rounds (default 3).")
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, size: str, years: int, quiet: bool, **options) -> None:
        if years < 0:
            raise CommandError("--years must be 0 or more.")
        result = seed_places(size)
        logins = seed_demo_users(all_townships())
        rounds = seed_index(years=years, leader=User.objects.filter(username="leader").first())
        staff = User.objects.filter(username="staff").first()
        secretaries = User.objects.filter(username__startswith="secretary-", township__isnull=False)
        seed_follow_up(staff=staff, secretaries=secretaries)
        by_township = {secretary.township_id: secretary for secretary in secretaries}
        leader = User.objects.filter(username="leader").first()
        petitions = seed_petitions(officer=User.objects.filter(username="petition").first(), leader=leader, staff=staff)
        findings = seed_inspections(staff=staff, secretaries=by_township)
        stars = seed_stars(staff=staff, leader=leader, secretaries=by_township)
        demo_data_changed()
        self.stdout.write(
            f"Demo places: {result.districts} district(s), {result.townships} townships, "
            f"{result.villages} villages ({result.created_villages} new); "
            f"{len(rounds)} new index rounds, {findings} new inspection findings, {stars} new star applications, "
            f"{petitions} new petitions."
        )
        if quiet:
            return
        self.stdout.write(f"\nDemo logins (password {DEMO_PASSWORD}):")
        shown = logins if len(logins) <= MAX_PRINTED else logins[:MAX_PRINTED]
        for username, role, township in shown:
            note = f"  (TOTP secret {DEMO_TOTP_SECRET})" if role in second_factor_roles() else ""
            self.stdout.write(f"  {username:<22} {role.label} {township}{note}")
        if len(shown) < len(logins):
            self.stdout.write(f"  … {len(logins) - len(shown)} more: secretary-<township code> for each township.")
